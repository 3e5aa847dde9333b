import { describe, expect, it } from 'vitest';
import { normalizePlaceName } from './normalize.ts';

describe('normalizePlaceName', () => {
  it.each([
    ['Paris', 'paris'],
    ["L'Abergement-Clémenciat", 'l abergement clemenciat'],
    ["St-Étienne-d'Orthe", 'saint etienne d orthe'],
    ['Ste Marie aux Mines', 'sainte marie aux mines'],
    ['  Saint   Denis ', 'saint denis'],
    ['ÉVRY-COURCOURONNES', 'evry courcouronnes'],
    ['Œuilly', 'oeuilly'],
    ['Cattenières', 'cattenieres'],
    ['Marseille 1er Arrondissement', 'marseille 1er arrondissement'],
    ['Châlons-en-Champagne', 'chalons en champagne'],
    ['Faistes', 'faistes'],
    ['Le Mesnil-Saint-Denis', 'le mesnil saint denis'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizePlaceName(input)).toBe(expected);
  });

  it('keeps words that merely start like an abbreviation', () => {
    expect(normalizePlaceName('Stenay')).toBe('stenay');
    expect(normalizePlaceName('Steenvoorde')).toBe('steenvoorde');
  });
});
