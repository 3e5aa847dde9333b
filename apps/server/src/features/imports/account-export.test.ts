import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from './account-export.ts';

describe('CSV export', () => {
  it('never lets a spreadsheet run a cell as a formula, and leaves phone numbers and plain text alone', () => {
    for (const formula of ['=HYPERLINK("http://evil","x")', '@SUM(A1)', '+cmd|calc', '-2+3+cmd|calc', '\t=1', '\r=1']) {
      expect(neutraliseFormula(formula).startsWith("'")).toBe(true);
    }
    for (const text of ['+33 6 12 34 56 78', '-12.5', 'Boulangerie = bonne', 'Jean-Marc', '']) expect(neutraliseFormula(text)).toBe(text);
  });
});
