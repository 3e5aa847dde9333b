import { useMemo, useState } from 'react';
import type { ServiceTaskStatus } from '@geocrm/contracts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { addDays, localToday } from '../tours/tour-format.ts';
import { useApplyTaskAssignments, useAutoAssignPreview, useCancelTask, useServiceTasks, useTechnicians, type AutoAssignPreview } from './assignment-api.ts';

const REASONS: Record<string, string> = {
  skills: 'Skills',
  no_room: 'No room',
  interrupted: 'No room',
  time_window: 'No time fits',
  closed: 'Closed',
  no_location: 'No location',
  no_vehicle: 'Nobody',
  shift_too_short: 'Too long',
  max_travel_time: 'Too far',
  breaks: 'Lunch',
  capacity: 'Too long',
};
const STATUSES: readonly ('' | ServiceTaskStatus)[] = ['open', 'assigned', 'done', 'cancelled', ''];
const dayShort = (date: string): string => new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });

interface TasksPanelProps {
  readonly preview: AutoAssignPreview | null;
  readonly onPreview: (p: AutoAssignPreview | null) => void;
  readonly focus: string | null;
  readonly onFocus: (userId: string | null) => void;
}

/** Tasks (filters), automatic assignment over N days, its preview (per technician, spread, left out) and apply. */
export const TasksPanel = ({ preview, onPreview, focus, onFocus }: TasksPanelProps) => {
  const [status, setStatus] = useState<'' | ServiceTaskStatus>('open');
  const [skill, setSkill] = useState('');
  const [text, setText] = useState('');
  const tasks = useServiceTasks({ ...(status ? { status } : {}), ...(skill ? { skill } : {}), ...(text ? { q: text } : {}) });
  const technicians = useTechnicians();
  const people = technicians.data?.items ?? [];
  const [picked, setPicked] = useState<ReadonlySet<string> | null>(null);
  const chosen = useMemo(() => picked ?? new Set(people.filter((p) => p.role === 'technician').map((p) => p.userId)), [picked, people]);
  const [from, setFrom] = useState(() => addDays(localToday(), 1));
  const [days, setDays] = useState(5);
  const [balance, setBalance] = useState<'15' | '35' | 'none'>('15');
  const [territory, setTerritory] = useState(false);
  const [applied, setApplied] = useState<number | null>(null);
  const run = useAutoAssignPreview();
  const apply = useApplyTaskAssignments();
  const cancel = useCancelTask();

  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const start = () => {
    setApplied(null);
    onPreview(null);
    run.mutate({ from, days, userIds: [...chosen], ...(balance === 'none' ? { balance } : { balance: 'cap', balanceTolerancePercent: Number(balance) }), respectTerritory: territory, timeLimitSeconds: 10 }, { onSuccess: (p) => onPreview(p) });
  };
  const doApply = () => {
    if (!preview) return;
    apply.mutate({ assignments: preview.assignments }, { onSuccess: (r) => { setApplied(r.applied); onPreview(null); } });
  };
  const items = tasks.data?.items ?? [];

  return (
    <div className="assign-section" data-testid="assign-tasks-panel">
      <div className="assign-filters">
        <select value={status} onChange={(e) => setStatus(e.target.value as '' | ServiceTaskStatus)} data-testid="assign-filter-status" aria-label="Status">
          {STATUSES.map((s) => <option key={s} value={s}>{s || 'any status'}</option>)}
        </select>
        <select value={skill} onChange={(e) => setSkill(e.target.value)} data-testid="assign-filter-skill" aria-label="Skill">
          <option value="">any skill</option>
          {(technicians.data?.skills ?? []).map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input type="search" placeholder="Title or account" value={text} onChange={(e) => setText(e.target.value)} data-testid="assign-filter-text" />
      </div>
      <div className="assign-task-list" data-testid="assign-task-list">
        <table className="assign-table">
          <thead><tr><th>Task</th><th>Due</th><th>Prio</th><th>Who / when</th><th /></tr></thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} data-testid="assign-task-row" className={t.overdue ? 'overdue' : ''}>
                <td><div className="assign-task-title">{t.title}</div><div className="muted small">{t.accountName} · {t.durationMinutes} min{t.requiredSkills.length ? ` · ${t.requiredSkills.join(', ')}` : ''}</div></td>
                <td className="small">{t.dueDate ?? '—'}{t.overdue ? ' ⚠' : ''}</td>
                <td className="small">{t.priority}</td>
                <td className="small">{t.assignedUserName ? `${t.assignedUserName}, ${t.plannedDate ?? ''}` : t.status}</td>
                <td>{t.status === 'open' || t.status === 'assigned' ? <button type="button" className="btn btn-link small" onClick={() => cancel.mutate(t.id)}>cancel</button> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 && !tasks.isPending ? <p className="muted small">No task matches.</p> : null}
      </div>
      <p className="muted small" data-testid="assign-task-count">{items.length} task{items.length === 1 ? '' : 's'}</p>

      <fieldset className="assign-setup" disabled={run.isPending}>
        <legend className="small">Assign automatically</legend>
        <div className="assign-people">
          {people.map((p) => (
            <label key={p.userId} className="small assign-person">
              <input type="checkbox" checked={chosen.has(p.userId)} onChange={() => toggle(p.userId)} data-testid="assign-person" data-role={p.role} /> {p.name}
              <span className="muted"> {p.role === 'technician' ? '' : `(${p.role})`}{p.skills.length ? ` ${p.skills.join(', ')}` : ''}</span>
            </label>
          ))}
        </div>
        <div className="assign-when">
          <label className="small">From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="assign-from" /></label>
          <label className="small">Days <input type="number" min={1} max={10} value={days} onChange={(e) => setDays(Math.max(1, Math.min(10, Number(e.target.value) || 1)))} data-testid="assign-days" className="assign-days" /></label>
          <label className="small">Balance <select value={balance} onChange={(e) => setBalance(e.target.value as '15' | '35' | 'none')} data-testid="assign-balance"><option value="15">even: days ≤ mean + 15 %</option><option value="35">looser: days ≤ mean + 35 %</option><option value="none">travel only</option></select></label>
          <label className="small"><input type="checkbox" checked={territory} onChange={(e) => setTerritory(e.target.checked)} /> keep to territories</label>
        </div>
        <button type="button" className="btn btn-primary" onClick={start} disabled={chosen.size === 0} data-testid="assign-run">{run.isPending ? 'Assigning…' : 'Assign automatically'}</button>
      </fieldset>
      <ErrorBanner error={run.error ?? apply.error ?? cancel.error} testId="assign-error" />
      {applied !== null ? <p className="assign-notice" data-testid="assign-applied">{applied} tasks assigned.</p> : null}

      {preview ? (
        <div className="assign-preview" data-testid="assign-preview">
          <div className="assign-totals">
            <span><strong data-testid="assign-assigned">{preview.stats.assigned}</strong> / {preview.stats.tasks} assigned</span>
            <span><strong>{Math.round(preview.stats.km)}</strong> km</span>
            <span><strong>{preview.stats.workHours}</strong> h work</span>
            <span data-testid="assign-spread">spread {preview.stats.spread.minHours}–{preview.stats.spread.maxHours} h (σ {preview.stats.spread.stdevHours} h, cv {preview.stats.spread.cv})</span>
            {preview.stats.late ? <span className="assign-warn">{preview.stats.late} after their due date</span> : null}
            <span className="muted small">{preview.stats.dailyCapMinutes === null ? 'no daily cap' : `daily cap ${String(preview.stats.dailyCapMinutes)} min`} · {(preview.stats.computingMs / 1000).toFixed(1)} s</span>
          </div>
          <table className="assign-table assign-tech-table" data-testid="assign-tech-table">
            <thead><tr><th>Technician</th>{preview.dates.map((d) => <th key={d}>{dayShort(d)}</th>)}<th>Tasks</th><th>km</th><th>h</th></tr></thead>
            <tbody>
              {preview.technicians.map((t) => (
                <tr key={t.userId} className={focus === t.userId ? 'focused' : ''} onClick={() => onFocus(focus === t.userId ? null : t.userId)} data-testid="assign-tech-row" title={t.note ?? ''}>
                  <td><span className="assign-swatch" style={{ background: t.colour }} />{t.name}{t.note ? ' ⚠' : ''}</td>
                  {t.days.map((d) => <td key={d.date} className={d.available ? '' : 'off'} title={d.absence ?? (d.available ? `${String(d.workHours)} h` : 'not working')}>{d.available ? d.tasks.length : d.absence ? 'away' : '–'}</td>)}
                  <td>{t.tasks}</td><td>{Math.round(t.km)}</td><td>{t.workHours}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.unassigned.length ? (
            <div className="assign-unassigned" data-testid="assign-unassigned">
              <strong className="small">Left out ({preview.unassigned.length})</strong>
              <ul>
                {preview.unassigned.map((u) => <li key={u.taskId} className="small" data-testid="assign-unassigned-item"><span className="assign-reason">{REASONS[u.reason] ?? u.reason}</span> {u.title} — {u.accountName}: <span className="muted">{u.message}</span></li>)}
              </ul>
            </div>
          ) : null}
          <button type="button" className="btn btn-primary" onClick={doApply} disabled={apply.isPending || preview.assignments.length === 0} data-testid="assign-apply">Apply {preview.assignments.length} assignments</button>
        </div>
      ) : null}
    </div>
  );
};
