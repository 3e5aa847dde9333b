// Speed and hit rate of the offline geocoder on addresses built from the commune list, a third
// with a typo in the city. Run: node --import tsx packages/geo/bench/geocode.ts [count] [--failures]
import { geocode, loadFrenchCommunes } from '../src/index.ts';

const count = Number(process.argv[2] ?? 3000);
const CITIES_WITH_ARRONDISSEMENTS = new Set(['75056', '69123', '13055']);
const showFailures = process.argv.includes('--failures');
let seed = 20_261_123;
const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rand() * xs.length)];

/** One edit: drop, double or swap a letter (not the first). */
const typo = (name: string): string => {
  const i = 1 + Math.floor(rand() * Math.max(1, name.length - 2));
  const kind = Math.floor(rand() * 3);
  if (kind === 0) return name.slice(0, i) + name.slice(i + 1);
  if (kind === 1) return name.slice(0, i) + (name[i] ?? '') + name.slice(i);
  return name.slice(0, i) + (name[i + 1] ?? '') + (name[i] ?? '') + name.slice(i + 2);
};

const communes = loadFrenchCommunes().filter((c) => c.kind === 'commune' && c.location);
const streets = ['rue de la Gare', 'av. Jean Jaurès', 'bd Victor Hugo', 'imp. des Lilas', 'chem. du Moulin', 'pl. de l’Église'];
type Variant = 'exact + postcode' | 'typo + postcode' | 'typo, no postcode' | 'upper case, CEDEX';
const cases: { query: string; insee: string; variant: Variant }[] = [];
for (let i = 0; i < count; i++) {
  const c = pick(communes);
  if (!c) continue;
  const street = `${1 + Math.floor(rand() * 120)} ${pick(streets) ?? ''}`;
  const postcode = pick(c.postcodes) ?? '';
  const variant = (['exact + postcode', 'typo + postcode', 'typo, no postcode', 'upper case, CEDEX'] as const)[i % 4] ?? 'exact + postcode';
  const query =
    variant === 'exact + postcode' ? `${street} ${postcode} ${c.name}`
    : variant === 'typo + postcode' ? `${street} ${postcode} ${typo(c.name)}`
    : variant === 'typo, no postcode' ? `${street} à ${typo(c.name)}`
    : `BP 12 ${street.toUpperCase()} ${postcode} ${c.name.toUpperCase()} CEDEX 2`;
  cases.push({ query, insee: c.insee, variant });
}

const started = performance.now();
geocode('75008 Paris'); // builds the indexes
const warmupMs = performance.now() - started;

const times: number[] = [];
const stats = new Map<Variant, { n: number; top1: number; found: number }>();
for (const k of cases) {
  const t0 = performance.now();
  const features = geocode(k.query).features;
  times.push((performance.now() - t0) * 1000);
  const s = stats.get(k.variant) ?? { n: 0, top1: 0, found: 0 };
  s.n++;
  if (features.length > 0) s.found++;
  const top = features[0]?.properties.citycode;
  // An arrondissement counts as its commune.
  if (top === k.insee || (top && CITIES_WITH_ARRONDISSEMENTS.has(k.insee) && top.startsWith(k.insee.slice(0, 2)))) s.top1++;
  else if (showFailures) console.log(`${k.variant}: ${k.query} → ${k.insee}, got ${features[0]?.properties.label ?? 'nothing'} ${top ?? ''}`);
  stats.set(k.variant, s);
}
const sorted = [...times].sort((a, b) => a - b);
const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const garbage = ['zzzz qqqq', '123 rue de nulle part 00000', 'xkcd', 'asdfgh jkl 99999'];
const g0 = performance.now();
for (let i = 0; i < 1000; i++) geocode(garbage[i % garbage.length] ?? '');
const garbageUs = ((performance.now() - g0) * 1000) / 1000;

console.log(`first call (loads data, builds indexes): ${warmupMs.toFixed(0)} ms`);
console.log('| variant | queries | top-1 = expected commune | any feature |');
console.log('| --- | --- | --- | --- |');
for (const [variant, s] of stats) console.log(`| ${variant} | ${s.n} | ${((100 * s.top1) / s.n).toFixed(1)} % | ${((100 * s.found) / s.n).toFixed(1)} % |`);
console.log(`median ${q(0.5).toFixed(0)} µs, p95 ${q(0.95).toFixed(0)} µs, max ${q(1).toFixed(0)} µs per query; garbage ${garbageUs.toFixed(0)} µs/query`);
const top1 = [...stats.values()].reduce((s, v) => s + v.top1, 0) / cases.length;
console.log(JSON.stringify({ bench: 'geocode', queries: cases.length, warmupMs: Math.round(warmupMs), medianUs: Math.round(q(0.5)), p95Us: Math.round(q(0.95)), garbageUs: Math.round(garbageUs), top1: Math.round(top1 * 1000) / 1000 }));
