import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '@geocrm/domain';

export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';

/** One record of the file: the line it starts on (1 = first line) and its cells as text. */
export interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface FileLayout {
  readonly format: FileFormat;
  readonly encoding: TextEncoding | null;
  readonly delimiter: string | null;
}

export interface InspectedFile extends FileLayout {
  readonly size: number;
  readonly columns: string[];
  /** Data rows (the header not counted). */
  readonly totalRows: number;
  readonly sample: RawRow[];
}

const SAMPLE_ROWS = 20;
const DELIMITERS = [';', ',', '\t', '|'] as const;

const startsWith = (head: Buffer, bytes: readonly number[]): boolean => bytes.every((b, i) => head[i] === b);

/**
 * Streams an upload to `path` and learns what it can on the way: its size, its first bytes and
 * whether it is valid UTF-8 (a single pass, memory stays bounded whatever the file's size).
 */
export const saveUpload = async (body: Readable, path: string): Promise<{ size: number; head: Buffer; validUtf8: boolean }> => {
  let size = 0;
  const headChunks: Buffer[] = [];
  let headLength = 0;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (headLength < 65_536) {
        headChunks.push(chunk);
        headLength += chunk.length;
      }
      if (validUtf8) {
        try {
          utf8.decode(chunk, { stream: true });
        } catch {
          validUtf8 = false;
        }
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (validUtf8) {
        try {
          utf8.decode();
        } catch {
          validUtf8 = false;
        }
      }
      callback();
    },
  });
  await pipeline(body, inspect, createWriteStream(path));
  return { size, head: Buffer.concat(headChunks).subarray(0, 65_536), validUtf8 };
};

/** Tells CSV from XLSX from anything else by the file's first bytes; a clear 400 for what we cannot read. */
export const detectLayout = (head: Buffer, validUtf8: boolean, fileName: string): { format: FileFormat; encoding: TextEncoding | null } => {
  if (head.length === 0) throw new AppError('VALIDATION', 'The file is empty.', { details: { reason: 'empty' } });
  const lower = fileName.toLowerCase();
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    if (lower.endsWith('.ods')) throw new AppError('VALIDATION', 'OpenDocument spreadsheets (.ods) are not supported: save the sheet as XLSX or CSV.', { details: { reason: 'format' } });
    return { format: 'xlsx', encoding: null };
  }
  if (lower.endsWith('.xlsx')) throw new AppError('VALIDATION', 'This file is named .xlsx but is not an Excel workbook (it may be damaged).', { details: { reason: 'format' } });
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new AppError('VALIDATION', 'Old Excel 97–2003 files (.xls) are not supported: save the sheet as XLSX or CSV.', { details: { reason: 'format' } });
  }
  if (startsWith(head, [0xff, 0xfe])) return { format: 'csv', encoding: 'utf-16le' };
  // Text files have no NUL bytes and few control characters; anything else is binary.
  let control = 0;
  for (const byte of head) {
    if (byte === 0) throw new AppError('VALIDATION', 'This is a binary file, not a CSV or XLSX file.', { details: { reason: 'binary' } });
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  if (control > head.length / 100) throw new AppError('VALIDATION', 'This is a binary file, not a CSV or XLSX file.', { details: { reason: 'binary' } });
  return { format: 'csv', encoding: validUtf8 ? 'utf-8' : 'windows-1252' };
};

/** Counts a character outside double quotes on each of the first lines. */
const countsPerLine = (text: string, delimiter: string): number[] => {
  const counts: number[] = [];
  let inQuotes = false;
  let count = 0;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === delimiter) count++;
    else if (!inQuotes && ch === '\n') {
      counts.push(count);
      count = 0;
      if (counts.length >= 50) break;
    }
  }
  if (count > 0) counts.push(count);
  return counts;
};

/**
 * The column separator: the candidate found on the header line that splits the most lines into the
 * same number of cells as the header (`;` wins a tie, as French Excel writes it).
 */
export const detectDelimiter = (text: string): string => {
  let best: { delimiter: string; score: number; columns: number } = { delimiter: ',', score: -1, columns: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = countsPerLine(text, delimiter);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const score = counts.filter((c) => c === header).length;
    if (score > best.score || (score === best.score && header > best.columns)) best = { delimiter, score, columns: header };
  }
  return best.delimiter;
};

const decoderStream = (encoding: TextEncoding): Transform => {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, callback) {
      callback(null, decoder.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, decoder.decode());
    },
  });
};

const readText = async (path: string, encoding: TextEncoding, bytes: number): Promise<string> => {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return new TextDecoder(encoding).decode(buffer.subarray(0, bytesRead), { stream: true });
  } finally {
    await handle.close();
  }
};

const countNewlines = (cells: readonly string[]): number => {
  let n = 0;
  for (const cell of cells) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  return n;
};

/** A CSV parse error in words, with the line to fix. */
const csvErrorMessage = (error: CsvError, lastRecordEnd: number): AppError => {
  const line = Number((error as CsvError & { lines?: number }).lines ?? 0);
  const start = lastRecordEnd + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new AppError('VALIDATION', `Line ${start.toLocaleString('en')}: a quote (") opens a cell and is never closed, so everything after it would be read as one cell. Fix the quote on line ${start.toLocaleString('en')} and upload again.`, {
      details: { reason: 'csv', line: start },
    });
  }
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return new AppError('VALIDATION', `Line ${line.toLocaleString('en')}: a quoted cell is followed by other characters before the next separator (a quote inside a cell must be doubled: "").`, {
      details: { reason: 'csv', line },
    });
  }
  return new AppError('VALIDATION', `Line ${(line || start).toLocaleString('en')}: the CSV cannot be read (${error.message}).`, { details: { reason: 'csv', line: line || start } });
};

async function* csvRows(path: string, layout: FileLayout): AsyncGenerator<RawRow> {
  const parser = parse({
    delimiter: layout.delimiter ?? ',',
    bom: true,
    info: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const decoded = source.pipe(decoderStream(layout.encoding ?? 'utf-8'));
  decoded.pipe(parser);
  source.on('error', (e) => parser.destroy(e));
  let lastEnd = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = item.record;
      const end = item.info.lines;
      yield { line: end - countNewlines(cells), cells };
      lastEnd = end;
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvErrorMessage(error, lastEnd);
    throw error;
  } finally {
    source.destroy();
  }
}

const cellText = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result);
  if ('error' in value) return '';
  return '';
};

async function* xlsxRows(path: string): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: string[] = [];
        // row.values is 1-based and sparse
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
        if (cells.every((c) => c === '')) continue;
        yield { line: row.number, cells };
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION', `The XLSX file cannot be read: ${error instanceof Error ? error.message : String(error)}`, { details: { reason: 'xlsx' } });
  }
}

/** Every record of the file, header first, streamed. */
export const readRows = (path: string, layout: FileLayout): AsyncGenerator<RawRow> => (layout.format === 'xlsx' ? xlsxRows(path) : csvRows(path, layout));

/**
 * Reads a saved upload once from end to end: the separator, the header, a sample and the number of
 * rows; any structural error (a quote never closed on line 40,000) is found now, before the import.
 */
export const inspectFile = async (path: string, fileName: string, saved: { head: Buffer; validUtf8: boolean }): Promise<InspectedFile> => {
  const { size } = await stat(path);
  const { format, encoding } = detectLayout(saved.head, saved.validUtf8, fileName);
  const delimiter = format === 'csv' ? detectDelimiter(await readText(path, encoding ?? 'utf-8', 65_536)) : null;
  const layout: FileLayout = { format, encoding, delimiter };
  let columns: string[] | undefined;
  const sample: RawRow[] = [];
  let totalRows = 0;
  for await (const row of readRows(path, layout)) {
    if (!columns) {
      columns = row.cells.map((c) => c.trim());
      continue;
    }
    totalRows++;
    if (sample.length < SAMPLE_ROWS) sample.push(row);
  }
  if (!columns || columns.every((c) => c === '')) throw new AppError('VALIDATION', 'The file has no header line: the first line must name the columns.', { details: { reason: 'empty' } });
  if (totalRows === 0) throw new AppError('VALIDATION', 'The file has a header but no data rows.', { details: { reason: 'empty' } });
  return { ...layout, size, columns, totalRows, sample };
};

export const removeFile = async (path: string): Promise<void> => {
  await rm(path, { force: true });
};
