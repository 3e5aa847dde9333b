import type { Slot } from '@geocrm/contracts';
import { clockOf, minutesOfDay, signedMinutes } from './slot-format.ts';

interface SlotTimelineProps {
  readonly slot: Slot;
  readonly timeZone: string;
}

/** The slot's day on a time axis: each stop a block (the new one highlighted), a moved stop shows its shift. */
export const SlotTimeline = ({ slot, timeZone }: SlotTimelineProps) => {
  const from = Math.min(8 * 60, Math.floor(minutesOfDay(slot.day.departure, timeZone) / 60) * 60);
  const to = Math.max(18 * 60, Math.ceil(minutesOfDay(slot.day.arrival, timeZone) / 60) * 60);
  const pct = (m: number) => `${((m - from) / (to - from)) * 100}%`;
  const hours: number[] = [];
  for (let h = from; h <= to; h += 60) hours.push(h);
  return (
    <div className="slot-timeline" data-testid="slot-timeline">
      <div className="slot-axis">
        {hours.map((h) => (
          <span key={h} style={{ left: pct(h) }}>
            {String(h / 60).padStart(2, '0')}h
          </span>
        ))}
      </div>
      <div className="slot-track">
        <div className="slot-day" style={{ left: pct(minutesOfDay(slot.day.departure, timeZone)), width: `calc(${pct(minutesOfDay(slot.day.arrival, timeZone))} - ${pct(minutesOfDay(slot.day.departure, timeZone))})` }} />
        {slot.day.lunch ? (
          <div
            className="slot-block slot-block-lunch"
            style={{ left: pct(minutesOfDay(slot.day.lunch.start, timeZone)), width: `calc(${pct(minutesOfDay(slot.day.lunch.end, timeZone))} - ${pct(minutesOfDay(slot.day.lunch.start, timeZone))})` }}
            title={`Lunch ${clockOf(slot.day.lunch.start, timeZone)}–${clockOf(slot.day.lunch.end, timeZone)}`}
            data-testid="slot-lunch"
          >
            lunch
          </div>
        ) : null}
        {slot.day.stops.map((s, i) => {
          const a = minutesOfDay(s.start, timeZone);
          const b = minutesOfDay(s.end, timeZone);
          return (
            <div
              key={s.visitId ?? 'new'}
              className={`slot-block${s.isNew ? ' slot-block-new' : s.shiftMinutes !== 0 ? ' slot-block-moved' : ''}`}
              style={{ left: pct(a), width: `calc(${pct(b)} - ${pct(a)})` }}
              title={`${i + 1}. ${s.accountName} ${clockOf(s.start, timeZone)}–${clockOf(s.end, timeZone)}${s.shiftMinutes ? ` (${signedMinutes(s.shiftMinutes)})` : ''}`}
            >
              {i + 1}
            </div>
          );
        })}
      </div>
      <ol className="slot-stops">
        {slot.day.stops.map((s, i) => (
          <li key={s.visitId ?? 'new'} className={s.isNew ? 'slot-stop-new' : ''} data-testid={s.isNew ? 'slot-stop-new' : 'slot-stop'}>
            <span className="slot-stop-num">{i + 1}</span>
            <span className="slot-stop-time">
              {clockOf(s.start, timeZone)}–{clockOf(s.end, timeZone)}
            </span>
            <span className="grow">{s.accountName}</span>
            {s.isNew ? <span className="slot-tag slot-tag-new">new</span> : s.shiftMinutes !== 0 ? <span className="slot-tag slot-tag-moved">{signedMinutes(s.shiftMinutes)}</span> : <span className="muted small">unchanged</span>}
          </li>
        ))}
      </ol>
    </div>
  );
};
