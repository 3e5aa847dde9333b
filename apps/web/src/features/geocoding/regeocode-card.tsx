import { useState } from 'react';
import { GEO_PRECISIONS, type GeoPrecision } from '@geocrm/domain';
import type { GeocodeJobDto, GeocodeJobScope, GeocoderList } from '../../api/types.ts';
import { PRECISION_LABELS } from '../accounts/account-labels.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { CATEGORY_INFO, type GeoCategory } from './geo-categories.ts';
import { isJobOver, useCancelGeocodeJob, useGeocodeJob, useGeocodeJobProblems, useGeocodeJobs, useGeocoders, useStartGeocodeJob } from './geocoding-api.ts';
import './regeocode-card.css';

const numberFormat = new Intl.NumberFormat();
const PROVIDER_LABELS: Record<string, string> = { embedded: 'Built-in gazetteer (offline)', nominatim: 'Nominatim', photon: 'Photon', ban: 'BAN (Géoplateforme)', pelias: 'Pelias' };
const STATUS_TEXT: Record<GeocodeJobDto['status'], string> = { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };
const OUTCOME_TEXT: Record<string, string> = { not_found: 'Not found', failed: 'Failed' };

type GeocoderName = GeocoderList['items'][number];
type ScopeChoice = 'belowPrecision' | 'category' | 'all';

/** The category's list filters as the job's filter scope (the same query the tab shows). */
const categoryScope = (category: GeoCategory, ownerId: string): GeocodeJobScope => {
  const params = CATEGORY_INFO[category].params;
  return {
    kind: 'filter',
    filter: {
      ...(params['geoPrecision'] ? { geoPrecision: params['geoPrecision'] } : {}),
      ...(params['geoScoreBelow'] ? { geoScoreBelow: Number(params['geoScoreBelow']) } : {}),
      ...(params['geoManual'] ? { geoManual: params['geoManual'] === 'true' } : {}),
      ...(ownerId ? { ownerId } : {}),
    },
  };
};

const duration = (seconds: number): string => (seconds < 90 ? `${seconds} s` : seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`);

const JobProgress = ({ job }: { job: GeocodeJobDto }) => {
  const cancel = useCancelGeocodeJob();
  const over = isJobOver(job);
  const problems = useGeocodeJobProblems(job.id, over && job.notFound + job.failed > 0);
  const percent = job.total > 0 ? Math.floor((100 * job.processed) / job.total) : 0;
  return (
    <div className="regeo-job" data-testid="regeo-job" data-status={job.status}>
      <div className="regeo-job-head">
        <strong>
          {numberFormat.format(job.total)} accounts with {PROVIDER_LABELS[job.provider] ?? job.provider}
        </strong>
        <span className={`regeo-pill regeo-pill-${job.status}`} data-testid="regeo-status">
          {STATUS_TEXT[job.status]}
        </span>
        {!over ? (
          <button type="button" className="btn btn-danger btn-small" disabled={cancel.isPending} onClick={() => cancel.mutate(job.id)} data-testid="regeo-cancel">
            Cancel
          </button>
        ) : null}
      </div>
      <div className="regeo-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Re-geocoding progress" data-testid="regeo-progress">
        <div className="regeo-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted small" data-testid="regeo-progress-text">
        {numberFormat.format(job.processed)} of {numberFormat.format(job.total)} done ({percent} %)
        {!over && job.etaSeconds !== null ? ` · about ${duration(job.etaSeconds)} left` : ''}
      </p>
      <dl className="meta-list regeo-summary" data-testid="regeo-summary">
        <div>
          <dt>Placed</dt>
          <dd data-testid="regeo-placed">{numberFormat.format(job.placed)}</dd>
        </div>
        <div>
          <dt>Not found (pin kept)</dt>
          <dd data-testid="regeo-not-found">{numberFormat.format(job.notFound)}</dd>
        </div>
        <div>
          <dt>Geocoder failed (pin kept)</dt>
          <dd data-testid="regeo-failed">{numberFormat.format(job.failed)}</dd>
        </div>
        <div>
          <dt>Placed by hand (kept)</dt>
          <dd data-testid="regeo-manual">{numberFormat.format(job.skippedManual)}</dd>
        </div>
        {job.skippedChanged + job.skippedGone > 0 ? (
          <div>
            <dt>Changed or deleted meanwhile</dt>
            <dd>{numberFormat.format(job.skippedChanged + job.skippedGone)}</dd>
          </div>
        ) : null}
      </dl>
      {job.placedByPrecision.length > 0 ? (
        <p className="small" data-testid="regeo-by-precision">
          Now at:{' '}
          {job.placedByPrecision.map((p) => `${PRECISION_LABELS[p.precision as GeoPrecision] ?? p.precision} ${numberFormat.format(p.count)}`).join(' · ')}
        </p>
      ) : null}
      {job.error ? (
        <div className="banner banner-error" role="alert" data-testid="regeo-error">
          {job.error}
        </div>
      ) : null}
      {job.status === 'done' ? (
        <div className="banner banner-success" role="status" data-testid="regeo-done">
          Finished: {numberFormat.format(job.placed)} of {numberFormat.format(job.total)} accounts placed again.
        </div>
      ) : null}
      {problems.data && problems.data.items.length > 0 ? (
        <table className="table regeo-problems" data-testid="regeo-problems">
          <thead>
            <tr>
              <th>Account</th>
              <th>Outcome</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {problems.data.items.map((item) => (
              <tr key={item.seq}>
                <td className="cell-strong">{item.accountName ?? '(deleted)'}</td>
                <td>{OUTCOME_TEXT[item.outcome] ?? item.outcome}</td>
                <td className="muted small">{item.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorBanner error={cancel.error ?? problems.error} />
    </div>
  );
};

/**
 * "Re-geocode": geocode many accounts again in the background (all, those placed more coarsely than
 * a precision, or the current tab), with a progress bar and the result; pins placed by hand are kept.
 */
export const RegeocodeCard = ({ category, ownerId }: { category: GeoCategory; ownerId: string }) => {
  const geocoders = useGeocoders();
  const jobs = useGeocodeJobs();
  const start = useStartGeocodeJob();
  const [choice, setChoice] = useState<ScopeChoice>('belowPrecision');
  const [precision, setPrecision] = useState<GeoPrecision>('street');
  const [provider, setProvider] = useState<GeocoderName | ''>('');
  const [startedId, setStartedId] = useState<string | undefined>(undefined);
  const latestId = startedId ?? jobs.data?.items[0]?.id;
  const job = useGeocodeJob(latestId);
  const running = job.data !== undefined && !isJobOver(job.data);
  const choices: readonly GeocoderName[] = geocoders.data?.items ?? ['embedded'];
  const chosen: GeocoderName = provider || geocoders.data?.default || 'embedded';

  const scope = (): GeocodeJobScope =>
    choice === 'all' ? { kind: 'all' } : choice === 'belowPrecision' ? { kind: 'belowPrecision', precision } : categoryScope(category, ownerId);

  return (
    <section className="card card-pad regeo-card" data-testid="regeo-card">
      <div className="section-header">
        <div>
          <h2>Re-geocode</h2>
          <p className="muted small">
            Geocode many accounts again in the background — e.g. with a street-level geocoder. It goes on after a restart; pins placed by hand and
            addresses changed meanwhile are never overwritten.
          </p>
        </div>
      </div>
      <form
        className="regeo-form"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ scope: scope(), provider: chosen }, { onSuccess: (started) => setStartedId(started.id) });
        }}
      >
        <fieldset className="regeo-scope" disabled={running}>
          <legend className="small">Which accounts</legend>
          <label className="radio">
            <input type="radio" name="regeo-scope" checked={choice === 'belowPrecision'} onChange={() => setChoice('belowPrecision')} data-testid="regeo-scope-precision" />
            Placed more coarsely than{' '}
            <select value={precision} onChange={(e) => setPrecision(e.target.value as GeoPrecision)} aria-label="Precision" data-testid="regeo-precision">
              {GEO_PRECISIONS.slice(0, -1).map((p) => (
                <option key={p} value={p}>
                  {PRECISION_LABELS[p].toLowerCase()}
                </option>
              ))}
            </select>{' '}
            (or not placed)
          </label>
          <label className="radio">
            <input type="radio" name="regeo-scope" checked={choice === 'category'} onChange={() => setChoice('category')} data-testid="regeo-scope-category" />
            The accounts of the tab “{CATEGORY_INFO[category].label}”{ownerId ? ' (mine)' : ''}
          </label>
          <label className="radio">
            <input type="radio" name="regeo-scope" checked={choice === 'all'} onChange={() => setChoice('all')} data-testid="regeo-scope-all" />
            All accounts
          </label>
        </fieldset>
        <label className="field regeo-provider">
          <span className="small">Geocoder</span>
          <select value={chosen} onChange={(e) => setProvider(choices.find((c) => c === e.target.value) ?? '')} disabled={running} data-testid="regeo-provider">
            {choices.map((name) => (
              <option key={name} value={name}>
                {PROVIDER_LABELS[name] ?? name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={running || start.isPending} data-testid="regeo-start">
          {start.isPending ? 'Starting…' : 'Start re-geocoding'}
        </button>
      </form>
      {chosen === 'nominatim' ? <p className="muted small">Nominatim takes one address per second (its usage policy): 3,600 accounts take about an hour.</p> : null}
      <ErrorBanner error={start.error ?? job.error} />
      {job.data ? <JobProgress job={job.data} /> : null}
    </section>
  );
};
