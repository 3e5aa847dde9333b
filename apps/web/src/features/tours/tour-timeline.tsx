import { Fragment, useState, type DragEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { addVisit, findStop, moveStop, moveStopToDay, nudgeStop, removeStop, setNight, type TourDraft } from './tour-draft.ts';
import { clock, dayColour, dayLabel, durationText, kmText } from './tour-format.ts';
import type { TimelineDay, TimelineStopDto, TourFlagDto, TourPlan } from './tours-types.ts';

/** The drag payload's type: a visit id (a stop of the tour, or a visit off it). */
export const VISIT_DRAG_TYPE = 'application/x-geocrm-visit';

interface TimelineProps {
  readonly plan: TourPlan;
  readonly draft: TourDraft;
  readonly editable: boolean;
  readonly highlighted: string | null;
  readonly onHighlight: (visitId: string | null) => void;
  readonly onEdit: (next: TourDraft, what: string) => void;
  /** The day brought forward on the map (null: all days); a click on a day's title toggles it. */
  readonly focusDay: number | null;
  readonly onFocusDay: (day: number | null) => void;
  /** Extra content under a day (opportunities on the way, a saved day's actions). */
  readonly dayExtras?: (dayIndex: number, day: TimelineDay) => ReactNode;
}

const Flags = ({ flags, testId }: { flags: readonly TourFlagDto[]; testId: string }) =>
  flags.length === 0 ? null : (
    <ul className="tour-flags" role="alert">
      {flags.map((f) => (
        <li key={f.code + f.message} data-testid={testId} data-code={f.code}>
          <span aria-hidden="true">⚠ </span>
          {f.message}
        </li>
      ))}
    </ul>
  );

const startLabel = (day: TimelineDay): string => (day.startsFrom.kind === 'hotel' ? 'the hotel' : day.startsFrom.kind === 'office' ? 'the office' : 'home');

/** Where a drop lands: before a stop, or at the end of a day. */
const dropTarget = (draft: TourDraft, visitId: string, day: number, index: number, editMessage: (m: string) => void): TourDraft | null => {
  const from = findStop(draft, visitId);
  if (!from) {
    editMessage('added by drag and drop');
    return addVisit(draft, visitId, day, index);
  }
  // Dropped after itself in the same day: the index shifts by one once it is taken out.
  const to = from.day === day && from.index < index ? index - 1 : index;
  if (from.day === day && from.index === to) return null;
  editMessage('moved by drag and drop');
  return moveStop(draft, from, { day, index: to });
};

/** One stop: its leg, times, flags and the controls to move or remove it. */
const StopRow = ({
  stop,
  index,
  dayIndex,
  props,
  onDrop,
  dragOver,
  setDragOver,
}: {
  stop: TimelineStopDto;
  index: number;
  dayIndex: number;
  props: TimelineProps;
  onDrop: (e: DragEvent, index: number) => void;
  dragOver: boolean;
  setDragOver: (v: string | null) => void;
}) => {
  const { plan, draft, editable, highlighted, onHighlight, onEdit } = props;
  const tz = plan.timeZone;
  const at = findStop(draft, stop.visitId);
  const dayStops = plan.days[dayIndex]?.stops.length ?? 0;
  const flagged = stop.flags.length > 0;
  const key = `${String(dayIndex)}:${String(index)}`;
  return (
    <li
      className={`tour-stop${flagged ? ' flagged' : ''}${highlighted === stop.visitId ? ' highlighted' : ''}${dragOver ? ' drag-over' : ''}`}
      data-testid="tour-stop"
      data-visit-id={stop.visitId}
      draggable={editable}
      onDragStart={(e) => {
        e.dataTransfer.setData(VISIT_DRAG_TYPE, stop.visitId);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!editable) return;
        e.preventDefault();
        setDragOver(key);
      }}
      onDragLeave={() => setDragOver(null)}
      onDrop={(e) => onDrop(e, index)}
      onMouseEnter={() => onHighlight(stop.visitId)}
      onMouseLeave={() => onHighlight(null)}
    >
      <div className="tour-leg muted small">
        <span aria-hidden="true">↓ </span>
        {kmText(stop.driveMetres)} · {durationText(stop.driveSeconds)} drive
      </div>
      <div className="tour-stop-main">
        <span className="tour-stop-num" style={{ background: dayColour(dayIndex) }} aria-hidden="true">
          {index + 1}
        </span>
        <div className="tour-stop-body">
          <div className="tour-stop-title">
            <Link to={`/accounts/${stop.accountId}`} data-testid="tour-stop-name">
              {stop.accountName}
            </Link>
            <span className="muted small"> · {stop.visitType}</span>
            {stop.appointment ? <span className="tour-badge">Appointment</span> : null}
          </div>
          <div className="tour-stop-times small" data-testid="tour-stop-times">
            <span title="Arrival">Arr {clock(stop.arrival, tz)}</span>
            {stop.waitSeconds > 0 ? <span className="tour-wait"> · wait {durationText(stop.waitSeconds)}</span> : null}
            <span title="Visit start and end">
              {' '}
              · <strong>{clock(stop.start, tz)}</strong>–{clock(stop.end, tz)}
            </span>
            <span title="Departure"> · dep {clock(stop.departure, tz)}</span>
          </div>
          <Flags flags={stop.flags} testId="tour-stop-flag" />
        </div>
        {editable && at ? (
          <div className="tour-stop-actions">
            <button type="button" className="icon-btn" aria-label={`Move ${stop.accountName} up`} disabled={index === 0} onClick={() => onEdit(nudgeStop(draft, at, -1), `${stop.accountName} moved up`)} data-testid="tour-stop-up">
              ↑
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Move ${stop.accountName} down`}
              disabled={index === dayStops - 1}
              onClick={() => onEdit(nudgeStop(draft, at, 1), `${stop.accountName} moved down`)}
              data-testid="tour-stop-down"
            >
              ↓
            </button>
            {plan.days.length > 1 ? (
              <select
                className="input-small tour-move-day"
                aria-label={`Move ${stop.accountName} to another day`}
                value=""
                onChange={(e) => {
                  const day = Number(e.target.value);
                  onEdit(moveStopToDay(draft, at, day), `${stop.accountName} moved to ${dayLabel(plan.days[day]?.date ?? '')}`);
                }}
                data-testid="tour-stop-move-day"
              >
                <option value="">Day…</option>
                {plan.days.map((d, i) =>
                  i === dayIndex ? null : (
                    <option key={d.date} value={i}>
                      {dayLabel(d.date)}
                    </option>
                  ),
                )}
              </select>
            ) : null}
            <button type="button" className="icon-btn" aria-label={`Remove ${stop.accountName} from the tour`} onClick={() => onEdit(removeStop(draft, at), `${stop.accountName} taken off`)} data-testid="tour-stop-remove">
              ✕
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
};

/** The tour, day by day: ordered stops with their times, lunch, the way back and the night; edits by buttons or drag and drop. */
export const TourTimeline = (props: TimelineProps) => {
  const { plan, draft, editable, onEdit, dayExtras, focusDay, onFocusDay } = props;
  const [dragOver, setDragOver] = useState<string | null>(null);
  const tz = plan.timeZone;

  const drop = (e: DragEvent, dayIndex: number, index: number): void => {
    setDragOver(null);
    if (!editable) return;
    const visitId = e.dataTransfer.getData(VISIT_DRAG_TYPE);
    if (!visitId) return;
    e.preventDefault();
    let what = '';
    const next = dropTarget(draft, visitId, dayIndex, index, (m) => (what = m));
    if (next) onEdit(next, what);
  };

  return (
    <div className="tour-days" data-testid="tour-timeline">
      {plan.days.map((day, dayIndex) => {
        const colour = dayColour(dayIndex);
        const endKey = `${String(dayIndex)}:end`;
        return (
          <section key={day.date} className={`tour-day${focusDay === dayIndex ? ' focused' : focusDay !== null ? ' dimmed' : ''}`} style={{ borderLeftColor: colour }} data-testid="tour-day" data-date={day.date} aria-label={`Day ${dayLabel(day.date)}`}>
            <header className="tour-day-header">
              <div>
                <h3>
                  <button
                    type="button"
                    className="tour-day-focus"
                    aria-pressed={focusDay === dayIndex}
                    title={focusDay === dayIndex ? 'Show every day on the map' : 'Show this day on the map'}
                    onClick={() => onFocusDay(focusDay === dayIndex ? null : dayIndex)}
                    data-testid="tour-day-focus"
                  >
                    <span className="tour-day-swatch" style={{ background: colour }} aria-hidden="true" />
                    {dayLabel(day.date)}
                  </button>
                  {!day.working ? <span className="tour-badge tour-badge-warn">not a working day</span> : null}
                </h3>
                <div className="muted small" data-testid="tour-day-summary">
                  {day.stops.length} visit{day.stops.length === 1 ? '' : 's'} · {kmText(day.distanceMetres)} · {durationText(day.drivingSeconds)} driving
                  {day.stops.length > 0 ? ` · ${clock(day.departure, tz)} → ${clock(day.arrival, tz)}` : ''}
                </div>
              </div>
              <label className="tour-night small" title="Where the rep sleeps after this day">
                <span>Night</span>
                <select
                  className="input-small"
                  value={draft.days[dayIndex]?.night ?? day.night.stay}
                  disabled={!editable}
                  onChange={(e) => onEdit(setNight(draft, dayIndex, e.target.value === 'hotel' ? 'hotel' : 'home'), `night of ${dayLabel(day.date)}: ${e.target.value}`)}
                  data-testid="tour-night"
                >
                  <option value="home">Home</option>
                  <option value="hotel">Hotel</option>
                </select>
              </label>
            </header>
            <Flags flags={day.flags} testId="tour-day-flag" />
            {day.stops.length > 0 ? (
              <div className="tour-depart small muted">
                Leaves {startLabel(day)} at <strong>{clock(day.departure, tz)}</strong>
              </div>
            ) : null}
            <ol className="tour-stops">
              {day.stops.map((stop, index) => (
                <Fragment key={stop.visitId}>
                  {day.lunch && day.lunch.afterStop === index ? (
                    <li className="tour-lunch small" data-testid="tour-lunch">
                      Lunch {clock(day.lunch.start, tz)}–{clock(day.lunch.end, tz)}
                    </li>
                  ) : null}
                  <StopRow stop={stop} index={index} dayIndex={dayIndex} props={props} onDrop={(e, i) => drop(e, dayIndex, i)} dragOver={dragOver === `${String(dayIndex)}:${String(index)}`} setDragOver={setDragOver} />
                </Fragment>
              ))}
              {day.lunch && day.lunch.afterStop >= day.stops.length ? (
                <li className="tour-lunch small" data-testid="tour-lunch">
                  Lunch {clock(day.lunch.start, tz)}–{clock(day.lunch.end, tz)}
                </li>
              ) : null}
            </ol>
            {editable ? (
              <div
                className={`tour-drop-end small${dragOver === endKey ? ' drag-over' : ''}`}
                onDragOver={(e) => {
                  e.preventDefault();
                  setDragOver(endKey);
                }}
                onDragLeave={() => setDragOver(null)}
                onDrop={(e) => drop(e, dayIndex, draft.days[dayIndex]?.visitIds.length ?? 0)}
              >
                {day.stops.length === 0 ? 'No visit: drop one here' : 'Drop here to end the day with it'}
              </div>
            ) : null}
            {day.stops.length > 0 ? (
              <div className="tour-return small muted" data-testid="tour-return">
                ↓ {kmText(day.returnLeg.driveMetres)} · {durationText(day.returnLeg.driveSeconds)} drive → {day.night.stay === 'hotel' ? 'the hotel' : startLabel(day) === 'the office' ? 'the office' : 'home'} at <strong>{clock(day.arrival, tz)}</strong>
              </div>
            ) : null}
            {dayExtras?.(dayIndex, day)}
          </section>
        );
      })}
    </div>
  );
};
