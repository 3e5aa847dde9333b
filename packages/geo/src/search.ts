import { loadFormerCommunes, loadFrenchCommunes, type Commune } from './communes.ts';
import { normalizePlaceName } from './normalize.ts';

export interface FindCommunesOptions {
  /** A postcode the commune should have (also read from a 5-digit number in the query). */
  readonly postcode?: string;
  /** Maximum number of candidates. Default 10. */
  readonly limit?: number;
  /** Minimum name similarity in [0, 1]. Default 0.45 (0.3 for a commune having the given postcode). */
  readonly minSimilarity?: number;
}

export interface CommuneMatch {
  readonly commune: Commune;
  /**
   * Ranking value (higher is better, about 0–1.4): name similarity (word-prefix matches raised,
   * former names × 0.6) + 0.3 for the postcode or 0.15 for its département + ≤ 0.05 for population.
   */
  readonly score: number;
  /** Trigram similarity (Jaccard, as PostgreSQL pg_trgm) of the normalised names, in [0, 1]. */
  readonly similarity: number;
  /** The name that matched: the commune's, or a former commune's merged into it. */
  readonly matchedName: string;
  readonly via: 'name' | 'former-name';
  readonly postcodeMatch: 'postcode' | 'departement' | null;
}

const POSTCODE_BONUS = 0.3;
const DEPARTEMENT_BONUS = 0.15;
// "Boulogne" should prefer Boulogne-sur-Mer to a village merged away under that name decades ago
// (an old address usually comes with its postcode, which adds the postcode bonus back)…
const FORMER_NAME_FACTOR = 0.6;
// …and names that start with the query's words ("Boulogne" → "Boulogne-Billancourt").
const PREFIX_BONUS = 0.1;
// Up to ~0.05 for the largest cities: orders homonyms and near-equal matches.
const POPULATION_WEIGHT = 0.05;
const THRESHOLD = 0.45;
const POSTCODE_THRESHOLD = 0.3;

/** pg_trgm-style trigrams: each word padded with two spaces before and one after. */
export const trigrams = (normalized: string): Set<string> => {
  const out = new Set<string>();
  for (const word of normalized.split(' ')) {
    if (word === '') continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
};

/** Trigram similarity of two strings after normalizePlaceName, in [0, 1]. */
export const nameSimilarity = (a: string, b: string): number => {
  const ta = trigrams(normalizePlaceName(a));
  const tb = trigrams(normalizePlaceName(b));
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const union = ta.size + tb.size - shared;
  return union === 0 ? 0 : shared / union;
};

interface Entry {
  readonly commune: Commune;
  readonly name: string;
  readonly normalized: string;
  readonly via: CommuneMatch['via'];
  readonly size: number;
}
interface Gazetteer { readonly entries: readonly Entry[]; readonly postings: ReadonlyMap<string, Int32Array> }

let gazetteer: Gazetteer | undefined;
const getGazetteer = (): Gazetteer => {
  if (gazetteer) return gazetteer;
  const communes = loadFrenchCommunes();
  const byInsee = new Map(communes.map((c) => [c.insee, c]));
  const entries: Entry[] = [];
  const lists = new Map<string, number[]>();
  const add = (commune: Commune, name: string, via: Entry['via']): void => {
    const normalized = normalizePlaceName(name);
    const grams = trigrams(normalized);
    const id = entries.length;
    entries.push({ commune, name, normalized, via, size: grams.size });
    for (const g of grams) {
      const list = lists.get(g);
      if (list) list.push(id);
      else lists.set(g, [id]);
    }
  };
  for (const c of communes) add(c, c.name, 'name');
  for (const f of loadFormerCommunes()) {
    const parent = byInsee.get(f.parent);
    // A commune déléguée often carries the name of the new commune itself: no extra entry then.
    if (parent && normalizePlaceName(f.name) !== normalizePlaceName(parent.name)) add(parent, f.name, 'former-name');
  }
  gazetteer = { entries, postings: new Map([...lists].map(([g, ids]) => [g, Int32Array.from(ids)])) };
  return gazetteer;
};

const departementsOfPostcode = (postcode: string): readonly string[] => {
  if (postcode.startsWith('97')) return [postcode.slice(0, 3)];
  if (postcode.startsWith('20')) return ['2A', '2B'];
  return [postcode.slice(0, 2)];
};

/**
 * Fuzzy search of French communes by name (current names and former names of merged communes),
 * tolerant to accents, hyphens, `St`/`Ste` and typos. Homonyms are ranked by postcode, then
 * département match, then population. Input that resembles no name returns [].
 * @example findCommunes('catenieres', { postcode: '59217' })[0]?.commune.insee // '59140'
 */
export const findCommunes = (query: string, options: FindCommunesOptions = {}): readonly CommuneMatch[] => {
  const limit = options.limit ?? 10;
  const postcode = options.postcode ?? /\b(\d{5})\b/.exec(query)?.[1];
  const cleaned = normalizePlaceName(query.replace(/\b\d{5}\b/g, ' ').replace(/\bcedex\b/gi, ' ')).replace(/\b\d+\b/g, ' ').trim();
  const departements = postcode ? departementsOfPostcode(postcode) : [];
  const postcodeMatch = (c: Commune): CommuneMatch['postcodeMatch'] =>
    postcode && c.postcodes.includes(postcode) ? 'postcode' : departements.includes(c.departement) ? 'departement' : null;
  const prefixKey = `${cleaned} `;
  const isPrefix = (e: Entry): boolean => cleaned !== '' && e.normalized.startsWith(prefixKey);
  const rank = (similarity: number, e: Entry): number => {
    const match = postcodeMatch(e.commune);
    const bonus = match === 'postcode' ? POSTCODE_BONUS : match === 'departement' ? DEPARTEMENT_BONUS : 0;
    // Trigram similarity penalises long names; a name that starts with the query's words is
    // at least a fair match whatever its length.
    const name = isPrefix(e) ? Math.max(similarity, 0.5) + PREFIX_BONUS : similarity;
    const base = name * (e.via === 'former-name' ? FORMER_NAME_FACTOR : 1);
    return base + bonus + POPULATION_WEIGHT * (Math.log10(1 + e.commune.population) / 7);
  };

  const best = new Map<string, CommuneMatch>();
  const consider = (entry: Entry, similarity: number): void => {
    const match = postcodeMatch(entry.commune);
    const threshold = options.minSimilarity ?? (match === 'postcode' ? POSTCODE_THRESHOLD : THRESHOLD);
    if (similarity < threshold && !(isPrefix(entry) && similarity >= threshold / 2)) return;
    const candidate: CommuneMatch = {
      commune: entry.commune,
      score: rank(similarity, entry),
      similarity,
      matchedName: entry.name,
      via: entry.via,
      postcodeMatch: match,
    };
    const previous = best.get(entry.commune.insee);
    if (!previous || previous.score < candidate.score) best.set(entry.commune.insee, candidate);
  };

  const { entries, postings } = getGazetteer();
  if (cleaned === '') {
    // A bare postcode: every commune that has it.
    if (!postcode) return [];
    for (const e of entries) if (e.via === 'name' && e.commune.postcodes.includes(postcode)) consider(e, 1);
  } else {
    const grams = trigrams(cleaned);
    // Typed-array counters (not a Map): common trigrams ("sai", "int") hit thousands of names.
    const counts = new Uint16Array(entries.length);
    const touched: number[] = [];
    for (const g of grams) {
      const ids = postings.get(g);
      if (!ids) continue;
      // Indexed loop: for…of over a typed array is several times slower here.
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] ?? 0;
        if (counts[id] === 0) touched.push(id);
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
    // Most touched names share a trigram or two: drop them before any string work.
    const lowest = Math.min(options.minSimilarity ?? POSTCODE_THRESHOLD, POSTCODE_THRESHOLD);
    for (const id of touched) {
      const e = entries[id];
      const count = counts[id] ?? 0;
      const similarity = e ? count / (grams.size + e.size - count) : 0;
      if (e && (similarity >= lowest || (similarity >= lowest / 2 && isPrefix(e)))) consider(e, similarity);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || b.commune.population - a.commune.population || a.commune.insee.localeCompare(b.commune.insee))
    .slice(0, limit);
};
