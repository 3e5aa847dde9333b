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

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let beforePrevious: number[] = [];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (beforePrevious[j - 2] ?? 0) + 1);
      row.push(d);
    }
    beforePrevious = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
};

const editSimilarity = (a: string, b: string): number => {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
};

const trigramSimilarity = (a: string, b: string): number => {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const union = ta.size + tb.size - shared;
  return union === 0 ? 0 : shared / union;
};

const ARTICLES_DROPPED = 0.97;
const TYPE_MISSING = 0.93;
const TYPE_DIFFERS = 0.75;
// 'Rue du 8 Mai' for 'Rue du 8 Mai 1945': a name of two words or more that starts the other one.
const SHORTENED = 0.9;
const isShortened = (a: { readonly type: string; readonly name: string }, b: { readonly type: string; readonly name: string }): boolean => {
  const [short, long] = a.name.length <= b.name.length ? [a.name, b.name] : [b.name, a.name];
  return a.type === b.type && short.includes(' ') && long.startsWith(`${short} `);
};
const similar = (a: string, b: string): number => Math.max(editSimilarity(a, b), trigramSimilarity(a, b));

/**
 * Similarity in [0, 1] of two street keys (from normalizeStreetKey), tolerant of typos (edit
 * distance), word order (trigrams), missing articles (× 0.97) and a type missing on one side
 * (× 0.93), a shortened name ('Rue du 8 Mai' for 'Rue du 8 Mai 1945', 0.9). Two different types ('rue' / 'avenue') weigh more (× 0.75 of the names): they are
 * often two streets, yet the only 'avenue Jean Jaurès' of a town is still found for 'rue Jean Jaurès'.
 */
export const streetSimilarity = (a: string, b: string): number => {
  if (a === b) return 1;
  const sa = splitStreetKey(a);
  const sb = splitStreetKey(b);
  const names = similar(sa.name, sb.name);
  const best =
    isShortened(sa, sb) ? Math.max(SHORTENED, similar(a, b), ARTICLES_DROPPED * names)
    : sa.type === sb.type ? Math.max(similar(a, b), ARTICLES_DROPPED * names)
    : sa.type === '' || sb.type === '' ? Math.max(similar(a, b), TYPE_MISSING * names)
    : TYPE_DIFFERS * names;
  return Math.round(best * 1000) / 1000;
};
