import { Readable } from 'node:stream';
import { AppError } from '@geocrm/domain';
import { parse, type CsvError } from 'csv-parse';
import { normalizePlaceName } from '../normalize.ts';
import { normalizeStreetKey } from './street-key.ts';
import type { AddressFileFormat, AddressFileItem, AddressPoint } from './types.ts';

/** Bytes or text, as a Node stream or any async iterable (a web ReadableStream is one). */
export type AddressFileInput = Readable | AsyncIterable<Uint8Array | string>;

/** Columns of the BAN export `adresses-<dept>.csv` (semicolon separated, UTF-8). */
export const BAN_COLUMNS = [
  'id', 'id_fantoir', 'numero', 'rep', 'nom_voie', 'code_postal', 'code_insee', 'nom_commune', 'code_insee_ancienne_commune', 'nom_ancienne_commune',
  'x', 'y', 'lon', 'lat', 'type_position', 'alias', 'nom_ld', 'libelle_acheminement', 'nom_afnor', 'source_position', 'source_nom_voie',
  'certification_commune', 'cad_parcelles',
] as const;
/** Columns of an OpenAddresses CSV (comma separated). */
export const OPENADDRESSES_COLUMNS = ['LON', 'LAT', 'NUMBER', 'STREET', 'UNIT', 'CITY', 'DISTRICT', 'REGION', 'POSTCODE', 'ID', 'HASH'] as const;

const BAN_REQUIRED = ['numero', 'rep', 'nom_voie', 'code_postal', 'nom_commune', 'lon', 'lat'];
const OA_REQUIRED = ['LON', 'LAT', 'NUMBER', 'STREET'];

/**
 * The format of an address file from its header line: BAN ('id;id_fantoir;numero;…;lon;lat…') or
 * OpenAddresses ('LON,LAT,NUMBER,STREET,…'); undefined for anything else.
 */
export const detectAddressFileFormat = (headerLine: string): AddressFileFormat | undefined => {
  const line = headerLine.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const semicolon = new Set(line.split(';').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase()));
  if (BAN_REQUIRED.every((c) => semicolon.has(c))) return 'ban';
  const comma = new Set(line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toUpperCase()));
  if (OA_REQUIRED.every((c) => comma.has(c))) return 'openaddresses';
  return undefined;
};

const NUMBER = /^\s*(\d{1,6})\s*-?\s*([a-z]+)?/i;
const POSTCODE = /^\d{5}$/;

const coordinate = (value: string | undefined, max: number): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim().replace(',', '.'));
  return Number.isFinite(n) && Math.abs(n) <= max ? n : undefined;
};

type Row = Readonly<Record<string, string | undefined>>;
type RowResult = { readonly point: AddressPoint } | { readonly message: string; readonly column?: string };

interface Fields {
  readonly id: string | undefined;
  readonly number: string | undefined;
  readonly suffix: string | undefined;
  readonly street: string | undefined;
  readonly postcode: string | undefined;
  readonly city: string | undefined;
  readonly cityInsee: string | undefined;
  readonly oldCity: string | undefined;
  readonly lon: string | undefined;
  readonly lat: string | undefined;
}

/** Memoised keys: consecutive rows of a file share their street and commune. */
const memo = (fn: (s: string) => string, size = 4096): ((s: string) => string) => {
  const cache = new Map<string, string>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      if (cache.size >= size) cache.clear();
      v = fn(s);
      cache.set(s, v);
    }
    return v;
  };
};
const streetKeyOf = memo(normalizeStreetKey);
const placeKeyOf = memo(normalizePlaceName);

const toPoint = (f: Fields, names: { readonly number: string; readonly street: string; readonly lon: string; readonly lat: string; readonly postcode: string; readonly city: string }): RowResult => {
  const numberMatch = NUMBER.exec(`${f.number ?? ''}${f.suffix ? ` ${f.suffix}` : ''}`);
  if (!numberMatch) return { message: f.number?.trim() ? `${names.number} is not a house number: "${f.number.trim()}"` : `${names.number} is empty`, column: names.number };
  if (Number(numberMatch[1]) >= 99_999) return { message: `${names.number} ${numberMatch[1] ?? ''} is a placeholder (no house number)`, column: names.number };
  const street = f.street?.trim() ?? '';
  if (street === '') return { message: `${names.street} is empty`, column: names.street };
  const lng = coordinate(f.lon, 180);
  if (lng === undefined) return { message: `${names.lon} is not a longitude: "${f.lon ?? ''}"`, column: names.lon };
  const lat = coordinate(f.lat, 90);
  if (lat === undefined) return { message: `${names.lat} is not a latitude: "${f.lat ?? ''}"`, column: names.lat };
  if (lng === 0 && lat === 0) return { message: `${names.lon}/${names.lat} are 0, 0`, column: names.lon };
  const postcode = f.postcode?.trim() ?? '';
  if (postcode !== '' && !POSTCODE.test(postcode)) return { message: `${names.postcode} is not a French postcode: "${postcode}"`, column: names.postcode };
  const city = f.city?.trim() ?? '';
  if (postcode === '' && city === '') return { message: `${names.postcode} and ${names.city} are both empty`, column: names.city };
  const oldCity = f.oldCity?.trim() ?? '';
  const suffix = numberMatch[2]?.toLowerCase();
  return {
    point: {
      number: suffix ? `${numberMatch[1] ?? ''} ${suffix}` : numberMatch[1] ?? '',
      street,
      postcode,
      ...(f.cityInsee?.trim() ? { cityInsee: f.cityInsee.trim() } : {}),
      city,
      ...(oldCity ? { oldCity, oldCityKey: placeKeyOf(oldCity) } : {}),
      lng,
      lat,
      streetKey: streetKeyOf(street),
      cityKey: placeKeyOf(city),
      ...(f.id?.trim() ? { id: f.id.trim() } : {}),
    },
  };
};

const banRow = (r: Row): RowResult =>
  toPoint(
    { id: r['id'], number: r['numero'], suffix: r['rep'], street: r['nom_voie'], postcode: r['code_postal'], city: r['nom_commune'], cityInsee: r['code_insee'], oldCity: r['nom_ancienne_commune'], lon: r['lon'], lat: r['lat'] },
    { number: 'numero', street: 'nom_voie', lon: 'lon', lat: 'lat', postcode: 'code_postal', city: 'nom_commune' },
  );

const openAddressesRow = (r: Row): RowResult =>
  toPoint(
    { id: r['ID'] || r['HASH'], number: r['NUMBER'], suffix: undefined, street: r['STREET'], postcode: r['POSTCODE'], city: r['CITY'] || r['DISTRICT'], cityInsee: undefined, oldCity: undefined, lon: r['LON'], lat: r['LAT'] },
    { number: 'NUMBER', street: 'STREET', lon: 'LON', lat: 'LAT', postcode: 'POSTCODE', city: 'CITY' },
  );

interface Dialect {
  readonly format: AddressFileFormat;
  readonly delimiter: string;
  readonly required: readonly string[];
  readonly header: (name: string) => string;
  readonly row: (r: Row) => RowResult;
}
const DIALECTS: Readonly<Record<AddressFileFormat, Dialect>> = {
  ban: { format: 'ban', delimiter: ';', required: BAN_REQUIRED, header: (c) => c.trim().toLowerCase(), row: banRow },
  openaddresses: { format: 'openaddresses', delimiter: ',', required: OA_REQUIRED, header: (c) => c.trim().toUpperCase(), row: openAddressesRow },
};

const FORMAT_LABEL: Readonly<Record<AddressFileFormat, string>> = { ban: 'BAN (adresses-<dept>.csv)', openaddresses: 'OpenAddresses' };

const errorLine = (err: CsvError | undefined): number => {
  const lines = (err as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' ? lines : 0;
};

async function* readCsv(input: AddressFileInput, dialect: Dialect): AsyncGenerator<AddressFileItem> {
  const skipped: AddressFileItem[] = [];
  const parser = parse({
    delimiter: dialect.delimiter,
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    columns: (header: string[]) => {
      const names = header.map(dialect.header);
      const missing = dialect.required.filter((c) => !names.includes(c));
      if (missing.length > 0) {
        throw new AppError('VALIDATION', `Not a ${FORMAT_LABEL[dialect.format]} file: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { details: { format: dialect.format, missing } });
      }
      return names;
    },
    on_skip: (err) => {
      const short = err?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || err?.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH';
      skipped.push({ kind: 'error', line: errorLine(err), message: short ? 'wrong number of columns' : err?.message ?? 'unreadable row' });
      return undefined;
    },
  });
  const source = input instanceof Readable ? input : Readable.from(input);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
      const line = item.info.lines;
      // The parser may run ahead: only the skipped rows before this one.
      while ((skipped[0]?.line ?? Number.POSITIVE_INFINITY) < line) {
        const error = skipped.shift();
        if (error) yield error;
      }
      const result = dialect.row(item.record);
      yield 'point' in result ? { kind: 'point', line, point: result.point } : { kind: 'error', line, message: result.message, ...(result.column ? { column: result.column } : {}) };
    }
  } catch (error) {
    // csv-parse wraps errors thrown by the columns callback.
    const cause: unknown = error instanceof Error && 'cause' in error && error.cause instanceof AppError ? error.cause : error;
    throw cause instanceof AppError ? cause : new AppError('VALIDATION', 'The address file is not a readable CSV file', { cause });
  } finally {
    source.unpipe(parser);
    source.destroy();
  }
  yield* skipped;
}

/**
 * Streams a BAN export (`adresses-<dept>.csv`, semicolon separated, UTF-8) as address points;
 * unreadable rows (bad coordinate, missing value, wrong number of columns, no house number) come
 * as `error` items with their line number and reading goes on. Rejects with VALIDATION when the
 * header lacks the BAN columns.
 */
export const readBanCsv = (input: AddressFileInput): AsyncGenerator<AddressFileItem> => readCsv(input, DIALECTS.ban);

/** Same for an OpenAddresses CSV (LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH). */
export const readOpenAddressesCsv = (input: AddressFileInput): AsyncGenerator<AddressFileItem> => readCsv(input, DIALECTS.openaddresses);

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads an address file of either format, detected from its header line. Resolves once the header
 * is read; rejects with VALIDATION when the format is neither.
 */
export const readAddressFile = async (input: AddressFileInput): Promise<{ readonly format: AddressFileFormat; readonly items: AsyncGenerator<AddressFileItem> }> => {
  const iterator = (input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < MAX_HEADER_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : Buffer.from(next.value);
    head.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a)) break;
  }
  const first = Buffer.concat(head);
  const newline = first.indexOf(0x0a);
  const format = detectAddressFileFormat(first.subarray(0, newline < 0 ? first.length : newline).toString('utf8'));
  if (format === undefined) {
    await iterator.return?.();
    throw new AppError('VALIDATION', 'Unknown address file: expected a BAN export (adresses-<dept>.csv) or an OpenAddresses CSV', { details: { formats: ['ban', 'openaddresses'] } });
  }
  async function* whole(): AsyncGenerator<Buffer> {
    yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : Buffer.from(next.value);
    }
  }
  return { format, items: readCsv(whole(), DIALECTS[format]) };
};
