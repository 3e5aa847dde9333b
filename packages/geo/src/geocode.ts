import type { GeoPrecision } from '@geocrm/domain';
import { frenchDepartements, frenchRegions, loadFormerCommunes, loadFrenchCommunes, type Commune, type FormerCommune } from './communes.ts';
import type { Feature, FeatureCollection } from './geojson.ts';
import { normalizePlaceName } from './normalize.ts';
import { findCommunes, type CommuneMatch } from './search.ts';

/** Structured address input; every field optional. */
export interface GeocodeFields {
  readonly street?: string;
  readonly postcode?: string;
  readonly city?: string;
  /** ISO 3166-1 alpha-2 code or name; anything other than France returns no feature (no data yet). */
  readonly country?: string;
}

export interface GeocodeOptions {
  /** Maximum number of features. Default 5. */
  readonly limit?: number;
}

/** Precisions reachable by the offline gazetteer (a subset of the domain's GEO_PRECISIONS). */
export type GazetteerPrecision = Extract<GeoPrecision, 'municipality' | 'postcode' | 'locality' | 'region' | 'country'>;

/** GeocodeJSON-style properties (as BAN / Photon return them). */
export interface GeocodeProperties {
  readonly label: string;
  /** Confidence in [0, 1]; 1 = exact commune name agreeing with the postcode. */
  readonly score: number;
  readonly precision: GazetteerPrecision;
  readonly name: string;
  /** The input's postcode when it belongs to the commune, else the commune's first postcode. */
  readonly postcode: string;
  readonly city: string;
  /** INSEE code of the commune (of the arrondissement for Paris, Lyon, Marseille). */
  readonly citycode: string;
  /** Municipal arrondissement, e.g. 'Paris 8e Arrondissement'. */
  readonly district?: string;
  /** 'département code, département name, région name', e.g. '59, Nord, Hauts-de-France'. */
  readonly context: string;
  readonly source: 'gazetteer';
  /** Parsed from the input and echoed back (not located: no street data offline yet). */
  readonly housenumber?: string;
  /** Parsed street, abbreviations expanded, e.g. 'Boulevard Saint-Michel'. */
  readonly street?: string;
  /** The input's postcode does not belong to the commune found. */
  readonly postcodeMismatch?: true;
  /** The name matched is a former (merged) commune's, e.g. 'Arbignieu' → Arboys en Bugey. */
  readonly formerName?: string;
}

export interface PointGeometry { readonly type: 'Point'; readonly coordinates: readonly [number, number] }
export type GeocodeFeature = Feature<PointGeometry, GeocodeProperties>;
export type GeocodeResult = FeatureCollection<PointGeometry, GeocodeProperties>;

/** What the parser read from the input (exported for tests and debugging). */
export interface ParsedAddress {
  readonly housenumber?: string;
  readonly street?: string;
  readonly postcode?: string;
  readonly city?: string;
  readonly cedex?: string;
  readonly country?: string;
}

// ---------------------------------------------------------------- normalisation of streets

/** French street types: abbreviation or word (lower case, no accents) → label ('bd' → 'Boulevard'). */
export const STREET_TYPES: Readonly<Record<string, string>> = {
  r: 'Rue', rue: 'Rue', av: 'Avenue', ave: 'Avenue', avenue: 'Avenue', bd: 'Boulevard', bld: 'Boulevard', bvd: 'Boulevard',
  boul: 'Boulevard', boulevard: 'Boulevard', pl: 'Place', place: 'Place', chem: 'Chemin', ch: 'Chemin', chemin: 'Chemin',
  rte: 'Route', route: 'Route', imp: 'Impasse', impasse: 'Impasse', all: 'Allée', allee: 'Allée', allees: 'Allées',
  fg: 'Faubourg', fbg: 'Faubourg', faubourg: 'Faubourg', sq: 'Square', square: 'Square', crs: 'Cours', cours: 'Cours',
  qu: 'Quai', quai: 'Quai', pass: 'Passage', passage: 'Passage', res: 'Résidence', residence: 'Résidence',
  lot: 'Lotissement', lotissement: 'Lotissement', prom: 'Promenade', promenade: 'Promenade', sen: 'Sentier',
  sentier: 'Sentier', vla: 'Villa', villa: 'Villa', ham: 'Hameau', hameau: 'Hameau', ld: 'Lieu-dit', cite: 'Cité',
  esp: 'Esplanade', esplanade: 'Esplanade', za: 'ZA', zi: 'ZI', zac: 'ZAC', parc: 'Parc', voie: 'Voie', mail: 'Mail',
  montee: 'Montée', mte: 'Montée', traverse: 'Traverse', trav: 'Traverse', ruelle: 'Ruelle', parvis: 'Parvis',
  quartier: 'Quartier', qua: 'Quartier', domaine: 'Domaine', dom: 'Domaine', rpt: 'Rond-Point', carrefour: 'Carrefour',
};
// Abbreviations also expanded inside a street name ('rue du fg Saint-Denis').
const INNER_ABBREVIATIONS: Readonly<Record<string, string>> = {
  st: 'Saint', ste: 'Sainte', sts: 'Saints', stes: 'Saintes', fg: 'Faubourg', fbg: 'Faubourg', gal: 'Général',
  gen: 'Général', mal: 'Maréchal', pdt: 'Président', prof: 'Professeur', dr: 'Docteur',
};
const SMALL_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', 'aux', 'au', 'sur', 'sous', 'en', 'à', 'a', 'l', 'd']);

const keyOf = (word: string): string => word.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const capitalize = (w: string): string => (w === '' ? w : (w[0] ?? '').toUpperCase() + w.slice(1));
const titleWord = (word: string, first: boolean): string => {
  const lower = word.toLowerCase();
  // "d'orthe" → "d'Orthe", "l'église" → "l'Église"
  const elided = /^([dl])['’](.+)$/u.exec(lower);
  if (elided) return `${first ? (elided[1] ?? '').toUpperCase() : (elided[1] ?? '')}'${capitalize(elided[2] ?? '')}`;
  if (!first && SMALL_WORDS.has(lower)) return lower;
  return lower.split('-').map(capitalize).join('-');
};

/**
 * A street as French geocoders label it: type abbreviations expanded (bd → Boulevard, r → Rue,
 * imp → Impasse…), St/Ste → Saint/Sainte, title case with French small words in lower case.
 * @example normalizeStreet('bd st michel') // 'Boulevard Saint Michel'
 */
export const normalizeStreet = (street: string): string => {
  const words = street.replace(/[,;]+/g, ' ').replace(/\.(?=\s|$)/g, ' ').split(/\s+/).filter((w) => w !== '');
  return words
    .map((word, i) => {
      const key = keyOf(word);
      const expanded = i === 0 ? STREET_TYPES[key] : INNER_ABBREVIATIONS[key];
      if (expanded) return expanded;
      // "st-michel", "ste-anne": the abbreviation is the first hyphenated part.
      const parts = word.split('-');
      if (parts.length > 1) {
        const head = INNER_ABBREVIATIONS[keyOf(parts[0] ?? '')];
        if (head) return [head, ...parts.slice(1).map((p) => titleWord(p, true))].join('-');
      }
      return titleWord(word, i === 0);
    })
    .join(' ');
};

// ---------------------------------------------------------------- parsing

const POSTCODE = /(?<![\d])(\d{5})(?![\d])/g;
const HAS_POSTCODE = /(?<![\d])\d{5}(?![\d])/;
const CEDEX = /\bcedex\b(?:\s*(\d{1,3})\b)?/i;
// Postal boxes: BP 123, B.P. 12, CS 30001, TSA 70011 (with their number, optionally "N°").
const BOX = /\b(?:b\s*\.?\s*p|cs|tsa)\b\.?\s*(?:n\s*[°o]\s*)?\d+\b/gi;
const HOUSENUMBER = /^\s*(\d{1,5})\s*(bis|ter|quater|[a-h])?\b\s*,?\s*/i;
const FRANCE = /(?:^|[\s,])(?:france|fr)\s*$/i;
// …but not the end of a name: "Hauts-de-France", "Île de France", "Mont-de-Marsan… de France".
const OF_FRANCE = /(?:\bde|\bdu|\ben|d['’])[\s-]*(?:france|fr)\s*$/i;
// Words that name no place on their own ("saint" would otherwise find Saint-Lô).
const GENERIC_WORDS = new Set(['saint', 'sainte', 'saints', 'saintes', 'sur', 'sous', 'mer', 'le', 'la', 'les', 'l', 'de', 'du', 'des', 'd', 'en', 'et', 'aux', 'au', 'lez', 'les', 'pres', 'ville', 'bourg', 'village', 'cedex', 'france']);
const isGeneric = (text: string): boolean => normalizePlaceName(text).split(' ').every((w) => w === '' || GENERIC_WORDS.has(w));

let communeNames: ReadonlySet<string> | undefined;
const isCommuneName = (normalized: string): boolean => {
  communeNames ??= new Set(loadFrenchCommunes().filter((c) => c.kind === 'commune').map((c) => normalizePlaceName(c.name)));
  return communeNames.has(normalized);
};

const clean = (s: string): string => s.replace(/\s+/g, ' ').replace(/^[\s,;\-–]+|[\s,;\-–]+$/g, '');

/** Splits "rue X Lyon" (no postcode) into street and city from the trailing words. */
const splitTrailingCity = (text: string, postcode?: string): { street: string; city?: string } => {
  const words = text.split(' ').filter((w) => w !== '');
  const keys = words.map(keyOf);
  const typeAt = keys.findIndex((k) => STREET_TYPES[k] !== undefined);
  const hasDigits = /\d/.test(text);
  // No street type and no number: the whole text is a place name.
  if (typeAt < 0 && !hasDigits) return { street: '', city: text };
  // At least one word of street name after its type.
  const firstCityWord = typeAt < 0 ? 1 : typeAt + 2;
  for (let start = firstCityWord; start < words.length; start++) {
    const candidate = words.slice(start).join(' ');
    if (isCommuneName(normalizePlaceName(candidate))) return { street: words.slice(0, start).join(' '), city: candidate };
  }
  // "…rue Roger Salengro Catenieres 59217": a misspelt name of one of the postcode's communes.
  if (postcode) {
    for (let start = firstCityWord; start < words.length; start++) {
      const candidate = words.slice(start).join(' ');
      if (postcodeNeighbours(candidate, postcode).length > 0) return { street: words.slice(0, start).join(' '), city: candidate };
    }
  }
  return { street: text };
};

const parseHouseNumber = (street: string): { housenumber?: string; street?: string } => {
  const m = HOUSENUMBER.exec(street);
  const rest = clean(m ? street.slice(m[0].length) : street);
  const housenumber = m ? `${m[1] ?? ''}${m[2] ? ` ${m[2].toLowerCase()}` : ''}` : undefined;
  const streetLabel = normalizePlaceName(rest) === '' ? undefined : normalizeStreet(rest);
  return { ...(housenumber && streetLabel ? { housenumber } : {}), ...(streetLabel ? { street: streetLabel } : {}) };
};

const stripBoxes = (s: string): { text: string; cedex?: string } => {
  let text = s.replace(BOX, ' ');
  let cedex: string | undefined;
  const m = CEDEX.exec(text);
  if (m) {
    cedex = m[1] ?? '';
    text = text.replace(CEDEX, ' ');
  }
  return { text: clean(text), ...(cedex === undefined ? {} : { cedex }) };
};

/**
 * Reads a French address: postcode (5 digits), CEDEX and postal boxes (BP, CS, TSA) removed,
 * house number, street, city (after the postcode, after " à ", or trailing words naming a commune).
 */
export const parseAddress = (input: string | GeocodeFields): ParsedAddress => {
  if (typeof input !== 'string') {
    const street = stripBoxes(input.street ?? '');
    const city = stripBoxes(input.city ?? '');
    const postcodeField = /\d{5}/.exec((input.postcode ?? '').replace(/\s/g, ''))?.[0];
    // Fields that carry more than they should ("59217 Cattenières" in city, the whole address in
    // street): read them as free text.
    if (!postcodeField && (HAS_POSTCODE.test(city.text) || city.text === '')) {
      const whole = parseAddress([input.street ?? '', input.city ?? ''].filter((s) => s.trim() !== '').join(' '));
      return { ...whole, ...(input.country ? { country: input.country } : {}) };
    }
    const cityText = clean(city.text.replace(POSTCODE, ' '));
    return {
      ...parseHouseNumber(street.text),
      ...(postcodeField ? { postcode: postcodeField } : {}),
      ...(cityText ? { city: cityText } : {}),
      ...(city.cedex !== undefined || street.cedex !== undefined ? { cedex: city.cedex ?? street.cedex ?? '' } : {}),
      ...(input.country ? { country: input.country } : {}),
    };
  }
  const stripped = stripBoxes(input);
  const cedex = stripped.cedex;
  let text = stripped.text;
  let country: string | undefined;
  if (FRANCE.test(text) && !OF_FRANCE.test(text)) {
    country = 'FR';
    text = clean(text.replace(FRANCE, ' '));
  }
  const codes = [...text.matchAll(POSTCODE)];
  // The last 5-digit number is the postcode ("75008 Paris", not a house number 12345).
  const last = codes[codes.length - 1];
  let street: string;
  let city: string | undefined;
  let postcode: string | undefined;
  if (last?.index !== undefined) {
    postcode = last[1];
    street = clean(text.slice(0, last.index));
    city = clean(text.slice(last.index + last[0].length)) || undefined;
    // "59217 Cattenières, 18 rue Roger-Salengro": the street after the city.
    const comma = city?.indexOf(',') ?? -1;
    if (city !== undefined && street === '' && comma > 0) {
      street = clean(city.slice(comma + 1));
      city = clean(city.slice(0, comma)) || undefined;
    }
  } else {
    street = text;
  }
  if (city === undefined) {
    const at = /\s(?:à|a)\s(?!.*\s(?:à|a)\s)/iu.exec(street);
    const split = at ? { street: street.slice(0, at.index), city: street.slice(at.index + at[0].length) } : splitTrailingCity(street, postcode);
    street = clean(split.street);
    city = split.city ? clean(split.city) : undefined;
  }
  return {
    ...parseHouseNumber(street),
    ...(postcode ? { postcode } : {}),
    ...(city ? { city } : {}),
    ...(cedex === undefined ? {} : { cedex }),
    ...(country ? { country } : {}),
  };
};

// ---------------------------------------------------------------- index

interface Index {
  readonly byInsee: ReadonlyMap<string, Commune>;
  /** Communes (kind commune) by postcode. */
  readonly byPostcode: ReadonlyMap<string, readonly Commune[]>;
  /** Arrondissement of a postcode of Paris, Lyon, Marseille. */
  readonly arrondissementOf: ReadonlyMap<string, Commune>;
  readonly context: ReadonlyMap<string, string>;
  /** Former communes by `parent insee|name`. */
  readonly former: ReadonlyMap<string, FormerCommune>;
}

const ARRONDISSEMENT_PARENT: Readonly<Record<string, string>> = { '75': '75056', '69': '69123', '13': '13055' };

let index: Index | undefined;
const getIndex = (): Index => {
  if (index) return index;
  const communes = loadFrenchCommunes();
  const byPostcode = new Map<string, Commune[]>();
  const arrondissementOf = new Map<string, Commune>();
  for (const c of communes) {
    for (const p of c.postcodes) {
      if (c.kind === 'arrondissement') arrondissementOf.set(p, c);
      else {
        const list = byPostcode.get(p);
        if (list) list.push(c);
        else byPostcode.set(p, [c]);
      }
    }
  }
  const regionName = new Map(frenchRegions().map((r) => [r.code, r.name]));
  const context = new Map(frenchDepartements().map((d) => [d.code, `${d.code}, ${d.name}, ${regionName.get(d.region) ?? ''}`]));
  const former = new Map(loadFormerCommunes().map((f) => [`${f.parent}|${f.name}`, f]));
  index = { byInsee: new Map(communes.map((c) => [c.insee, c])), byPostcode, arrondissementOf, context, former };
  return index;
};

// ---------------------------------------------------------------- scoring

const MIN_SIMILARITY = 0.5;
const MIN_SIMILARITY_WITH_POSTCODE = 0.4;
// One edit in four letters, two in eight… (normalised names).
const EDIT_SIMILARITY = 0.7;
const MAX_EDITS = 2;
const UNLOCATED_FACTOR = 0.5;
const FORMER_NAME_FACTOR = 0.95;
const CENTROID_FACTOR = 0.85;
const DEPARTEMENT_ONLY_FACTOR = 0.8;
const MISMATCH_FACTOR = 0.6;
const POSTCODE_ONLY_SCORE = 0.7;
const round = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

const isFrance = (country: string | undefined): boolean => {
  if (country === undefined) return true;
  const k = normalizePlaceName(country);
  return k === '' || k === 'fr' || k === 'fra' || k === 'france' || k === '250';
};

const coordinates = (c: Commune): readonly [number, number] | null => (c.location ? [c.location[0], c.location[1]] : null);

const echo = (parsed: ParsedAddress): Pick<GeocodeProperties, 'housenumber' | 'street'> => ({
  ...(parsed.housenumber ? { housenumber: parsed.housenumber } : {}),
  ...(parsed.street ? { street: parsed.street } : {}),
});

const feature = (coords: readonly [number, number], properties: GeocodeProperties): GeocodeFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: coords },
  properties,
});

/** Optimal string alignment distance (Levenshtein + adjacent transpositions). */
const editDistance = (a: string, b: string): number => {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      row[j] = d;
    }
  }
  return at(a.length, b.length);
};

/**
 * Trigrams are harsh on short names ("Cax" for "Caix" shares one trigram of seven): with a
 * postcode, the few communes having it are also compared by edit distance.
 */
const postcodeNeighbours = (city: string, postcode: string): CommuneMatch[] => {
  const query = normalizePlaceName(city);
  if (query === '') return [];
  return (getIndex().byPostcode.get(postcode) ?? []).flatMap((commune): CommuneMatch[] => {
    const name = normalizePlaceName(commune.name);
    const distance = editDistance(query, name);
    const similarity = 1 - distance / Math.max(query.length, name.length);
    return similarity >= EDIT_SIMILARITY && distance <= MAX_EDITS ? [{ commune, score: similarity, similarity, matchedName: commune.name, via: 'name', postcodeMatch: 'postcode' }] : [];
  });
};

const centreOf = (communes: readonly Commune[]): readonly [number, number] | null => {
  const points = communes.flatMap((c) => (c.kind === 'commune' && c.location ? [c.location] : []));
  if (points.length === 0) return null;
  const lng = points.reduce((s, p) => s + p[0], 0) / points.length;
  const lat = points.reduce((s, p) => s + p[1], 0) / points.length;
  return [Math.round(lng * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5];
};

const departementCentres = new Map<string, readonly [number, number] | null>();
const departementCentre = (code: string): readonly [number, number] | null => {
  let centre = departementCentres.get(code);
  if (centre === undefined) {
    centre = centreOf(loadFrenchCommunes().filter((c) => c.departement === code));
    departementCentres.set(code, centre);
  }
  return centre;
};

/** Feature of a city match, arrondissement resolved from the postcode for Paris, Lyon, Marseille. */
const cityFeature = (m: CommuneMatch, parsed: ParsedAddress): { feature: GeocodeFeature; rank: number } | null => {
  const idx = getIndex();
  let commune = m.commune;
  let district: Commune | undefined;
  if (commune.kind === 'arrondissement') {
    district = commune;
    commune = idx.byInsee.get(ARRONDISSEMENT_PARENT[commune.departement] ?? '') ?? commune;
  } else if (parsed.postcode && ARRONDISSEMENT_PARENT[commune.departement] === commune.insee) {
    const d = idx.arrondissementOf.get(parsed.postcode);
    if (d?.departement === commune.departement) district = d;
  }
  const former = m.via === 'former-name' ? idx.former.get(`${commune.insee}|${m.matchedName}`) : undefined;
  const located = district?.location ? district : commune;
  const point = former?.location ? ([former.location[0], former.location[1]] as const) : coordinates(located);
  // The ~3.5 % of communes no source could place: the right commune, at its département's centre.
  const coords = point ?? departementCentre(commune.departement);
  if (!coords) return null;
  const unlocated = point === null;
  let score = m.similarity * (m.via === 'former-name' ? FORMER_NAME_FACTOR : 1);
  const mismatch = parsed.postcode !== undefined && m.postcodeMatch !== 'postcode';
  if (parsed.postcode) {
    if (m.postcodeMatch === 'postcode') score += (1 - score) * 0.3;
    else score *= m.postcodeMatch === 'departement' ? DEPARTEMENT_ONLY_FACTOR : MISMATCH_FACTOR;
  }
  const byCentroid = !former?.location && located.locationSource === 'postcode-centroid';
  // Ranked before the centroid penalty: a less precise point does not make the name less right.
  const rank = score;
  if (byCentroid) score *= CENTROID_FACTOR;
  if (unlocated) score *= UNLOCATED_FACTOR;
  const postcode = parsed.postcode && (district ?? commune).postcodes.includes(parsed.postcode) ? parsed.postcode : (district ?? commune).postcodes[0] ?? '';
  const name = former?.location ? former.name : district?.name ?? commune.name;
  return { rank, feature: feature(coords, {
    label: former?.location ? `${former.name}, ${commune.name}` : name,
    score: round(score),
    // A merged commune with its own point: the village (locality) rather than the new commune's centre.
    precision: unlocated ? 'region' : former?.location ? 'locality' : byCentroid ? 'postcode' : 'municipality',
    name,
    postcode,
    city: commune.name,
    citycode: (district ?? commune).insee,
    ...(district ? { district: district.name } : {}),
    context: idx.context.get(commune.departement) ?? commune.departement,
    source: 'gazetteer',
    ...echo(parsed),
    ...(mismatch ? { postcodeMismatch: true as const } : {}),
    ...(m.via === 'former-name' ? { formerName: m.matchedName } : {}),
  }) };
};

/** Postcode only: the centre of the located communes sharing it (the arrondissement's point in Paris, Lyon, Marseille). */
const postcodeFeature = (postcode: string, parsed: ParsedAddress, score: number): GeocodeFeature | null => {
  const idx = getIndex();
  const communes = [...(idx.byPostcode.get(postcode) ?? [])].sort((a, b) => b.population - a.population);
  const main = communes[0];
  if (!main) return null;
  const district = idx.arrondissementOf.get(postcode);
  const coords = (district ? coordinates(district) : null) ?? centreOf(communes);
  if (!coords) return null;
  const city = main.name;
  return feature(coords, {
    label: `${postcode} ${district?.name ?? city}`,
    score: round(score),
    precision: 'postcode',
    name: postcode,
    postcode,
    city,
    citycode: (district ?? main).insee,
    ...(district ? { district: district.name } : {}),
    context: idx.context.get(main.departement) ?? main.departement,
    source: 'gazetteer',
    ...echo(parsed),
  });
};

const AREA_SCORE = 0.6;

/** A département or région named exactly (no commune matched): precision 'region', at the mean of its communes. */
const areaFeature = (name: string, parsed: ParsedAddress): GeocodeFeature | null => {
  const key = normalizePlaceName(name);
  const communes = loadFrenchCommunes();
  const dep = frenchDepartements().find((d) => normalizePlaceName(d.name) === key);
  const region = dep ? undefined : frenchRegions().find((r) => normalizePlaceName(r.name) === key);
  const code = dep?.code ?? region?.code;
  if (code === undefined) return null;
  const coords = centreOf(communes.filter((c) => (dep ? c.departement === dep.code : c.region === code)));
  if (!coords) return null;
  const label = dep?.name ?? region?.name ?? name;
  return feature(coords, {
    label,
    score: AREA_SCORE,
    precision: 'region',
    name: label,
    postcode: '',
    city: '',
    citycode: '',
    context: dep ? getIndex().context.get(dep.code) ?? dep.code : label,
    source: 'gazetteer',
    ...echo(parsed),
  });
};

/** "France" alone: the centre of metropolitan France (IGN's point, near Nançay). */
const countryFeature = (): GeocodeFeature =>
  feature([2.2137, 46.2276], {
    label: 'France', score: AREA_SCORE, precision: 'country', name: 'France', postcode: '', city: '', citycode: '', context: 'France', source: 'gazetteer',
  });

/**
 * Offline geocoder on the shipped gazetteer of French communes (no street data yet: the best
 * precision is the commune). Accepts free text or fields; returns GeocodeJSON features, best first.
 * Unknown places return no feature rather than a guess.
 * @example geocode('47 RUE JEAN JAURES 59233 MAING').features[0]?.properties.citycode // '59365'
 */
export const geocode = (input: string | GeocodeFields, options: GeocodeOptions = {}): GeocodeResult => {
  const limit = options.limit ?? 5;
  const parsed = parseAddress(input);
  const none: GeocodeResult = { type: 'FeatureCollection', features: [] };
  if (!isFrance(parsed.country) || limit <= 0) return none;
  const features: GeocodeFeature[] = [];
  const rank = new Map<GeocodeFeature, number>();
  const seen = new Set<string>();
  if (parsed.city && !isGeneric(parsed.city)) {
    const matches = [...findCommunes(parsed.city, { ...(parsed.postcode ? { postcode: parsed.postcode } : {}), limit: limit + 5 })];
    if (parsed.postcode) {
      for (const near of postcodeNeighbours(parsed.city, parsed.postcode)) {
        const i = matches.findIndex((m) => m.commune.insee === near.commune.insee);
        const known = matches[i];
        if (!known) matches.push(near);
        else if (known.similarity < near.similarity) matches[i] = { ...known, similarity: near.similarity };
      }
    }
    for (const m of matches) {
      const min = m.postcodeMatch === 'postcode' ? MIN_SIMILARITY_WITH_POSTCODE : MIN_SIMILARITY;
      if (m.similarity < min) continue;
      // Arrondissements are reached through their commune and the postcode, unless named.
      if (m.commune.kind === 'arrondissement' && !/\d/.test(parsed.city) && !/arr/i.test(parsed.city)) continue;
      const hit = cityFeature(m, parsed);
      if (!hit || seen.has(hit.feature.properties.citycode)) continue;
      seen.add(hit.feature.properties.citycode);
      features.push(hit.feature);
      rank.set(hit.feature, hit.rank);
    }
  }
  // Postcode only, or a city nobody knows next to a real postcode: the postcode, with less confidence.
  if (parsed.postcode && !features.some((f) => f.properties.postcodeMismatch !== true)) {
    const f = postcodeFeature(parsed.postcode, parsed, parsed.city ? POSTCODE_ONLY_SCORE / 2 : POSTCODE_ONLY_SCORE);
    if (f) features.push(f);
  }
  if (!parsed.postcode) {
    // "Finistère", "Seine-Saint-Denis", "Corse": the département / région unless a commune has that very name.
    const area = parsed.city ? areaFeature(parsed.city, parsed) : parsed.country && !parsed.street ? countryFeature() : null;
    if (area && !features.some((f) => (rank.get(f) ?? 0) >= 1)) {
      features.push(area);
      rank.set(area, 1);
    }
  }
  features.sort((a, b) => (rank.get(b) ?? b.properties.score) - (rank.get(a) ?? a.properties.score));
  return { type: 'FeatureCollection', features: features.slice(0, limit) };
};

export interface AccountAddress {
  readonly line1?: string | null;
  readonly line2?: string | null;
  readonly postcode?: string | null;
  readonly city?: string | null;
  readonly country?: string | null;
}

/**
 * Best candidate for an account's address, or null when none reaches `minScore` (default 0.5),
 * when it is only a département / the country, or the country is not France (no data yet). For the server on account creation / address change.
 */
export const geocodeAccountAddress = (address: AccountAddress, options: { readonly minScore?: number } = {}): GeocodeFeature | null => {
  const minScore = options.minScore ?? 0.5;
  if (!isFrance(address.country ?? undefined)) return null;
  const line1 = address.line1?.trim() ?? '';
  const line2 = address.line2?.trim() ?? '';
  // line2 is usually a complement (building, BP…); use it as the street only when line1 is empty.
  const street = line1 || line2;
  const best = geocode(
    { street, postcode: address.postcode ?? '', city: address.city ?? '', ...(address.country ? { country: address.country } : {}) },
    { limit: 1 },
  ).features[0];
  // A département or the country is no address.
  const precise = best && best.properties.precision !== 'region' && best.properties.precision !== 'country';
  return best && precise && best.properties.score >= minScore ? best : null;
};
