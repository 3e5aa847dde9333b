// Address files: streaming read speed of a BAN export and matching speed / hit rate against the
// points of one commune. Synthetic, deterministic data in the real BAN format.
// Run: node --import tsx packages/geo/bench/addresses.ts [rows = 300000]
import { Readable } from 'node:stream';
import { matchAddressPoints, readBanCsv, type AddressPoint } from '../src/index.ts';

const rows = Number(process.argv[2] ?? 300_000);
let seed = 20_261_123;
const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const TYPES = ['Rue', 'Avenue', 'Boulevard', 'Place', 'Chemin', 'Impasse', 'Route', 'Allée', 'Rue', 'Rue'];
const NAMES = [
  'Jean Jaurès', 'Victor Hugo', 'de la Gare', 'Roger Salengro', 'du Général de Gaulle', 'Pasteur', "de l'Église", 'des Écoles', 'du Moulin', 'Gambetta',
  'Émile Zola', 'du 8 Mai 1945', 'de la République', 'Jules Ferry', 'Saint-Martin', 'des Tilleuls', 'du Maréchal Foch', 'Anatole France', 'de Verdun', 'de la Liberté',
  'Voltaire', 'des Lilas', 'Sainte-Anne', 'du Château', 'de Paris', 'Paul Bert', 'Carnot', 'du Stade', 'Léon Blum', 'de la Fontaine',
];
const HEADER = 'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';

/** Lines of a synthetic adresses-59.csv: communes of ~1,800 points, streets of 2–60 numbers. */
function* banLines(total: number): Generator<string> {
  yield HEADER;
  let n = 0;
  for (let c = 0; n < total; c++) {
    const insee = `59${String(c + 1).padStart(3, '0')}`;
    const postcode = `59${String(100 + (c % 800)).padStart(3, '0')}`;
    const city = `Commune ${c + 1}-sur-Écaillon`;
    const lng0 = 3 + (c % 40) * 0.02;
    const lat0 = 50 + Math.floor(c / 40) * 0.02;
    const used = new Set<string>();
    for (let s = 0; s < 60 && n < total; s++) {
      const street = `${pick(TYPES)} ${pick(NAMES)}`;
      if (used.has(street)) continue;
      used.add(street);
      const count = 2 + Math.floor(rand() * 58);
      const angle = rand() * Math.PI;
      for (let k = 1; k <= count && n < total; k++) {
        if (rand() < 0.15) continue; // numbers missing from the file
        const rep = rand() < 0.03 ? 'bis' : '';
        const lng = lng0 + s * 0.0004 + Math.cos(angle) * k * 0.00008;
        const lat = lat0 + Math.sin(angle) * k * 0.00005 + (k % 2) * 0.00002;
        yield `${insee}_${String(s).padStart(4, '0')}_${String(k).padStart(5, '0')}${rep ? `_${rep}` : ''};;${k};${rep};${street};${postcode};${insee};${city};;;700000.00;7000000.00;${lng.toFixed(6)};${lat.toFixed(6)};entrée;;;COMMUNE;${street.toUpperCase()};commune;commune;1;`;
        n++;
      }
    }
  }
}

/** The lines in ~64 KB string chunks, as a file stream would give them. */
function* chunks(total: number): Generator<string> {
  let buffer = '';
  for (const line of banLines(total)) {
    buffer += `${line}\n`;
    if (buffer.length >= 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const p95 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? Number.NaN;

// ---- read
const readRuns: { ms: number; cpuMs: number; points: number; errors: number }[] = [];
let byCommune = new Map<string, AddressPoint[]>();
for (let run = 0; run < 3; run++) {
  seed = 20_261_123;
  byCommune = new Map();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let points = 0;
  let errors = 0;
  for await (const item of readBanCsv(Readable.from(chunks(rows)))) {
    if (item.kind === 'error') {
      errors++;
      continue;
    }
    points++;
    const list = byCommune.get(item.point.cityInsee ?? '');
    if (list) list.push(item.point);
    else byCommune.set(item.point.cityInsee ?? '', [item.point]);
  }
  const cpu = process.cpuUsage(cpu0);
  readRuns.push({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, points, errors });
}
const readMs = median(readRuns.map((r) => r.ms));
const readCpuMs = median(readRuns.map((r) => r.cpuMs));
const points = readRuns[0]?.points ?? 0;

// ---- match, on the largest commune
const commune = [...byCommune.values()].sort((a, b) => b.length - a.length)[0] ?? [];
const streets = [...new Set(commune.map((p) => p.street))];
const typo = (s: string): string => {
  const i = 5 + Math.floor(rand() * Math.max(1, s.length - 6));
  return s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2);
};
const ABBREVIATIONS: readonly [RegExp, string][] = [[/^Rue /, 'R '], [/^Avenue /, 'AV. '], [/^Boulevard /, 'BD '], [/^Place /, 'PL '], [/^Chemin /, 'CHEM '], [/^Impasse /, 'IMP '], [/^Route /, 'RTE '], [/Saint-/, 'St '], [/Général/, 'Gal']];
const abbreviate = (s: string): string => ABBREVIATIONS.reduce((acc, [re, to]) => acc.replace(re, to), s).toUpperCase();
type Kind = 'exact' | 'abbreviated, upper case' | 'typo in street' | 'number not in file' | 'street only';
const cases: { kind: Kind; query: string; street: string; precision: 'housenumber' | 'street' }[] = [];
seed = 7;
for (let i = 0; i < 2000; i++) {
  const p = pick(commune);
  const sameStreet = commune.filter((q) => q.street === p.street).map((q) => Number.parseInt(q.number, 10));
  const missing = [...Array.from({ length: 60 }, (_, k) => k + 1)].filter((k) => !sameStreet.includes(k) && k > Math.min(...sameStreet) && k < Math.max(...sameStreet));
  const where = `${p.postcode} ${p.city}`;
  const kind = (['exact', 'abbreviated, upper case', 'typo in street', 'number not in file', 'street only'] as const)[i % 5] ?? 'exact';
  if (kind === 'number not in file' && missing.length === 0) continue;
  const query =
    kind === 'exact' ? `${p.number} ${p.street} ${where}`
    : kind === 'abbreviated, upper case' ? `${p.number}, ${abbreviate(p.street)} ${where.toUpperCase()}`
    : kind === 'typo in street' ? `${p.number} ${typo(p.street)} ${where}`
    : kind === 'number not in file' ? `${pick(missing)} ${p.street} ${where}`
    : `${p.street}, ${where}`;
  cases.push({ kind, query, street: p.street, precision: kind === 'exact' || kind === 'abbreviated, upper case' || kind === 'typo in street' ? 'housenumber' : 'street' });
}
matchAddressPoints(cases[0]?.query ?? '', commune); // loads the gazetteer used by the parser
const stats = new Map<Kind, { n: number; ok: number; us: number[] }>();
const cpu0 = process.cpuUsage();
const all: number[] = [];
for (let run = 0; run < 3; run++) {
  for (const c of cases) {
    const t0 = performance.now();
    const best = matchAddressPoints(c.query, commune, { limit: 1 })[0];
    const us = (performance.now() - t0) * 1000;
    all.push(us);
    if (run > 0) continue;
    const s = stats.get(c.kind) ?? { n: 0, ok: 0, us: [] };
    s.n++;
    s.us.push(us);
    if (best?.street === c.street && best.precision === c.precision) s.ok++;
    stats.set(c.kind, s);
  }
}
const matchCpu = process.cpuUsage(cpu0);

console.log(`\nRead ${points.toLocaleString('en')} BAN rows (${readRuns[0]?.errors ?? 0} errors), median of 3 runs:`);
console.log('| | value |\n| --- | --- |');
console.log(`| wall time | ${(readMs / 1000).toFixed(2)} s |`);
console.log(`| CPU time | ${(readCpuMs / 1000).toFixed(2)} s |`);
console.log(`| rows / s (wall) | ${Math.round(points / (readMs / 1000)).toLocaleString('en')} |`);
console.log(`\nMatch against the largest commune: ${commune.length.toLocaleString('en')} points, ${streets.length} streets; ${cases.length} queries × 3 runs`);
console.log('| query | example | top-1 right street and precision | median µs |\n| --- | --- | --- | --- |');
for (const [kind, s] of stats) {
  const example = cases.find((c) => c.kind === kind)?.query ?? '';
  console.log(`| ${kind} | \`${example}\` | ${((s.ok / s.n) * 100).toFixed(1)} % | ${Math.round(median(s.us))} |`);
}
console.log(`| all | | | ${Math.round(median(all))} (p95 ${Math.round(p95(all))}) |`);
const ok = [...stats.values()].reduce((a, s) => a + s.ok, 0) / cases.length;
console.log(
  JSON.stringify({
    bench: 'addresses', rows: points, readMs: Math.round(readMs), readCpuMs: Math.round(readCpuMs), rowsPerSec: Math.round(points / (readMs / 1000)),
    communePoints: commune.length, queries: cases.length, matchMedianUs: Math.round(median(all)), matchP95Us: Math.round(p95(all)),
    matchCpuMs: Math.round((matchCpu.user + matchCpu.system) / 1000), top1: Math.round(ok * 1000) / 1000,
  }),
);
