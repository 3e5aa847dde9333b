import { STREET_TYPES, normalizeStreet } from '../geocode.ts';
import { normalizePlaceName } from '../normalize.ts';
import { trigrams } from '../search.ts';

// Abbreviations normalizeStreet leaves alone (it expands St, Fg, Gal, Mal, Pdt, Dr… inside names).
const EXTRA_WORDS: Readonly<Record<string, string>> = {
  gde: 'grande', gd: 'grand', gds: 'grands', gdes: 'grandes', cdt: 'commandant', cne: 'capitaine', lt: 'lieutenant',
  mgr: 'monseigneur', che: 'chemin',
};
const LEADING_NUMBER = /^\s*(\d{1,5})\s*(bis|ter|quater|[a-z])?\b[\s,]*/i;

/**
 * A street name as a matching key: street type abbreviations expanded (bd → boulevard, av →
 * avenue, r → rue, pl → place, chem → chemin, imp → impasse, rte → route, fbg → faubourg…),
 * St/Ste → saint/sainte, accents, case, hyphens, apostrophes and punctuation removed, articles
 * kept (elided ones as a word: l'Église → l eglise). A leading house number is kept in front.
 * @example normalizeStreetKey('18, rue Roger-Salengro') === normalizeStreetKey('18 RUE ROGER SALENGRO') // '18 rue roger salengro'
 * @example normalizeStreetKey("Bd St-Michel") // 'boulevard saint michel'
 */
export const normalizeStreetKey = (street: string): string => {
  const text = street.replace(/\./g, ' ');
  const number = LEADING_NUMBER.exec(text);
  const rest = number ? text.slice(number[0].length) : text;
  const key = normalizePlaceName(normalizeStreet(rest))
    .split(' ')
    .map((w) => EXTRA_WORDS[w] ?? w)
    .join(' ');
  const prefix = number ? normalizePlaceName(`${number[1] ?? ''} ${number[2] ?? ''}`) : '';
  return [prefix, key].filter((s) => s !== '').join(' ');
};

const ARTICLES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'a', 'au', 'aux', 'en', 'et']);
const TYPE_KEYS: readonly string[] = [...new Set(Object.values(STREET_TYPES).map(normalizePlaceName))].sort((a, b) => b.length - a.length);

/** Splits a street key into its type ('rue', 'rond point'…, '' when none) and its name without articles. */
export const splitStreetKey = (key: string): { readonly type: string; readonly name: string } => {
  const type = TYPE_KEYS.find((t) => key === t || key.startsWith(`${t} `)) ?? '';
  const name = key
    .slice(type.length)
    .split(' ')
    .filter((w) => w !== '' && !ARTICLES.has(w))
    .join(' ');
  return { type, name };
};

// Three rows reused by every call (grown when needed): no allocation per comparison.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0;
  if (a.length === 0 || b.length === 0) return a.length + b.length;
  if (rows[0].length <= b.length) rows = [new Int32Array(b.length + 1), new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
};

const editSimilarity = (a: string, b: string): number => {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
};

const jaccard = (ta: ReadonlySet<string>, tb: ReadonlySet<string>): number => {
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const union = ta.size + tb.size - shared;
  return union === 0 ? 0 : shared / union;
};

const ARTICLES_DROPPED = 0.97;
const TYPE_MISSING = 0.93;
const TYPE_DIFFERS = 0.75;
// Same trigrams, other word order ('Rue Zola Émile'): close, never equal.
const WORD_ORDER = 0.95;
// 'Rue du 8 Mai' for 'Rue du 8 Mai 1945': a name of two words or more that starts the other one.
const SHORTENED = 0.9;

interface Prepared {
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly keyGrams: ReadonlySet<string>;
  readonly nameGrams: ReadonlySet<string>;
}
const prepared = new Map<string, Prepared>();
const prepare = (key: string): Prepared => {
  let p = prepared.get(key);
  if (!p) {
    if (prepared.size >= 50_000) prepared.clear();
    const { type, name } = splitStreetKey(key);
    p = { key, type, name, keyGrams: trigrams(key), nameGrams: trigrams(name) };
    prepared.set(key, p);
  }
  return p;
};

const similar = (a: string, ga: ReadonlySet<string>, b: string, gb: ReadonlySet<string>): number => {
  if (a === b) return 1;
  const tri = WORD_ORDER * jaccard(ga, gb);
  const longest = Math.max(a.length, b.length);
  // Edit similarity cannot exceed this: skip the distance when trigrams already do better.
  const bound = longest === 0 ? 1 : 1 - Math.abs(a.length - b.length) / longest;
  return bound <= tri ? tri : Math.max(tri, editSimilarity(a, b));
};

/** Plain similarity of two normalised names (commune names): edit distance or trigrams, whichever is higher. */
export const keySimilarity = (a: string, b: string): number => similar(a, trigrams(a), b, trigrams(b));

const isShortened = (a: Prepared, b: Prepared): boolean => {
  const [short, long] = a.name.length <= b.name.length ? [a.name, b.name] : [b.name, a.name];
  return a.type === b.type && short.includes(' ') && long.startsWith(`${short} `);
};

/**
 * streetSimilarity(queryKey, ·) with the query's work done once (for many candidate streets).
 */
export const streetComparer = (queryKey: string): ((key: string) => number) => {
  const q = prepare(queryKey);
  return (key) => {
    if (key === q.key) return 1;
    const c = prepare(key);
    const names = similar(q.name, q.nameGrams, c.name, c.nameGrams);
    const whole = (): number => similar(q.key, q.keyGrams, c.key, c.keyGrams);
    const best =
      isShortened(q, c) ? Math.max(SHORTENED, whole(), ARTICLES_DROPPED * names)
      : q.type === c.type ? Math.max(whole(), ARTICLES_DROPPED * names)
      : q.type === '' || c.type === '' ? Math.max(whole(), TYPE_MISSING * names)
      : TYPE_DIFFERS * names;
    return Math.round(best * 1000) / 1000;
  };
};

/**
 * Similarity in [0, 1] of two street keys (from normalizeStreetKey), tolerant of typos (edit
 * distance), word order (trigrams, × 0.95), missing articles (× 0.97), a type missing on one side
 * (× 0.93), a shortened name ('Rue du 8 Mai' for 'Rue du 8 Mai 1945', 0.9). Two different types
 * ('rue' / 'avenue') weigh more (× 0.75 of the names): they are often two streets, yet the only
 * 'avenue Jean Jaurès' of a town is still found for 'rue Jean Jaurès'.
 */
export const streetSimilarity = (a: string, b: string): number => streetComparer(a)(b);
