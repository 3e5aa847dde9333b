const SAINT_ABBREVIATIONS: Readonly<Record<string, string>> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };

/**
 * Normalises a French place name for comparison: lower case, accents and ligatures removed,
 * hyphens/apostrophes/punctuation turned into spaces, `st`/`ste` expanded, spaces collapsed.
 * @example normalizePlaceName("St-Étienne-d'Orthe") // 'saint etienne d orthe'
 */
export const normalizePlaceName = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => SAINT_ABBREVIATIONS[w] ?? w)
    .join(' ');
