import { describe, expect, it } from 'vitest';
import { defaultMatchMode, mappingErrors, normaliseHeader, suggestMapping } from './columns.ts';
import { detectDelimiter, detectLayout } from './file-reader.ts';
import { mapRow } from './row-mapper.ts';

const context = (mapping: Parameters<typeof mapRow>[1]['mapping']) => ({ mapping, usersByEmail: new Map([['rep@a.test', 'user-1']]) });

describe('column suggestions', () => {
  it('recognises French and English headers whatever their case, accents and punctuation', () => {
    expect(normaliseHeader('  Téléphone / Fixe ')).toBe('telephone fixe');
    expect(suggestMapping(['Raison sociale', 'CP', 'Ville', 'Adresse', 'Tél.', 'E-mail', 'SIRET', 'Type', 'Latitude', 'Longitude', 'Étiquettes', 'Commentaires', 'Commercial'])).toEqual([
      'name',
      'postcode',
      'city',
      'line1',
      'phone',
      'email',
      'externalId',
      'kind',
      'lat',
      'lng',
      'tags',
      'notes',
      'ownerEmail',
    ]);
    expect(suggestMapping(['Company name', 'Zip code', 'Town', 'Country', 'Website'])).toEqual(['name', 'postcode', 'city', 'country', 'website']);
  });

  it('maps a field once (the first column wins) and leaves unknown columns out', () => {
    expect(suggestMapping(['Nom', 'Société', 'Couleur préférée'])).toEqual(['name', null, null]);
  });

  it('chooses the match mode and explains an incomplete mapping', () => {
    expect(defaultMatchMode(['externalId', 'name'])).toBe('externalId');
    expect(defaultMatchMode(['name', 'postcode'])).toBe('namePostcode');
    expect(defaultMatchMode(['name'])).toBe('none');
    expect(mappingErrors(['CP'], ['postcode'], 'none')).toEqual(['Required column missing: no column is mapped to Name (e.g. "Raison sociale" or "Nom").']);
    expect(mappingErrors(['Nom', 'Lat'], ['name', 'lat'], 'externalId')).toEqual(['Matching by external id needs a column mapped to External id.', 'Map both Latitude and Longitude, or neither.']);
    expect(mappingErrors(['A', 'B'], ['name', 'name'], 'none')).toEqual(['2 columns are mapped to Name: map it to one column only.']);
  });
});

describe('file layout', () => {
  it('finds the separator, ignoring separators inside quotes', () => {
    expect(detectDelimiter('Nom;CP;Ville\n"Dupont, fils";59000;Lille\n')).toBe(';');
    expect(detectDelimiter('name,postcode,city\n"A; B",59000,Lille\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
  });

  it('tells text from XLSX from binary, and UTF-8 from Windows-1252', () => {
    expect(detectLayout(Buffer.from('Nom;CP\n'), true, 'a.csv')).toEqual({ format: 'csv', encoding: 'utf-8' });
    expect(detectLayout(Buffer.from('Nom;CP\n'), false, 'a.csv')).toEqual({ format: 'csv', encoding: 'windows-1252' });
    expect(detectLayout(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]), true, 'a.xlsx')).toEqual({ format: 'xlsx', encoding: null });
    expect(() => detectLayout(Buffer.alloc(0), true, 'a.csv')).toThrow(/empty/);
    expect(() => detectLayout(Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2]), true, 'a.pdf')).toThrow(/binary/);
    expect(() => detectLayout(Buffer.from([0x50, 0x4b, 0x03, 0x04]), true, 'a.ods')).toThrow(/OpenDocument/);
  });
});

describe('a row', () => {
  const mapping = ['externalId', 'name', 'kind', 'postcode', 'city', 'lat', 'lng', 'email', 'tags', 'ownerEmail', 'country'] as const;
  const row = (cells: string[]) => mapRow(cells, context([...mapping]));

  it('reads French conventions: decimal commas, kind names, a postcode that lost its zero', () => {
    expect(row(['C1', 'Boulangerie', 'Fournisseur', '1000', 'Bourg', '46,2', '5,22', 'a@b.fr', 'pain; bio', 'REP@a.test', 'France'])).toEqual({
      ok: true,
      row: {
        externalId: 'C1',
        name: 'Boulangerie',
        kind: 'supplier',
        address: { postcode: '01000', city: 'Bourg', country: 'FR' },
        location: { lat: 46.2, lng: 5.22 },
        email: 'a@b.fr',
        tags: ['pain', 'bio'],
        ownerId: 'user-1',
      },
    });
  });

  it('names every problem of a bad row, with the value', () => {
    const result = row(['C2', 'X', 'Vaisseau', '59', 'Lille', '91', 'abc', 'pas-un-mail', '', 'nobody@a.test', 'Atlantide']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.name).toBe('X');
    expect(result.reason.split('; ')).toEqual([
      expect.stringMatching(/^Kind "Vaisseau" is unknown/) as unknown,
      'Country "Atlantide" is not a two-letter ISO code (FR, BE, CH…)',
      'Postcode "59" is not a French postcode (5 digits)',
      'Email "pas-un-mail" is not an e-mail address',
      'Latitude 91 is out of range (−90 to 90)',
      'Longitude "abc" is not a number',
      'Owner "nobody@a.test" is not the e-mail of a user of your organisation',
    ]);
  });

  it('refuses a latitude without longitude and cells beyond the header', () => {
    expect(mapRow(['A', '45'], context(['name', 'lat']))).toMatchObject({ ok: false, reason: 'Latitude is given without a longitude' });
    expect(mapRow(['A', 'extra'], context(['name']))).toMatchObject({ ok: false, reason: expect.stringMatching(/2 cells but the header names 1 column/) as unknown });
    expect(mapRow(['A', ''], context(['name']))).toMatchObject({ ok: true });
  });
});
