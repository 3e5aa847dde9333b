import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { AppError, canEditAnyAccount } from '@geocrm/domain';
import type { ImportJobRecord, ImportsRepository, UsersRepository } from '@geocrm/db';
import type { ImportJobDto, ImportMapping, ImportMatchMode, ImportOptions, ImportPreview, ImportPreviewBody, ImportUploadResult } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import type { AccountScopes } from '../access/account-scope.ts';
import { defaultMatchMode, mappingErrors, suggestMapping } from './columns.ts';
import { inspectFile, readRows, removeFile, saveUpload, type RawRow, type TextEncoding } from './file-reader.ts';
import type { ImportRunner } from './import-runner.ts';
import { mapRow } from './row-mapper.ts';

const PREVIEW_ROWS = 20;

export const toImportJobDto = (job: ImportJobRecord, skippedReasons: { reason: string; count: number }[] = []): ImportJobDto => ({
  id: job.id,
  status: job.status,
  fileName: job.fileName,
  fileSize: job.fileSize,
  format: job.format,
  encoding: job.encoding,
  delimiter: job.delimiter,
  columns: job.columns,
  totalRows: job.totalRows,
  processedRows: job.processedRows,
  createdCount: job.createdCount,
  updatedCount: job.updatedCount,
  skippedCount: job.skippedCount,
  error: job.error,
  options: job.status === 'draft' ? null : (job.options as unknown as ImportOptions),
  createdAt: job.createdAt.toISOString(),
  startedAt: job.startedAt?.toISOString() ?? null,
  finishedAt: job.finishedAt?.toISOString() ?? null,
  skippedReasons,
});

const csvCell = (value: string | number, delimiter: string): string => {
  const text = String(value);
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Import and its jobs: upload (streamed to disk), preview, start, follow, cancel, report. */
export class ImportsService {
  readonly #imports: ImportsRepository;
  readonly #users: UsersRepository;
  readonly #runner: ImportRunner;
  readonly #dir: string;
  readonly #scopes: Pick<AccountScopes, 'of'> | undefined;
  constructor(deps: { imports: ImportsRepository; users: UsersRepository; runner: ImportRunner; dir: string; scopes?: Pick<AccountScopes, 'of'> }) {
    this.#scopes = deps.scopes;
    this.#imports = deps.imports;
    this.#users = deps.users;
    this.#runner = deps.runner;
    this.#dir = deps.dir;
  }

  /** Imports change any account: administrators, managers and back-office. */
  #requireImporter(actor: Actor): void {
    if (!canEditAnyAccount(actor.role)) throw new AppError('FORBIDDEN', 'Only an administrator, a manager or back-office can import accounts');
  }

  /**
   * An import may create and update any account of the organisation (it matches on external id or
   * name + postcode, in the background): once territories are published, only those whose scope is
   * the whole organisation (administrators, back-office) may run one; a manager gets 403.
   */
  async #requireOrgWideWriter(actor: Actor): Promise<void> {
    this.#requireImporter(actor);
    if (this.#scopes && (await this.#scopes.of(actor)).write !== null) {
      throw new AppError('FORBIDDEN', 'Territories are published: imports change accounts across the organisation and are for administrators and back-office');
    }
  }

  async #job(actor: Actor, id: string): Promise<ImportJobRecord> {
    this.#requireImporter(actor);
    const job = await this.#imports.get(actor.orgId, id);
    if (!job) throw new AppError('NOT_FOUND', 'Import not found');
    return job;
  }

  /** Streams the file to disk, reads it once (layout, header, row count, structural errors) and creates a draft job. */
  async upload(actor: Actor, fileName: string, body: Readable): Promise<ImportUploadResult> {
    await this.#requireOrgWideWriter(actor);
    await mkdir(this.#dir, { recursive: true });
    const ext = extname(fileName).toLowerCase().replace(/[^.a-z0-9]/g, '').slice(0, 6);
    const stored = `${randomUUID()}${ext}`;
    const path = join(this.#dir, stored);
    let job: ImportJobRecord;
    let sample: RawRow[];
    try {
      const saved = await saveUpload(body, path);
      const inspected = await inspectFile(path, fileName, saved);
      sample = inspected.sample;
      job = await this.#imports.create({
        orgId: actor.orgId,
        createdBy: actor.userId,
        fileName: fileName.slice(0, 255),
        // absolute: any runner of this machine finds it, whatever its own data folder
        filePath: path,
        fileSize: inspected.size,
        format: inspected.format,
        encoding: inspected.encoding,
        delimiter: inspected.delimiter,
        columns: inspected.columns,
        totalRows: inspected.totalRows,
      });
    } catch (error) {
      await removeFile(path);
      throw error;
    }
    const suggestions = suggestMapping(job.columns);
    const preview = await this.#previewOf(actor, job, sample, suggestions, defaultMatchMode(suggestions));
    return { job: toImportJobDto(job), suggestions, preview };
  }

  async #sample(job: ImportJobRecord): Promise<RawRow[]> {
    const rows: RawRow[] = [];
    let header = true;
    for await (const row of readRows(resolve(this.#dir, job.filePath), { format: job.format, encoding: job.encoding as TextEncoding | null, delimiter: job.delimiter })) {
      if (header) header = false;
      else rows.push(row);
      if (rows.length >= PREVIEW_ROWS) break;
    }
    return rows;
  }

  async #previewOf(actor: Actor, job: ImportJobRecord, sample: readonly RawRow[], mapping: ImportMapping, matchBy: ImportMatchMode): Promise<ImportPreview> {
    const errors = mappingErrors(job.columns, mapping, matchBy);
    const usersByEmail = new Map<string, string>();
    if (mapping.includes('ownerEmail')) for (const u of await this.#users.list(actor.orgId)) if (u.active) usersByEmail.set(u.email.toLowerCase(), u.id);
    const context = { mapping: mapping.length === job.columns.length ? mapping : job.columns.map((_, i) => mapping[i] ?? null), usersByEmail };
    return {
      mappingErrors: errors,
      rows: sample.map((raw) => {
        const mapped = mapRow(raw.cells, context);
        const rowErrors = mapped.ok ? [] : mapped.reason.split('; ');
        if (mapped.ok && mapped.row.name === undefined && matchBy === 'none') rowErrors.push('Name is empty: a new account needs a name');
        return { line: raw.line, cells: [...raw.cells], errors: rowErrors };
      }),
    };
  }

  /** The first rows read with another mapping, with their errors. */
  async preview(actor: Actor, id: string, body: ImportPreviewBody): Promise<ImportPreview> {
    const job = await this.#job(actor, id);
    if (job.status !== 'draft') throw new AppError('CONFLICT', 'This import has already been started');
    return this.#previewOf(actor, job, await this.#sample(job), body.mapping, body.matchBy ?? defaultMatchMode(body.mapping));
  }

  async start(actor: Actor, id: string, options: ImportOptions): Promise<ImportJobDto> {
    await this.#requireOrgWideWriter(actor);
    const job = await this.#job(actor, id);
    if (job.status !== 'draft') throw new AppError('CONFLICT', 'This import has already been started');
    const errors = mappingErrors(job.columns, options.mapping, options.matchBy);
    if (errors.length > 0) throw new AppError('VALIDATION', errors.join(' '), { details: { mappingErrors: errors } });
    if (!(await this.#imports.queue(actor.orgId, id, options))) throw new AppError('CONFLICT', 'This import has already been started');
    this.#runner.wake();
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ImportJobDto> {
    const job = await this.#job(actor, id);
    const reasons = job.skippedCount > 0 || job.status === 'failed' ? await this.#imports.skippedReasons(actor.orgId, id, 10) : [];
    return toImportJobDto(job, reasons);
  }

  async list(actor: Actor): Promise<{ items: ImportJobDto[] }> {
    this.#requireImporter(actor);
    return { items: (await this.#imports.list(actor.orgId, 50)).map((j) => toImportJobDto(j)) };
  }

  async cancel(actor: Actor, id: string): Promise<ImportJobDto> {
    const job = await this.#job(actor, id);
    if (!['draft', 'queued', 'running'].includes(job.status)) throw new AppError('CONFLICT', `This import is already ${job.status}`);
    this.#runner.cancel(id);
    await this.#imports.cancel(actor.orgId, id);
    return this.get(actor, id);
  }

  /** The report, one line per data row of the file: what happened to it and why; streamed. */
  async report(actor: Actor, id: string): Promise<{ fileName: string; body: Readable }> {
    const job = await this.#job(actor, id);
    const delimiter = job.delimiter === ';' ? ';' : ',';
    const imports = this.#imports;
    const orgId = actor.orgId;
    async function* lines(): AsyncGenerator<string> {
      // A BOM so that Excel reads the accents right.
      yield `\uFEFF${['line', 'outcome', 'account_id', 'name', 'reason'].join(delimiter)}\r\n`;
      let after = 0;
      for (;;) {
        const page = await imports.reportRows(orgId, id, after, 5000);
        if (page.length === 0) return;
        yield page.map((r) => [r.line, r.outcome, r.accountId ?? '', r.name, r.reason].map((v) => csvCell(v, delimiter)).join(delimiter)).join('\r\n') + '\r\n';
        after = page.at(-1)?.line ?? after;
      }
    }
    const base = job.fileName.replace(/\.[^.]+$/, '');
    return { fileName: `${base}-import-report.csv`, body: Readable.from(lines()) };
  }
}
