import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { AppError } from '@geocrm/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedProvider } from '../providers/embedded.ts';
import { createMemoryAddressPointSource, withAddressPoints } from './geocoder.ts';
import { addressMatchToFeature, matchAddressPoints, parseStreetAddress } from './match.ts';
import { detectAddressFileFormat, readAddressFile, readBanCsv, readOpenAddressesCsv } from './read.ts';
import { normalizeStreetKey, streetSimilarity } from './street-key.ts';
import type { AddressFileItem, AddressPoint } from './types.ts';

const fixture = (name: string) => createReadStream(new URL(`./fixtures/${name}`, import.meta.url));
const collect = async (items: AsyncIterable<AddressFileItem>): Promise<AddressFileItem[]> => {
  const out: AddressFileItem[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const pointsOf = (items: readonly AddressFileItem[]): AddressPoint[] => items.flatMap((i) => (i.kind === 'point' ? [i.point] : []));
const errorsOf = (items: readonly AddressFileItem[]) => items.flatMap((i) => (i.kind === 'error' ? [{ line: i.line, message: i.message }] : []));

describe('normalizeStreetKey', () => {
  it('gives one key to the ways a street is written', () => {
    expect(normalizeStreetKey('18, rue Roger-Salengro')).toBe('18 rue roger salengro');
    expect(normalizeStreetKey('18 RUE ROGER SALENGRO')).toBe('18 rue roger salengro');
    expect(normalizeStreetKey('R. Roger Salengro')).toBe('rue roger salengro');
    expect(normalizeStreetKey('Bd St-Michel')).toBe(normalizeStreetKey('boulevard Saint Michel'));
    expect(normalizeStreetKey("pl. de l'Église")).toBe('place de l eglise');
    expect(normalizeStreetKey('PLACE DE L EGLISE')).toBe('place de l eglise');
    expect(normalizeStreetKey('AV. DU GAL DE GAULLE')).toBe('avenue du general de gaulle');
    expect(normalizeStreetKey('chem. de la Fontaine')).toBe('chemin de la fontaine');
    expect(normalizeStreetKey('imp des Lilas')).toBe('impasse des lilas');
    expect(normalizeStreetKey('rte de Cambrai')).toBe('route de cambrai');
    expect(normalizeStreetKey('Fbg Saint-Denis')).toBe('faubourg saint denis');
    expect(normalizeStreetKey('rue du Fg de Paris')).toBe('rue du faubourg de paris');
    expect(normalizeStreetKey('Pl. Ste-Anne')).toBe('place sainte anne');
    expect(normalizeStreetKey('Gde Rue')).toBe('grande rue');
    expect(normalizeStreetKey('18bis rue X')).toBe('18 bis rue x');
  });

  it('scores streets tolerantly but not across street types', () => {
    const sim = (a: string, b: string) => streetSimilarity(normalizeStreetKey(a), normalizeStreetKey(b));
    expect(sim('rue Roger Salengro', 'Rue Roger Salangro')).toBeGreaterThan(0.9);
    expect(sim('rue de la Gare', 'rue Gare')).toBeGreaterThanOrEqual(0.95);
    expect(sim('Roger Salengro', 'rue Roger Salengro')).toBeGreaterThanOrEqual(0.9);
    expect(sim('rue du 8 Mai', 'Rue du 8 Mai 1945')).toBe(0.9);
    expect(sim('rue Jean Jaurès', 'avenue Jean Jaurès')).toBe(0.75);
    expect(sim('rue des Lilas', 'rue des Tilleuls')).toBeLessThan(0.75);
  });
});

describe('address files', () => {
  it('detects the format from the header line', () => {
    expect(detectAddressFileFormat('\uFEFFid;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles')).toBe('ban');
    expect(detectAddressFileFormat('LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH\r\n')).toBe('openaddresses');
    expect(detectAddressFileFormat('name,lat,lng')).toBeUndefined();
  });

  it('streams a BAN export: points with suffixes and accents, bad rows reported with their line', async () => {
    const items = await collect(readBanCsv(fixture('adresses-59.csv')));
    const points = pointsOf(items);
    expect(points).toHaveLength(24);
    expect(points.find((p) => p.number === '18 bis')).toEqual({
      number: '18 bis', street: 'Rue Roger Salengro', postcode: '59217', cityInsee: '59138', city: 'Cattenières', lng: 3.334805, lat: 50.1339,
      streetKey: 'rue roger salengro', cityKey: 'cattenieres', id: '59138_0190_00018_bis',
    });
    expect(points.find((p) => p.street === "Place de l'Église")?.streetKey).toBe('place de l eglise');
    expect(errorsOf(items)).toEqual([
      { line: 24, message: 'lon is not a longitude: "3,3,3"' },
      { line: 25, message: 'wrong number of columns' },
      { line: 26, message: 'numero 99999 is a placeholder (no house number)' },
    ]);
    // Reading went on after the bad rows.
    expect(items.at(-2)).toMatchObject({ kind: 'point', line: 27, point: { number: '51', city: 'Maing' } });
    expect(items.at(-1)).toMatchObject({ kind: 'point', line: 28, point: { city: 'Dunkerque', cityInsee: '59183', oldCity: 'Fort-Mardyck', oldCityKey: 'fort mardyck' } });
  });

  it('streams an OpenAddresses CSV', async () => {
    const items = await collect(readOpenAddressesCsv(fixture('openaddresses-lille.csv')));
    const points = pointsOf(items);
    expect(points.map((p) => `${p.number} | ${p.streetKey} | ${p.postcode}`)).toEqual([
      '10 | place du general de gaulle | 59000',
      '12 b | place du general de gaulle | 59000',
      '14 | place du general de gaulle | 59000',
      '24 | rue nationale | 59000',
      '26 | rue nationale | 59000',
      '31 bis | rue de l hopital militaire | 59800',
      '2 | rue saint andre | 59800',
    ]);
    expect(points[0]).toMatchObject({ id: '59350_1620_00010', city: 'Lille', lng: 3.0632937, lat: 50.636741 });
    expect(points[3]?.id).toBe('93a4b5c6d7e8f901');
    expect(errorsOf(items)).toEqual([
      { line: 8, message: 'LON is not a longitude: "not-a-number"' },
      { line: 9, message: 'STREET is empty' },
    ]);
  });

  it('reads either format through readAddressFile, from any byte stream', async () => {
    const ban = await readAddressFile(fixture('adresses-59.csv'));
    expect(ban.format).toBe('ban');
    expect(pointsOf(await collect(ban.items))).toHaveLength(24);
    // Small chunks: the header is split across them.
    const text = 'LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH\n3.06,50.63,7,Rue Esquermoise,,Lille,,,59800,,h1\n';
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const oa = await readAddressFile(Readable.from(chunks.map((c) => Buffer.from(c))));
    expect(oa.format).toBe('openaddresses');
    expect(pointsOf(await collect(oa.items))).toMatchObject([{ number: '7', streetKey: 'rue esquermoise', city: 'Lille' }]);
  });

  it('rejects a file of another format', async () => {
    await expect(readAddressFile(Readable.from(['name;lat;lon\nx;1;2\n']))).rejects.toThrow(AppError);
    const error = await collect(readBanCsv(fixture('openaddresses-lille.csv'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/missing columns numero/);
  });
});

describe('matching', () => {
  let points: AddressPoint[] = [];
  let lille: AddressPoint[] = [];
  beforeAll(async () => {
    points = pointsOf(await collect(readBanCsv(fixture('adresses-59.csv'))));
    lille = pointsOf(await collect(readOpenAddressesCsv(fixture('openaddresses-lille.csv'))));
  });

  it('parses an address for matching', () => {
    expect(parseStreetAddress('18 bis, rue Roger-Salengro 59217 Cattenières')).toEqual({
      number: '18', suffix: 'bis', streetKey: 'rue roger salengro', street: 'Rue Roger-Salengro', postcode: '59217', cityKey: 'cattenieres',
    });
    expect(parseStreetAddress({ street: '12B PL DU GAL DE GAULLE', postcode: '59000', city: 'LILLE' })).toMatchObject({ number: '12', suffix: 'bis', streetKey: 'place du general de gaulle', cityKey: 'lille' });
  });

  it('finds a house number exactly, whatever the spelling', () => {
    for (const q of ['18 rue Roger Salengro 59217 Cattenières', '18, RUE ROGER-SALENGRO 59217 CATTENIERES', '18 r roger salengro, 59217']) {
      const [best] = matchAddressPoints(q, points);
      expect(best).toMatchObject({ precision: 'housenumber', method: 'exact', number: '18', lng: 3.3348, lat: 50.1339, cityInsee: '59138' });
      expect(best?.score).toBeGreaterThanOrEqual(0.95);
    }
    expect(matchAddressPoints('18 bis rue Roger Salengro 59217', points)[0]).toMatchObject({ method: 'exact', number: '18 bis' });
    expect(matchAddressPoints("1 pl de l'eglise 59217 Cattenières", points)[0]).toMatchObject({ method: 'exact', street: "Place de l'Église" });
  });

  it('tolerates a typo in the street name', () => {
    const [best] = matchAddressPoints('12 rue Roger Salangro 59217 Cattenières', points);
    expect(best).toMatchObject({ precision: 'housenumber', number: '12' });
    expect(best?.score).toBeGreaterThan(0.9);
    expect(best?.score).toBeLessThan(1);
  });

  it('interpolates a missing number between its neighbours on the same side', () => {
    const [best] = matchAddressPoints('14 rue Roger Salengro 59217 Cattenières', points);
    // Between 12 (3.3342, 50.1336) and 16 (3.3346, 50.1338).
    expect(best).toMatchObject({ precision: 'street', method: 'interpolated', number: '14', lng: 3.3344, lat: 50.1337 });
    expect(best?.point).toBeUndefined();
  });

  it('falls back to the nearest number, or the middle of the street when no number is asked', () => {
    expect(matchAddressPoints('40 rue Roger Salengro 59217', points)[0]).toMatchObject({ precision: 'street', method: 'nearest', number: '18' });
    const street = matchAddressPoints('rue Roger Salengro, Cattenières', points)[0];
    expect(street).toMatchObject({ precision: 'street', method: 'street', street: 'Rue Roger Salengro' });
    expect(street?.number).toBeUndefined();
  });

  it('keeps to the commune of the query and ranks an exact street first', () => {
    expect(matchAddressPoints('18 rue Roger Salengro 59000 Lille', points)).toEqual([]);
    expect(matchAddressPoints('47 rue Jean Jaurès 59233 Maing', points)[0]).toMatchObject({ method: 'exact', score: 1 });
    expect(matchAddressPoints('47 av Jean Jaurès 59233 Maing', points)[0]).toMatchObject({ method: 'exact', score: 0.75 });
    expect(matchAddressPoints('5 rue du 8 Mai 59217', points)[0]).toMatchObject({ method: 'exact', street: 'Rue du 8 Mai 1945' });
    expect(matchAddressPoints('3 rue des Lilas 59233 Maing', points)).toEqual([]);
    // A merged commune's former name, as addresses keep it.
    expect(matchAddressPoints('12 rue Jean Bart 59430 Fort-Mardyck', points)[0]).toMatchObject({ method: 'exact', score: 1, city: 'Dunkerque' });
  });

  it('matches OpenAddresses points and gives GeocodeJSON features', () => {
    const [best] = matchAddressPoints({ street: '12 bis place du Général-de-Gaulle', postcode: '59000', city: 'Lille' }, lille);
    expect(best).toMatchObject({ precision: 'housenumber', method: 'exact', number: '12 b' });
    const [nationale] = matchAddressPoints('24 rue Nationale 59000 Lille', lille);
    expect(nationale && addressMatchToFeature(nationale)).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [3.0587202, 50.6335105] },
      properties: {
        label: '24 Rue Nationale 59000 Lille', score: 1, precision: 'housenumber', name: '24 Rue Nationale', postcode: '59000', city: 'Lille', citycode: '',
        context: '59, Nord, Hauts-de-France', source: 'addresses', housenumber: '24', street: 'Rue Nationale', id: '93a4b5c6d7e8f901', providerType: 'exact',
      },
    });
  });
});

describe('withAddressPoints', () => {
  it('answers from the loaded points first, else from the provider', async () => {
    const points = pointsOf(await collect(readBanCsv(fixture('adresses-59.csv'))));
    const geocoder = withAddressPoints(createEmbeddedProvider(), createMemoryAddressPointSource(points));
    // House number in the file: no provider call needed.
    const house = await geocoder.geocode({ street: '18 rue Roger-Salengro', postcode: '59217', city: 'Cattenières' });
    expect(house.features[0]?.properties).toMatchObject({ precision: 'housenumber', source: 'addresses', citycode: '59138', label: '18 Rue Roger Salengro 59217 Cattenières', id: '59138_0190_00018' });
    // Number not in the file: the interpolated street position beats the gazetteer's commune.
    const street = await geocoder.geocode('14 rue Roger Salengro 59217 Cattenières');
    expect(street.features.slice(0, 2).map((f) => [f.properties.precision, f.properties.source])).toEqual([['street', 'addresses'], ['municipality', 'gazetteer']]);
    expect(street.features[0]?.properties).toMatchObject({ providerType: 'interpolated', housenumber: '14', score: 0.85 });
    // A commune with no loaded points: the provider alone.
    const elsewhere = await geocoder.geocode('10 place du Général de Gaulle 59000 Lille');
    expect(elsewhere.features[0]?.properties).toMatchObject({ source: 'gazetteer', citycode: '59350' });
  });
});
