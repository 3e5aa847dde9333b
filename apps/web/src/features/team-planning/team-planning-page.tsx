import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { FIELD_ROLES } from '@geocrm/domain';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { useUsers } from '../users/users-api.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { addDays, durationText, localToday, moneyText, nextMonday } from '../tours/tour-format.ts';
import { TeamMap } from './team-map.tsx';
import { isRunning, useCancelTeamPlan, useSaveTeamPlan, useStartTeamPlan, useTeamPlan, type TeamPlanResult, type TeamPlanSaved } from './team-planning-api.ts';
import './team-planning.css';

const PHASES: Record<string, string> = {
  queued: 'Waiting',
  loading: 'Reading visits',
  assigning: 'Giving visits to reps',
  solving: 'Optimising',
  timing: 'Timing the days',
  done: 'Done',
};

const REASONS: Record<string, string> = {
  no_room: 'No room',
  interrupted: 'No room',
  closed: 'Closed',
  time_window: 'No time fits',
  outside_dates: 'Outside dates',
  appointment_outside_plan: 'Appointment elsewhere',
  no_location: 'No location',
  skills: 'Skills',
  other_rep: 'Other territory',
  on_saved_tour: 'Already on a tour',
  not_planned: 'Not open',
  max_travel_time: 'Too far',
  shift_too_short: 'Too long',
  breaks: 'Lunch',
};

const DAY_CHOICES = [1, 2, 3, 4, 5] as const;

const Totals = ({ result }: { result: TeamPlanResult }) => {
  const t = result.totals;
  const items: [string, string, string][] = [
    ['Visits', `${String(t.visits)} / ${String(t.candidateVisits)}`, 'team-total-visits'],
    ['Distance', `${Math.round(t.km).toLocaleString('en-GB')} km`, 'team-total-km'],
    ['Driving', durationText(t.drivingSeconds), 'team-total-driving'],
    ['Hotel nights', String(t.hotelNights), 'team-total-nights'],
    ['Est. cost', moneyText(t.costCents, t.currency), 'team-total-cost'],
    ['Reps used', `${String(t.repsUsed)} / ${String(t.reps)}`, 'team-total-reps'],
  ];
  return (
    <div className="team-totals" data-testid="team-totals">
      {items.map(([label, value, testId]) => (
        <div key={label} className="team-total">
          <span className="muted small">{label}</span>
          <strong data-testid={testId}>{value}</strong>
        </div>
      ))}
    </div>
  );
};

/** Plan the whole team at once: reps and dates, crossing or not; progress while it runs; every rep's routes; save all. */
export const TeamPlanningPage = () => {
  usePageTitle('Team planning');
  const users = useUsers();
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();
  const reps = useMemo(() => (users.data?.items ?? []).filter((u) => u.active && FIELD_ROLES.includes(u.role)).sort((a, b) => a.name.localeCompare(b.name)), [users.data]);

  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [from, setFrom] = useState(() => nextMonday(localToday()));
  const [days, setDays] = useState(5);
  const [cross, setCross] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [saved, setSaved] = useState<TeamPlanSaved | null>(null);

  const start = useStartTeamPlan();
  const job = useTeamPlan(jobId);
  const cancel = useCancelTeamPlan();
  const save = useSaveTeamPlan();
  const current = job.data;
  const running = isRunning(current);
  const result = current?.status === 'done' ? current.result : null;
  const chosen = reps.filter((r) => !excluded.has(r.id));

  const plan = () => {
    setSaved(null);
    setFocus(null);
    save.reset();
    start.mutate(
      { ...(excluded.size === 0 ? {} : { userIds: chosen.map((r) => r.id) }), from, days, allowCrossTerritory: cross },
      { onSuccess: (j) => setJobId(j.id) },
    );
  };

  const toggle = (id: string) =>
    setExcluded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const progress = current?.progress;
  return (
    <div className="around-page team-page" data-testid="team-planning-page">
      <div className="around-body team-body">
        <aside className="around-panel team-panel">
          <div className="team-title">
            <h1>Team planning</h1>
            <Link to="/tours" className="small">
              One rep’s tours
            </Link>
          </div>
          <fieldset className="team-reps" disabled={running}>
            <legend className="small">
              Reps ({chosen.length} of {reps.length}){' '}
              <button type="button" className="btn btn-link small" onClick={() => setExcluded(new Set())} data-testid="team-all-reps">
                all
              </button>
            </legend>
            <div className="team-rep-list">
              {reps.map((r) => (
                <label key={r.id} className="team-rep-choice small">
                  <input type="checkbox" checked={!excluded.has(r.id)} onChange={() => toggle(r.id)} data-testid="team-rep-checkbox" /> {r.name}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="team-when">
            <label className="small">
              From{' '}
              <input type="date" value={from} min={localToday()} onChange={(e) => setFrom(e.target.value)} disabled={running} data-testid="team-from" />
            </label>
            <label className="small">
              Days{' '}
              <select value={days} onChange={(e) => setDays(Number(e.target.value))} disabled={running} data-testid="team-days">
                {DAY_CHOICES.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted small">to {addDays(from, days - 1)}</span>
          </div>
          <label className="small team-cross">
            <input type="checkbox" checked={cross} onChange={(e) => setCross(e.target.checked)} disabled={running} data-testid="team-cross" /> Allow crossing territories
            <span className="muted"> (appointments stay with their rep)</span>
          </label>
          <div className="team-actions">
            <button type="button" className="btn btn-primary" onClick={plan} disabled={running || start.isPending || chosen.length === 0} data-testid="team-plan">
              {running ? 'Planning…' : 'Plan'}
            </button>
            {running && jobId ? (
              <button type="button" className="btn btn-secondary" onClick={() => cancel.mutate(jobId)} disabled={cancel.isPending} data-testid="team-cancel">
                Cancel
              </button>
            ) : null}
            {result ? (
              <button type="button" className="btn btn-primary" onClick={() => jobId && save.mutate(jobId, { onSuccess: setSaved })} disabled={save.isPending || current?.savedAt !== null} data-testid="team-save">
                {current?.savedAt ? 'Saved' : 'Save all'}
              </button>
            ) : null}
          </div>
          <ErrorBanner error={start.error ?? cancel.error ?? save.error ?? job.error} />
          {progress && current && (running || current.status !== 'done') ? (
            <div className="team-progress" data-testid="team-progress">
              <div className="team-progress-bar" role="progressbar" aria-valuenow={progress.percent} aria-valuemin={0} aria-valuemax={100}>
                <div style={{ width: `${String(progress.percent)}%` }} />
              </div>
              <div className="small">
                <strong data-testid="team-progress-phase">{current.status === 'running' ? (PHASES[progress.phase] ?? progress.phase) : current.status}</strong> · {progress.percent} % · {(progress.elapsedMs / 1000).toFixed(0)} s
              </div>
              <div className="muted small" data-testid="team-progress-message">
                {progress.message}
                {progress.problemsTotal ? ` · ${String(progress.problemsDone)}/${String(progress.problemsTotal)} problems` : ''}
                {progress.visitsPlaced !== null ? ` · ${String(progress.visitsPlaced)} of ${String(progress.visits)} visits placed so far` : ''}
              </div>
              {current.error ? <div className="banner banner-error small">{current.error}</div> : null}
            </div>
          ) : null}
          {saved ? (
            <div className="banner banner-success small" data-testid="team-saved">
              Saved {saved.tours.length} tours ({saved.tours.reduce((s, t) => s + t.totals.visits, 0)} visits).
            </div>
          ) : null}
          {result ? (
            <div className="team-result" data-testid="team-result">
              <Totals result={result} />
              <p className="muted small">
                {result.mode === 'team' ? 'Solved as one team problem (crossing into neighbouring territories allowed).' : 'Each rep planned inside their own territory'} · visits given by{' '}
                {result.assignment === 'territory' ? 'published territory' : result.assignment === 'account_owner' ? 'account owner' : 'assigned rep'} · {(result.computingMs / 1000).toFixed(1)} s
              </p>
              <table className="team-table small" data-testid="team-table">
                <thead>
                  <tr>
                    <th>Rep</th>
                    <th>Visits</th>
                    <th>km</th>
                    <th>Driving</th>
                    <th>Nights</th>
                    <th>Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {result.reps.map((r) => (
                    <tr
                      key={r.userId}
                      className={focus === r.userId ? 'focused' : ''}
                      onClick={() => setFocus((f) => (f === r.userId ? null : r.userId))}
                      data-testid="team-rep-row"
                      title={r.existingTourIds.length ? 'Already has a saved tour on these dates: saving will be refused' : 'Show this rep alone on the map'}
                    >
                      <td>
                        <span className="team-swatch" style={{ background: r.colour }} /> {r.userName}
                        {r.existingTourIds.length ? <span className="team-warn"> ⚠ booked</span> : null}
                      </td>
                      <td>{r.plan.totals.visits}</td>
                      <td>{Math.round(r.plan.totals.km)}</td>
                      <td>{durationText(r.plan.totals.drivingSeconds)}</td>
                      <td>{r.plan.totals.hotelNights}</td>
                      <td>{moneyText(r.plan.totals.costCents, r.plan.totals.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <details className="team-unassigned" open={result.unassigned.length > 0 && result.unassigned.length <= 30} data-testid="team-unassigned">
                <summary className="small">
                  <strong>{result.unassigned.length}</strong> visits not placed
                </summary>
                <ul className="small">
                  {result.unassigned.slice(0, 200).map((u) => (
                    <li key={u.visitId} title={u.message}>
                      <span className="team-reason">{REASONS[u.reason] ?? u.reason}</span> {u.accountName} <span className="muted">— {u.message}</span>
                    </li>
                  ))}
                  {result.unassigned.length > 200 ? <li className="muted">… and {result.unassigned.length - 200} more</li> : null}
                </ul>
              </details>
            </div>
          ) : null}
        </aside>
        <div className="map-wrap">
          <TeamMap reps={result?.reps ?? []} focus={focus} fitKey={jobId ?? ''} boundaries={boundaries} attribution={attribution.data?.items} />
        </div>
      </div>
    </div>
  );
};
