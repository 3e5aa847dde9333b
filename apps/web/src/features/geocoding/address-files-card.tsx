import { useRef, useState } from 'react';
import { useAddressFileLoad, useAddressFiles, useLoadAddressFile, useRemoveAddressFile } from './geocoding-api.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import './regeocode-card.css';

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const FORMAT_LABELS = { ban: 'BAN', openaddresses: 'OpenAddresses' } as const;

/**
 * Address files (BAN `adresses-<dept>.csv`, OpenAddresses CSV) an administrator loads so that
 * addresses geocode at house-number precision with no network.
 */
export const AddressFilesCard = () => {
  const files = useAddressFiles();
  const load = useLoadAddressFile();
  const remove = useRemoveAddressFile();
  const input = useRef<HTMLInputElement>(null);
  const result = load.data;
  const [loadId, setLoadId] = useState<string | undefined>(undefined);
  const [size, setSize] = useState(0);
  const progress = useAddressFileLoad(loadId, load.isPending).data;
  const read = progress?.bytesRead ?? 0;
  const percent = size > 0 ? Math.min(100, Math.floor((100 * read) / size)) : 0;

  return (
    <section className="card card-pad address-files" data-testid="address-files">
      <div className="section-header">
        <div>
          <h2>Address files</h2>
          <p className="muted small">
            Load the BAN export of a département (<code>adresses-59.csv</code> from adresse.data.gouv.fr) or an OpenAddresses CSV: from then on those
            addresses are placed at the house number, with no network.
          </p>
        </div>
        <div>
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv"
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) {
                const id = crypto.randomUUID();
                setLoadId(id);
                setSize(file.size);
                load.mutate({ file, loadId: id });
              }
              e.target.value = '';
            }}
            data-testid="address-file-input"
          />
          <button type="button" className="btn btn-secondary btn-small" disabled={load.isPending} onClick={() => input.current?.click()} data-testid="address-file-load">
            {load.isPending ? 'Loading the file…' : 'Load a file…'}
          </button>
        </div>
      </div>
      {load.isPending ? (
        <div className="address-file-progress" data-testid="address-file-progress">
          <div className="regeo-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Address file load">
            <div className="regeo-progress-fill" style={{ width: `${progress?.status === 'saving' ? 100 : percent}%` }} />
          </div>
          <p className="muted small" data-testid="address-file-progress-text">
            {progress?.status === 'saving'
              ? `Saving ${numberFormat.format(progress.points)} addresses, all at once…`
              : `${percent} % read · ${numberFormat.format(progress?.points ?? 0)} addresses${progress && progress.rejected > 0 ? `, ${numberFormat.format(progress.rejected)} rows unreadable` : ''}`}
          </p>
        </div>
      ) : null}
      <ErrorBanner error={load.error ?? remove.error ?? files.error} />
      {result ? (
        <div className={`banner ${result.rejected > 0 ? 'banner-info' : 'banner-success'}`} role="status" data-testid="address-file-result">
          {numberFormat.format(result.points)} addresses loaded from {result.name}
          {result.rejected > 0 ? `; ${numberFormat.format(result.rejected)} ${result.rejected === 1 ? 'row' : 'rows'} could not be read:` : '.'}
          {result.errors.length > 0 ? (
            <ul className="address-file-errors">
              {result.errors.slice(0, 5).map((e) => (
                <li key={e.line}>
                  line {e.line}: {e.message}
                </li>
              ))}
              {result.errors.length > 5 ? <li>…</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      {files.data && files.data.items.length > 0 ? (
        <table className="table" data-testid="address-file-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Format</th>
              <th className="num">Addresses</th>
              <th className="num">Rejected rows</th>
              <th>Loaded</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.data.items.map((f) => (
              <tr key={f.id} data-testid="address-file-row">
                <td className="cell-strong">{f.name}</td>
                <td>{FORMAT_LABELS[f.format]}</td>
                <td className="num">{numberFormat.format(f.points)}</td>
                <td className="num">{numberFormat.format(f.rejected)}</td>
                <td className="muted small">
                  {dateFormat.format(new Date(f.loadedAt))}
                  {f.loadedByName ? ` · ${f.loadedByName}` : ''}
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(`Remove ${f.name} and its ${numberFormat.format(f.points)} addresses? Accounts already placed keep their pins.`)) remove.mutate(f.id);
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : files.data ? (
        <p className="muted small" data-testid="address-files-empty">
          No address file yet: addresses are placed at their town by the built-in gazetteer.
        </p>
      ) : null}
    </section>
  );
};
