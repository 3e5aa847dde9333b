import { useEffect, useRef, useState, type DragEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ACCOUNT_KINDS, canEditAnyAccount, type AccountKind } from '@geocrm/domain';
import type { ImportJobDto, ImportMapping, ImportMatchMode, ImportPreview, ImportUploadResult } from '@geocrm/contracts';
import { KIND_LABELS } from '../accounts/account-labels.ts';
import { useCurrentSession } from '../auth/require-session.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { DELIMITER_LABELS, ENCODING_LABELS, FIELD_OPTIONS, formatBytes, MATCH_OPTIONS } from './import-fields.ts';
import { isFinished, reportUrl, useCancelImport, useImportJob, useImportList, usePreviewImport, useStartImport, useUploadImport } from './imports-api.ts';
import './imports.css';

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const STATUS_TEXT: Record<ImportJobDto['status'], string> = {
  draft: 'Not started',
  queued: 'Waiting to start',
  running: 'Importing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const defaultMatch = (mapping: ImportMapping): ImportMatchMode =>
  mapping.includes('externalId') ? 'externalId' : mapping.includes('name') && mapping.includes('postcode') ? 'namePostcode' : 'none';

/** Step 1: a file, dropped or chosen. */
const UploadStep = ({ onUploaded }: { onUploaded: (result: ImportUploadResult) => void }) => {
  const upload = useUploadImport();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const send = (file: File | undefined) => {
    if (file) upload.mutate(file, { onSuccess: onUploaded });
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    send(event.dataTransfer.files[0]);
  };
  return (
    <div className="card card-pad">
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="import-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {upload.isPending ? (
          <Spinner label="Uploading and reading the file…" />
        ) : (
          <>
            <strong>Drop a CSV or XLSX file here</strong>
            <span className="muted">
              or{' '}
              <button type="button" className="btn btn-link" onClick={() => input.current?.click()}>
                choose a file
              </button>
            </span>
            <span className="muted small">UTF-8 or Windows-1252 (Excel), any separator, first line = column names. No size limit.</span>
          </>
        )}
        <input
          ref={input}
          type="file"
          accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            send(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      <ErrorBanner error={upload.error} testId="import-upload-error" />
    </div>
  );
};

const PreviewTable = ({ columns, mapping, preview }: { columns: readonly string[]; mapping: ImportMapping; preview: ImportPreview }) => {
  const shown = columns.map((_, i) => i).filter((i) => mapping[i]);
  const label = (i: number) => FIELD_OPTIONS.find((f) => f.value === mapping[i])?.label ?? '';
  return (
    <div className="preview-scroll">
      <table className="table preview-table" data-testid="import-preview">
        <thead>
          <tr>
            <th>Line</th>
            <th>Problems</th>
            {shown.map((i) => (
              <th key={i}>{label(i)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row) => (
            <tr key={row.line} className={row.errors.length > 0 ? 'preview-bad' : undefined} data-testid="import-preview-row" data-line={row.line}>
              <td className="muted">{row.line}</td>
              <td className="preview-errors">{row.errors.length > 0 ? row.errors.join('; ') : <span className="preview-ok">OK</span>}</td>
              {shown.map((i) => (
                <td key={i}>{row.cells[i] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** Step 2: which column fills which field, how rows find their account, and a preview. */
const MappingStep = ({ upload, onStarted, onCancel }: { upload: ImportUploadResult; onStarted: (job: ImportJobDto) => void; onCancel: () => void }) => {
  const { job } = upload;
  const [mapping, setMapping] = useState<ImportMapping>(upload.suggestions);
  const [matchBy, setMatchBy] = useState<ImportMatchMode>(defaultMatch(upload.suggestions));
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [defaultKind, setDefaultKind] = useState<AccountKind>('client');
  const [preview, setPreview] = useState<ImportPreview>(upload.preview);
  const previewer = usePreviewImport(job.id);
  const start = useStartImport();
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    previewer.mutate({ mapping, matchBy }, { onSuccess: setPreview });
  }, [mapping, matchBy]);

  const setField = (index: number, value: string) => {
    const next = [...mapping];
    next[index] = value === '' ? null : (value as NonNullable<ImportMapping[number]>);
    setMapping(next);
  };
  const badRows = preview.rows.filter((r) => r.errors.length > 0).length;

  return (
    <div className="import-grid">
      <div className="card card-pad">
        <div className="section-header">
          <h2>Columns</h2>
          <span className="muted small" data-testid="import-file-info">
            {job.fileName} · {formatBytes(job.fileSize)} · {numberFormat.format(job.totalRows)} rows · {job.format.toUpperCase()}
            {job.encoding ? ` · ${ENCODING_LABELS[job.encoding] ?? job.encoding}` : ''}
            {job.delimiter ? ` · ${DELIMITER_LABELS[job.delimiter] ?? job.delimiter}` : ''}
          </span>
        </div>
        <table className="table mapping-table" data-testid="import-mapping">
          <thead>
            <tr>
              <th>Column in the file</th>
              <th>First values</th>
              <th>Imported as</th>
            </tr>
          </thead>
          <tbody>
            {job.columns.map((column, i) => (
              <tr key={`${i}-${column}`}>
                <td className="cell-strong">{column || <span className="muted">(no name)</span>}</td>
                <td className="muted small">
                  {preview.rows
                    .slice(0, 2)
                    .map((r) => r.cells[i] ?? '')
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                <td>
                  <select value={mapping[i] ?? ''} onChange={(e) => setField(i, e.target.value)} data-testid={`import-map-${i}`} aria-label={`Field for column ${column}`}>
                    <option value="">— ignore —</option>
                    {FIELD_OPTIONS.map((f) => (
                      <option key={f.value} value={f.value}>
                        {f.label}
                      </option>
                    ))}
                  </select>
                  {upload.suggestions[i] && upload.suggestions[i] === mapping[i] ? <span className="pill suggested">suggested</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card card-pad import-options">
        <h2>Options</h2>
        <div className="field">
          <span className="field-label">Update or create</span>
          <div className="segmented" role="radiogroup" aria-label="Match rows by">
            {MATCH_OPTIONS.map((m) => (
              <button key={m.value} type="button" role="radio" aria-checked={matchBy === m.value} className={matchBy === m.value ? 'active' : undefined} onClick={() => setMatchBy(m.value)} data-testid={`import-match-${m.value}`}>
                {m.label}
              </button>
            ))}
          </div>
          <span className="muted small">{MATCH_OPTIONS.find((m) => m.value === matchBy)?.hint}</span>
        </div>
        <label className="field">
          <span className="field-label">Kind of new accounts without a Kind column</span>
          <select value={defaultKind} onChange={(e) => setDefaultKind(e.target.value as AccountKind)} data-testid="import-default-kind">
            {ACCOUNT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={allOrNothing} onChange={(e) => setAllOrNothing(e.target.checked)} data-testid="import-all-or-nothing" />
          <span>
            All or nothing <span className="muted small">— one bad row and nothing is imported (otherwise bad rows are skipped and reported)</span>
          </span>
        </label>
        {preview.mappingErrors.length > 0 ? (
          <div className="banner banner-error" role="alert" data-testid="import-mapping-errors">
            {preview.mappingErrors.map((e) => (
              <div key={e}>{e}</div>
            ))}
          </div>
        ) : null}
        <ErrorBanner error={start.error} testId="import-start-error" />
        <div className="form-actions">
          <button type="button" className="btn btn-secondary" onClick={onCancel}>
            Choose another file
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="import-start"
            disabled={preview.mappingErrors.length > 0 || start.isPending}
            onClick={() => start.mutate({ id: job.id, options: { mapping, matchBy, allOrNothing, defaultKind } }, { onSuccess: onStarted })}
          >
            Import {numberFormat.format(job.totalRows)} rows
          </button>
        </div>
      </div>

      <div className="card card-pad span-all">
        <div className="section-header">
          <h2>Preview</h2>
          <span className="muted small" data-testid="import-preview-summary">
            First {preview.rows.length} rows{badRows > 0 ? ` · ${badRows} with problems (they will be skipped)` : ' · no problems'}
            {previewer.isPending ? <span className="inline-spinner" aria-label="Refreshing" /> : null}
          </span>
        </div>
        <PreviewTable columns={job.columns} mapping={mapping} preview={preview} />
      </div>
    </div>
  );
};

const Stat = ({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: string }) => (
  <div className={`card stat-card${tone ? ` stat-${tone}` : ''}`}>
    <div className="stat-label">{label}</div>
    <div className="stat-value" data-testid={testId}>
      {numberFormat.format(value)}
    </div>
  </div>
);

/** Step 3: progress while it runs, then the report. */
const JobStep = ({ id, onAnother }: { id: string; onAnother: () => void }) => {
  const query = useImportJob(id);
  const cancel = useCancelImport();
  const job = query.data;
  if (query.error) return <ErrorBanner error={query.error} />;
  if (!job) return <Spinner label="Loading the import…" />;
  const finished = isFinished(job);
  const percent = job.totalRows > 0 ? Math.round((100 * job.processedRows) / job.totalRows) : 0;
  return (
    <div className="import-job" data-testid="import-job" data-status={job.status}>
      <div className="card card-pad">
        <div className="section-header">
          <h2>
            {job.fileName} <span className={`status-pill status-${job.status}`} data-testid="import-status">{STATUS_TEXT[job.status]}</span>
          </h2>
          {!finished && job.status !== 'draft' ? (
            <button type="button" className="btn btn-danger" data-testid="import-cancel" disabled={cancel.isPending} onClick={() => cancel.mutate(job.id)}>
              Cancel import
            </button>
          ) : null}
        </div>
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="import-progress">
          <div className="progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <p className="muted small">
          {numberFormat.format(job.processedRows)} of {numberFormat.format(job.totalRows)} rows read ({percent} %)
          {job.startedAt ? ` · started ${dateFormat.format(new Date(job.startedAt))}` : ''}
          {job.finishedAt ? ` · ended ${dateFormat.format(new Date(job.finishedAt))}` : ''}
        </p>
        {job.status === 'draft' ? (
          <div className="banner banner-info">
            This file was uploaded but the import was never started.{' '}
            <button type="button" className="btn btn-link" onClick={onAnother}>
              Upload it again
            </button>{' '}
            to choose its columns.
          </div>
        ) : null}
        {job.error ? (
          <div className="banner banner-error" role="alert" data-testid="import-error">
            {job.error}
          </div>
        ) : null}
        {job.status === 'done' ? (
          <div className="banner banner-success" data-testid="import-done">
            Import finished: {numberFormat.format(job.createdCount)} created, {numberFormat.format(job.updatedCount)} updated, {numberFormat.format(job.skippedCount)} skipped.
          </div>
        ) : null}
        <ErrorBanner error={cancel.error} />
      </div>
      <div className="stat-grid import-stats">
        <Stat label="Created" value={job.createdCount} testId="import-created" tone="good" />
        <Stat label="Updated" value={job.updatedCount} testId="import-updated" />
        <Stat label="Skipped" value={job.skippedCount} testId="import-skipped" tone={job.skippedCount > 0 ? 'bad' : undefined} />
      </div>
      {finished ? (
        <div className="card card-pad">
          <div className="section-header">
            <h2>Report</h2>
            <a className="btn btn-secondary" href={reportUrl(job.id)} download data-testid="import-report-download">
              Download the report (CSV)
            </a>
          </div>
          {job.skippedReasons.length > 0 ? (
            <table className="table" data-testid="import-reasons">
              <thead>
                <tr>
                  <th>Why rows were skipped</th>
                  <th className="nowrap">Rows</th>
                </tr>
              </thead>
              <tbody>
                {job.skippedReasons.map((r) => (
                  <tr key={r.reason}>
                    <td>{r.reason}</td>
                    <td>{numberFormat.format(r.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Every row was imported. The report lists each line of the file with the account it created or updated.</p>
          )}
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={onAnother} data-testid="import-another">
              Import another file
            </button>
            <Link to="/accounts?sort=-updatedAt" className="btn btn-primary">
              See the accounts
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
};

const RecentImports = () => {
  const list = useImportList();
  const items = list.data?.items.filter((j) => j.status !== 'draft') ?? [];
  if (items.length === 0) return null;
  return (
    <div className="card table-card">
      <div className="card-pad-x section-header">
        <h2>Recent imports</h2>
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>File</th>
            <th>Status</th>
            <th>Created</th>
            <th>Updated</th>
            <th>Skipped</th>
            <th>Date</th>
          </tr>
        </thead>
        <tbody>
          {items.slice(0, 10).map((j) => (
            <tr key={j.id}>
              <td className="cell-strong">
                <Link to={`/imports?job=${j.id}`}>{j.fileName}</Link>
              </td>
              <td>{STATUS_TEXT[j.status]}</td>
              <td>{numberFormat.format(j.createdCount)}</td>
              <td>{numberFormat.format(j.updatedCount)}</td>
              <td>{numberFormat.format(j.skippedCount)}</td>
              <td className="muted nowrap">{dateFormat.format(new Date(j.createdAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** `/imports`: upload → map and preview → progress and report. The job's id is in the URL (`?job=`). */
export const ImportPage = () => {
  usePageTitle('Import accounts');
  const { user } = useCurrentSession();
  const [search, setSearch] = useSearchParams();
  const jobId = search.get('job') ?? undefined;
  const [uploaded, setUploaded] = useState<ImportUploadResult | undefined>(undefined);
  const showJob = (id: string | undefined) => {
    setSearch(id ? { job: id } : {}, { replace: false });
  };
  const draft = uploaded && uploaded.job.id === jobId ? uploaded : undefined;
  if (!canEditAnyAccount(user.role)) {
    return (
      <div className="page">
        <div className="banner banner-error">Only an administrator, a manager or back-office can import accounts.</div>
      </div>
    );
  }

  return (
    <div className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Import accounts</h1>
          <p className="muted">Add or update accounts from a spreadsheet. New accounts are placed on the map from their address.</p>
        </div>
      </div>
      {jobId === undefined ? (
        <>
          <UploadStep
            onUploaded={(result) => {
              setUploaded(result);
              showJob(result.job.id);
            }}
          />
          <RecentImports />
        </>
      ) : draft ? (
        <MappingStep
          upload={draft}
          onStarted={() => setUploaded(undefined)}
          onCancel={() => {
            setUploaded(undefined);
            showJob(undefined);
          }}
        />
      ) : (
        <JobStep
          id={jobId}
          onAnother={() => {
            setUploaded(undefined);
            showJob(undefined);
          }}
        />
      )}
    </div>
  );
};
