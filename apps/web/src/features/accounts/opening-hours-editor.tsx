import { useEffect, useRef, useState } from 'react';
import type { OpeningHoursDto } from '../../api/types.ts';
import { WEEKDAYS } from '@geocrm/domain';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { WEEKDAY_LABELS } from './account-labels.ts';

type Interval = { from: string; to: string };
type DayKey = '1' | '2' | '3' | '4' | '5' | '6' | '7';
interface Exception {
  date: string;
  intervals: Interval[];
  note?: string;
}

interface OpeningHoursEditorProps {
  readonly value: OpeningHoursDto;
  readonly pending: boolean;
  readonly error: unknown;
  readonly onSave: (value: OpeningHoursDto) => void;
}

const DEFAULT_INTERVAL: Interval = { from: '09:00', to: '12:00' };
const nextInterval = (list: readonly Interval[]): Interval => {
  const last = list[list.length - 1];
  return last ? { from: last.to < '14:00' ? '14:00' : last.to, to: last.to < '18:00' ? '18:00' : '23:59' } : DEFAULT_INTERVAL;
};

const IntervalList = ({ intervals, onChange, testId }: { intervals: Interval[]; onChange: (next: Interval[]) => void; testId: string }) => (
  <div className="intervals" data-testid={testId}>
    {intervals.length === 0 ? <span className="muted small closed">Closed</span> : null}
    {intervals.map((interval, index) => (
      <span className="interval" key={index}>
        <input type="time" value={interval.from} aria-label="From" onChange={(e) => onChange(intervals.map((iv, i) => (i === index ? { ...iv, from: e.target.value } : iv)))} />
        <span className="muted">–</span>
        <input type="time" value={interval.to} aria-label="To" onChange={(e) => onChange(intervals.map((iv, i) => (i === index ? { ...iv, to: e.target.value } : iv)))} />
        <button type="button" className="icon-button" aria-label="Remove interval" onClick={() => onChange(intervals.filter((_, i) => i !== index))}>
          ×
        </button>
      </span>
    ))}
    {intervals.length < 6 ? (
      <button type="button" className="btn btn-link btn-small" onClick={() => onChange([...intervals, nextInterval(intervals)])}>
        + Add hours
      </button>
    ) : null}
  </div>
);

const clone = (value: OpeningHoursDto): { weekly: Partial<Record<DayKey, Interval[]>>; exceptions: Exception[] } => JSON.parse(JSON.stringify(value)) as never;

/** Weekly opening hours (several intervals a day) and dated exceptions; saved on its own. */
export const OpeningHoursEditor = ({ value, pending, error, onSave }: OpeningHoursEditorProps) => {
  const [draft, setDraft] = useState(() => clone(value));
  const shown = useRef(value);
  useEffect(() => {
    setDraft((current) => (JSON.stringify(current) === JSON.stringify(clone(shown.current)) ? clone(value) : current));
    shown.current = value;
  }, [value]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(clone(value));
  const errors = fieldErrors(error);

  const setDay = (day: DayKey, intervals: Interval[]) => setDraft((d) => ({ ...d, weekly: { ...d.weekly, [day]: intervals } }));
  const setException = (index: number, patch: Partial<Exception>) =>
    setDraft((d) => ({ ...d, exceptions: d.exceptions.map((ex, i) => (i === index ? { ...ex, ...patch } : ex)) }));

  const save = () => {
    const weekly: Partial<Record<DayKey, Interval[]>> = {};
    for (const day of WEEKDAYS) {
      const key = String(day) as DayKey;
      const intervals = draft.weekly[key];
      if (intervals && intervals.length > 0) weekly[key] = [...intervals].sort((a, b) => a.from.localeCompare(b.from));
    }
    const exceptions = draft.exceptions
      .filter((ex) => ex.date)
      .map((ex) => (ex.note ? ex : { date: ex.date, intervals: ex.intervals }))
      .sort((a, b) => a.date.localeCompare(b.date));
    onSave({ weekly, exceptions });
  };

  return (
    <div className="opening-hours" data-testid="opening-hours">
      <table className="hours-table">
        <tbody>
          {WEEKDAYS.map((day) => {
            const key = String(day) as DayKey;
            return (
              <tr key={day}>
                <th scope="row">{WEEKDAY_LABELS[day - 1]}</th>
                <td>
                  <IntervalList intervals={draft.weekly[key] ?? []} onChange={(next) => setDay(key, next)} testId={`hours-day-${day}`} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="subsection-title">
        Exceptions
        <button
          type="button"
          className="btn btn-link btn-small"
          onClick={() => setDraft((d) => ({ ...d, exceptions: [...d.exceptions, { date: new Date().toISOString().slice(0, 10), intervals: [] }] }))}
          data-testid="hours-add-exception"
        >
          + Add exception
        </button>
      </div>
      {draft.exceptions.length === 0 ? <p className="muted small">No exceptions (public holidays, closures…).</p> : null}
      {draft.exceptions.map((exception, index) => (
        <div className="exception-row" key={index}>
          <input type="date" value={exception.date} aria-label="Date" onChange={(e) => setException(index, { date: e.target.value })} />
          <IntervalList intervals={exception.intervals} onChange={(intervals) => setException(index, { intervals })} testId={`hours-exception-${index}`} />
          <input className="exception-note" placeholder="Note" value={exception.note ?? ''} onChange={(e) => setException(index, { note: e.target.value })} />
          <button type="button" className="icon-button" aria-label="Remove exception" onClick={() => setDraft((d) => ({ ...d, exceptions: d.exceptions.filter((_, i) => i !== index) }))}>
            ×
          </button>
        </div>
      ))}
      {error ? (
        <div className="banner banner-error" role="alert">
          {errorMessage(error)}
          {Object.entries(errors).map(([path, message]) => (
            <div key={path} className="small">
              {path}: {message}
            </div>
          ))}
        </div>
      ) : null}
      <div className="form-actions">
        {dirty ? (
          <button type="button" className="btn btn-ghost" onClick={() => setDraft(clone(value))}>
            Discard
          </button>
        ) : null}
        <button type="button" className="btn btn-primary" disabled={!dirty || pending} onClick={save} data-testid="hours-save">
          {pending ? 'Saving…' : 'Save hours'}
        </button>
      </div>
    </div>
  );
};
