import type { AccountKind, AccountStatus, GeoPrecision, OpeningHours, Role } from '@geocrm/domain';
import { haversineMeters } from '@geocrm/domain';

/** A real French place to put demo accounts in (from the geo package's shipped reference data). */
export interface DemoPlace {
  readonly name: string;
  readonly postcode: string;
  readonly departement: string;
  readonly population: number;
  readonly lng: number;
  readonly lat: number;
}

export interface DemoUser {
  readonly key: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly home?: { readonly label: string; readonly lng: number; readonly lat: number };
}

export interface DemoContact {
  readonly firstName: string;
  readonly lastName: string;
  readonly title: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly isPrimary: boolean;
}

export interface DemoAccount {
  readonly kind: AccountKind;
  readonly status: AccountStatus;
  readonly name: string;
  /** Key of the owning demo user, or null. */
  readonly ownerKey: string | null;
  readonly tags: readonly string[];
  readonly customFields: Record<string, unknown>;
  readonly phone: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly address: { line1: string; line2: string; postcode: string; city: string; country: string };
  readonly location: { lng: number; lat: number };
  readonly geo: { precision: GeoPrecision; source: 'demo'; manual: false; score: number };
  readonly openingHours: OpeningHours;
  readonly preferredVisitDays: readonly number[];
  readonly notes: string;
  /** Days since the last visit (null: never visited); the seed turns it into a date before today. */
  readonly lastVisitDaysAgo: number | null;
  readonly contacts: readonly DemoContact[];
}

export const DEMO_DOMAIN = 'demo.geocrm.app';

/** Deterministic PRNG (mulberry32): same seed, same demo data, every time. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const pick = <T>(rand: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

const weighted = <T extends string>(rand: () => number, table: readonly (readonly [T, number])[]): T => {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r <= 0) return value;
  }
  const last = table.at(-1);
  if (!last) throw new Error('empty table');
  return last[0];
};

/** Rep home bases: regional capitals, so that the team covers France the way a real one would. */
const REP_BASES = [
  { name: 'Camille Laurent', city: 'Lille' },
  { name: 'Julien Moreau', city: 'Paris' },
  { name: 'Sophie Bernard', city: 'Rennes' },
  { name: 'Thomas Petit', city: 'Nantes' },
  { name: 'Élodie Garnier', city: 'Bordeaux' },
  { name: 'Nicolas Roux', city: 'Toulouse' },
  { name: 'Léa Fontaine', city: 'Montpellier' },
  { name: 'Antoine Mercier', city: 'Marseille' },
  { name: 'Manon Girard', city: 'Lyon' },
  { name: 'Hugo Lefèvre', city: 'Strasbourg' },
  { name: 'Chloé Bonnet', city: 'Dijon' },
  { name: 'Maxime Chevalier', city: 'Clermont-Ferrand' },
] as const;

const FIRST_NAMES = ['Marie', 'Jean', 'Pierre', 'Nathalie', 'Isabelle', 'Philippe', 'Sylvie', 'Laurent', 'Catherine', 'Christophe', 'Sandrine', 'Stéphane', 'Valérie', 'Olivier', 'Céline', 'David', 'Aurélie', 'Sébastien', 'Émilie', 'François', 'Inès', 'Karim', 'Yasmine', 'Mehdi', 'Anne-Sophie', 'Jean-Marc'];
const LAST_NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Durand', 'Lefebvre', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Lemaire', 'Faure', "N'Diaye", 'Le Gall'];
const STREETS = ['rue de la République', 'avenue Jean-Jaurès', 'rue Victor-Hugo', 'place de la Mairie', 'boulevard Gambetta', 'rue du Général-de-Gaulle', 'rue Pasteur', 'avenue de la Gare', 'rue des Écoles', 'chemin des Vignes', "rue de l'Église", 'route nationale', 'rue Jules-Ferry', 'zone artisanale des Prés', 'rue du Commerce', 'allée des Tilleuls'];
const CLIENT_TRADES = ['Boulangerie', 'Pâtisserie', 'Restaurant', 'Brasserie', 'Hôtel', 'Café', 'Épicerie fine', 'Traiteur', 'Boucherie', 'Fromagerie', 'Supérette', 'Cantine scolaire', 'EHPAD', 'Crêperie', 'Pizzeria'];
const CLIENT_SUFFIXES = ['du Centre', 'de la Place', 'des Halles', 'Saint-Michel', 'du Marché', 'de la Gare', 'du Port', 'des Arts', 'Le Fournil', 'Les Tilleuls', 'La Belle Époque', "L'Authentique", 'du Château', 'des Remparts'];
const SUPPLIERS = ['Moulins', 'Farines', 'Emballages', 'Froid Industriel', 'Inox Services', 'Logistique', 'Distribution Alimentaire'];
const PARTNERS = ['Chambre des Métiers', 'Cuisines Pro', 'Groupement des Boulangers', 'École hôtelière', 'Coopérative'];
const SUBCONTRACTORS = ['Électricité', 'Plomberie', 'Frigoriste', 'Maintenance Fours', 'Soudure Inox'];
const COMPETITORS = ['Equip’Resto', 'BakerTech', 'Cuisinox', 'ProFour Services', 'Chaud Devant SAS'];
const EQUIPMENT = [
  { model: 'Four à sole Bongard Orion', serialPrefix: 'BO' },
  { model: 'Four ventilé Rational iCombi', serialPrefix: 'RA' },
  { model: 'Chambre froide Hengel', serialPrefix: 'HE' },
  { model: 'Pétrin spirale VMI', serialPrefix: 'VM' },
  { model: 'Lave-vaisselle Winterhalter', serialPrefix: 'WI' },
];
const TAGS = ['vip', 'bio', 'franchise', 'contrat-maintenance', 'nouveau-2026', 'grand-compte', 'saisonnier'];

const KIND_MIX: readonly (readonly [AccountKind, number])[] = [
  ['client', 40],
  ['prospect', 30],
  ['equipment', 9],
  ['supplier', 4],
  ['partner', 4],
  ['subcontractor', 3],
  ['competitor', 5],
  ['job_site', 5],
];
const STATUS_MIX: Record<AccountKind, readonly (readonly [AccountStatus, number])[]> = {
  client: [['active', 80], ['inactive', 12], ['lost', 5], ['archived', 3]],
  prospect: [['lead', 55], ['active', 30], ['lost', 15]],
  supplier: [['active', 90], ['inactive', 10]],
  partner: [['active', 90], ['inactive', 10]],
  subcontractor: [['active', 85], ['inactive', 15]],
  equipment: [['active', 92], ['inactive', 8]],
  competitor: [['active', 100]],
  job_site: [['active', 60], ['archived', 40]],
};

const SHOP_HOURS: OpeningHours = {
  weekly: {
    '1': [{ from: '08:30', to: '12:30' }, { from: '14:00', to: '18:30' }],
    '2': [{ from: '08:30', to: '12:30' }, { from: '14:00', to: '18:30' }],
    '3': [{ from: '08:30', to: '12:30' }, { from: '14:00', to: '18:30' }],
    '4': [{ from: '08:30', to: '12:30' }, { from: '14:00', to: '18:30' }],
    '5': [{ from: '08:30', to: '12:30' }, { from: '14:00', to: '18:30' }],
    '6': [{ from: '09:00', to: '12:30' }],
  },
  exceptions: [{ date: '2026-12-25', intervals: [], note: 'Noël' }, { date: '2027-01-01', intervals: [], note: "Jour de l'an" }],
};
const BAKERY_HOURS: OpeningHours = {
  weekly: {
    '2': [{ from: '06:30', to: '13:00' }, { from: '15:30', to: '19:30' }],
    '3': [{ from: '06:30', to: '13:00' }, { from: '15:30', to: '19:30' }],
    '4': [{ from: '06:30', to: '13:00' }, { from: '15:30', to: '19:30' }],
    '5': [{ from: '06:30', to: '13:00' }, { from: '15:30', to: '19:30' }],
    '6': [{ from: '06:30', to: '19:30' }],
    '7': [{ from: '07:00', to: '12:30' }],
  },
  exceptions: [{ date: '2026-12-25', intervals: [], note: 'Noël' }],
};
const RESTAURANT_HOURS: OpeningHours = {
  weekly: {
    '2': [{ from: '10:00', to: '14:30' }, { from: '18:00', to: '23:00' }],
    '3': [{ from: '10:00', to: '14:30' }, { from: '18:00', to: '23:00' }],
    '4': [{ from: '10:00', to: '14:30' }, { from: '18:00', to: '23:00' }],
    '5': [{ from: '10:00', to: '14:30' }, { from: '18:00', to: '23:30' }],
    '6': [{ from: '10:00', to: '14:30' }, { from: '18:00', to: '23:30' }],
  },
  exceptions: [],
};
const OFFICE_HOURS: OpeningHours = {
  weekly: {
    '1': [{ from: '09:00', to: '17:30' }],
    '2': [{ from: '09:00', to: '17:30' }],
    '3': [{ from: '09:00', to: '17:30' }],
    '4': [{ from: '09:00', to: '17:30' }],
    '5': [{ from: '09:00', to: '16:00' }],
  },
  exceptions: [],
};

const slug = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const phone = (rand: () => number, mobile: boolean): string => {
  const digits = Array.from({ length: 4 }, () => String(Math.floor(rand() * 100)).padStart(2, '0')).join(' ');
  return `${mobile ? pick(rand, ['06', '07']) : pick(rand, ['01', '02', '03', '04', '05'])} ${digits}`;
};

export interface DemoData {
  readonly users: readonly DemoUser[];
  readonly accounts: readonly DemoAccount[];
}

/**
 * Builds the demo organisation's people and ~2,000 accounts over real French places, weighted by
 * population like a real customer base. Pure and deterministic for a given seed and place list.
 */
export const generateDemoData = (places: readonly DemoPlace[], options: { seed?: number; accounts?: number } = {}): DemoData => {
  const rand = seededRandom(options.seed ?? 20_261_123);
  // A stream of its own, so that visit history leaves every other demo value as it was.
  const visits = seededRandom((options.seed ?? 20_261_123) ^ 0x5eed);
  /** Clients are seen every few months, prospects rarely; some accounts never. */
  const lastVisit = (kind: AccountKind): number | null => {
    const [share, meanDays] = kind === 'client' ? [0.9, 75] : kind === 'prospect' ? [0.35, 150] : kind === 'competitor' ? [0.05, 300] : [0.6, 120];
    if (visits() >= share) return null;
    return Math.min(720, 1 + Math.floor(-Math.log(1 - visits()) * meanDays));
  };
  const count = options.accounts ?? 2000;
  const byName = new Map<string, DemoPlace>();
  for (const p of places) {
    const existing = byName.get(p.name);
    if (!existing || p.population > existing.population) byName.set(p.name, p);
  }

  const users: DemoUser[] = [
    { key: 'admin', email: `admin@${DEMO_DOMAIN}`, name: 'Alice Admin', role: 'admin' },
    { key: 'manager', email: `manager@${DEMO_DOMAIN}`, name: 'Marc Durand', role: 'manager' },
    { key: 'backoffice', email: `backoffice@${DEMO_DOMAIN}`, name: 'Béatrice Morel', role: 'backoffice' },
  ];
  const reps: (DemoUser & { home: { label: string; lng: number; lat: number } })[] = [];
  REP_BASES.forEach((rep, i) => {
    const place = byName.get(rep.city);
    if (!place) throw new Error(`Demo data: no reference point for ${rep.city}`);
    const user = {
      key: `rep${String(i + 1).padStart(2, '0')}`,
      email: `rep${String(i + 1).padStart(2, '0')}@${DEMO_DOMAIN}`,
      name: rep.name,
      role: 'rep' as const,
      home: { label: `${rep.city} (${place.postcode})`, lng: place.lng, lat: place.lat },
    };
    reps.push(user);
    users.push(user);
  });
  const lyon = byName.get('Lyon');
  users.push({
    key: 'tech',
    email: `tech@${DEMO_DOMAIN}`,
    name: 'Karim Benali',
    role: 'technician',
    ...(lyon ? { home: { label: `Villeurbanne (69100)`, lng: lyon.lng + 0.05, lat: lyon.lat + 0.01 } } : {}),
  });

  // Cumulative weights: population^0.75 spreads accounts over towns of every size, more in big ones.
  const located = places.filter((p) => p.population > 0);
  const cumulative: number[] = [];
  let total = 0;
  for (const p of located) {
    total += p.population ** 0.75;
    cumulative.push(total);
  }
  const drawPlace = (): DemoPlace => {
    const r = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < r) lo = mid + 1;
      else hi = mid;
    }
    const place = located[lo];
    if (!place) throw new Error('Demo data: no places');
    return place;
  };

  const nearestRep = (lng: number, lat: number) => {
    let best = reps[0];
    let bestD = Infinity;
    for (const rep of reps) {
      const d = haversineMeters([lng, lat], [rep.home.lng, rep.home.lat]);
      if (d < bestD) {
        bestD = d;
        best = rep;
      }
    }
    return best;
  };

  const accounts: DemoAccount[] = [];
  const clientNames: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = weighted(rand, KIND_MIX);
    const status = weighted(rand, STATUS_MIX[kind]);
    const place = drawPlace();
    // Within a few hundred metres of the place's point: on land, in town.
    const radius = 150 + rand() * 650;
    const angle = rand() * 2 * Math.PI;
    const lat = place.lat + (radius * Math.sin(angle)) / 111_320;
    const lng = place.lng + (radius * Math.cos(angle)) / (111_320 * Math.cos((place.lat * Math.PI) / 180));
    const trade = pick(rand, CLIENT_TRADES);
    const lastName = pick(rand, LAST_NAMES);
    let name: string;
    let hours: OpeningHours = OFFICE_HOURS;
    const customFields: Record<string, unknown> = {};
    switch (kind) {
      case 'client':
      case 'prospect': {
        name = rand() < 0.5 ? `${trade} ${pick(rand, CLIENT_SUFFIXES)}` : `${trade} ${lastName}`;
        hours = trade.startsWith('Boulangerie') || trade.startsWith('Pâtisserie') ? BAKERY_HOURS : ['Restaurant', 'Brasserie', 'Crêperie', 'Pizzeria', 'Café'].includes(trade) ? RESTAURANT_HOURS : SHOP_HOURS;
        customFields['siret'] = String(Math.floor(rand() * 1e14)).padStart(14, '0');
        customFields['revenueEur'] = kind === 'client' ? Math.round(2000 + rand() * rand() * 120_000) : 0;
        customFields['potentialEur'] = Math.round(5000 + rand() * 80_000);
        if (kind === 'client') clientNames.push(name);
        break;
      }
      case 'equipment': {
        const eq = pick(rand, EQUIPMENT);
        const host = clientNames.length ? pick(rand, clientNames) : `${trade} ${lastName}`;
        name = `${eq.model} — ${host}`;
        const installed = new Date(Date.UTC(2015 + Math.floor(rand() * 11), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
        const next = new Date(Date.UTC(2026, 10 + Math.floor(rand() * 8), 1 + Math.floor(rand() * 28)));
        customFields['model'] = eq.model;
        customFields['serial'] = `${eq.serialPrefix}-${Math.floor(100000 + rand() * 900000)}`;
        customFields['installedOn'] = installed.toISOString().slice(0, 10);
        customFields['nextMaintenance'] = next.toISOString().slice(0, 10);
        hours = SHOP_HOURS;
        break;
      }
      case 'supplier':
        name = `${pick(rand, SUPPLIERS)} ${lastName}`;
        break;
      case 'partner':
        name = `${pick(rand, PARTNERS)} ${place.name}`;
        break;
      case 'subcontractor':
        name = `${pick(rand, SUBCONTRACTORS)} ${lastName}`;
        break;
      case 'competitor':
        name = `${pick(rand, COMPETITORS)} ${place.name}`;
        break;
      case 'job_site':
        name = `Chantier ${pick(rand, CLIENT_TRADES).toLowerCase()} ${place.name}`;
        customFields['startsOn'] = new Date(Date.UTC(2026, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28))).toISOString().slice(0, 10);
        break;
    }
    const owner = rand() < 0.06 ? null : kind === 'equipment' && rand() < 0.4 ? 'tech' : (nearestRep(lng, lat)?.key ?? null);
    const tags = TAGS.filter(() => rand() < 0.12);
    const contactCount = kind === 'client' || kind === 'prospect' ? 1 + Math.floor(rand() * 3) : kind === 'equipment' || kind === 'competitor' ? 0 : 1;
    const domain = slug(name).slice(0, 30);
    const contacts: DemoContact[] = Array.from({ length: contactCount }, (_, c) => {
      const first = pick(rand, FIRST_NAMES);
      const last = pick(rand, LAST_NAMES);
      return {
        firstName: first,
        lastName: last,
        title: c === 0 ? pick(rand, ['Gérant', 'Gérante', 'Directeur', 'Chef de cuisine', 'Responsable achats']) : pick(rand, ['Second', 'Comptable', 'Responsable technique']),
        email: rand() < 0.8 ? `${slug(first)}.${slug(last)}@${domain}.fr` : null,
        phone: rand() < 0.9 ? phone(rand, true) : null,
        isPrimary: c === 0,
      };
    });
    const visitDays = [1, 2, 3, 4, 5].filter(() => rand() < 0.35);
    accounts.push({
      kind,
      status,
      name,
      ownerKey: owner,
      tags,
      customFields,
      phone: rand() < 0.85 ? phone(rand, false) : null,
      email: rand() < 0.6 ? `contact@${domain}.fr` : null,
      website: rand() < 0.3 ? `https://www.${domain}.fr` : null,
      address: { line1: `${1 + Math.floor(rand() * 120)} ${pick(rand, STREETS)}`, line2: '', postcode: place.postcode, city: place.name, country: 'FR' },
      location: { lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 },
      geo: { precision: 'street', source: 'demo', manual: false, score: 0.9 },
      openingHours: hours,
      preferredVisitDays: visitDays,
      notes: rand() < 0.2 ? pick(rand, ['Livraison par l’arrière-cour.', 'Préfère être appelé avant la visite.', 'Parking difficile le matin.', 'Intéressé par le contrat de maintenance.', 'Fermeture annuelle en août.']) : '',
      lastVisitDaysAgo: lastVisit(kind),
      contacts,
    });
  }
  return { users, accounts };
};
