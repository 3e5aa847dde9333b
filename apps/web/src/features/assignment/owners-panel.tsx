import { useState } from 'react';
import type { AccountOwnersBody } from '@geocrm/contracts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { useApplyOwners, useOwnersPreview, type AccountOwnersPreview } from './assignment-api.ts';

type SourceKind = AccountOwnersBody['source']['kind'];

interface OwnersPanelProps {
  readonly preview: AccountOwnersPreview | null;
  readonly onPreview: (p: AccountOwnersPreview | null) => void;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Owners for a batch of new accounts: which accounts, by territory or nearest rep with room; counts per rep; apply. */
export const OwnersPanel = ({ preview, onPreview }: OwnersPanelProps) => {
  const [kind, setKind] = useState<SourceKind>('unowned');
  const [jobId, setJobId] = useState('');
  const [ids, setIds] = useState('');
  const [method, setMethod] = useState<'territory' | 'nearest'>('nearest');
  const [cap, setCap] = useState('');
  const [reassign, setReassign] = useState(false);
  const [applied, setApplied] = useState<number | null>(null);
  const run = useOwnersPreview();
  const apply = useApplyOwners();

  const source = (): AccountOwnersBody['source'] | null => {
    if (kind === 'unowned') return { kind };
    if (kind === 'import') return jobId.trim() ? { kind, jobId: jobId.trim() } : null;
    const list = [...new Set(ids.match(UUID) ?? [])];
    return list.length ? { kind, ids: list } : null;
  };
  const start = () => {
    const s = source();
    if (!s) return;
    setApplied(null);
    onPreview(null);
    const max = Number(cap);
    run.mutate({ source: s, method, ...(cap && max > 0 ? { maxAccountsPerRep: Math.round(max) } : {}), ...(reassign ? { reassignOwned: true } : {}) }, { onSuccess: (p) => onPreview(p) });
  };
  const doApply = () => {
    if (!preview) return;
    apply.mutate({ assignments: preview.assignments.map((a) => ({ accountId: a.accountId, userId: a.userId })) }, { onSuccess: (r) => { setApplied(r.applied); onPreview(null); } });
  };

  return (
    <div className="assign-section" data-testid="assign-owners-panel">
      <fieldset className="assign-setup" disabled={run.isPending}>
        <legend className="small">Which accounts</legend>
        <label className="small"><input type="radio" name="assign-source" checked={kind === 'unowned'} onChange={() => setKind('unowned')} data-testid="owners-source-unowned" /> every account without owner</label>
        <label className="small"><input type="radio" name="assign-source" checked={kind === 'import'} onChange={() => setKind('import')} data-testid="owners-source-import" /> created by an import</label>
        {kind === 'import' ? <input placeholder="Import job id" value={jobId} onChange={(e) => setJobId(e.target.value)} data-testid="owners-import-id" /> : null}
        <label className="small"><input type="radio" name="assign-source" checked={kind === 'ids'} onChange={() => setKind('ids')} data-testid="owners-source-ids" /> these account ids</label>
        {kind === 'ids' ? <textarea rows={3} placeholder="Paste account ids" value={ids} onChange={(e) => setIds(e.target.value)} data-testid="owners-ids" /> : null}
        <div className="assign-when">
          <label className="small">Method <select value={method} onChange={(e) => setMethod(e.target.value as 'territory' | 'nearest')} data-testid="owners-method"><option value="nearest">nearest rep with room</option><option value="territory">by territory</option></select></label>
          <label className="small">Max accounts per rep <input type="number" min={1} value={cap} onChange={(e) => setCap(e.target.value)} placeholder="no limit" className="assign-cap" data-testid="owners-cap" /></label>
          <label className="small"><input type="checkbox" checked={reassign} onChange={(e) => setReassign(e.target.checked)} /> reassign owned</label>
        </div>
        <button type="button" className="btn btn-primary" onClick={start} disabled={source() === null} data-testid="owners-run">{run.isPending ? 'Computing…' : 'Preview owners'}</button>
      </fieldset>
      <ErrorBanner error={run.error ?? apply.error} testId="owners-error" />
      {applied !== null ? <p className="assign-notice" data-testid="owners-applied">{applied} accounts have a new owner.</p> : null}
      {preview ? (
        <div className="assign-preview" data-testid="owners-preview">
          <div className="assign-totals">
            <span><strong data-testid="owners-assigned">{preview.assignments.length}</strong> / {preview.accounts} accounts get an owner</span>
            {preview.territorySource === 'owner' ? <span className="muted small">No territory is published: the owner of the nearest account stands for it.</span> : null}
          </div>
          <table className="assign-table" data-testid="owners-rep-table">
            <thead><tr><th>Rep</th><th>Before</th><th>New</th><th>After</th><th>Limit</th></tr></thead>
            <tbody>
              {preview.reps.filter((r) => r.added > 0 || r.before > 0).map((r) => (
                <tr key={r.userId} data-testid="owners-rep-row"><td><span className="assign-swatch" style={{ background: r.colour }} />{r.name}</td><td>{r.before}</td><td>+{r.added}</td><td>{r.before + r.added}</td><td>{r.capacity ?? '—'}</td></tr>
              ))}
            </tbody>
          </table>
          {preview.unassigned.length ? (
            <div className="assign-unassigned" data-testid="owners-unassigned">
              <strong className="small">Without owner ({preview.unassigned.length})</strong>
              <ul>{preview.unassigned.slice(0, 200).map((u) => <li key={u.accountId} className="small">{u.accountName}: <span className="muted">{u.message}</span></li>)}</ul>
            </div>
          ) : null}
          <button type="button" className="btn btn-primary" onClick={doApply} disabled={apply.isPending || preview.assignments.length === 0} data-testid="owners-apply">Apply {preview.assignments.length} owners</button>
        </div>
      ) : null}
    </div>
  );
};
