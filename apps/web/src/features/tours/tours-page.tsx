import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FIELD_ROLES } from '@geocrm/domain';
import { useCurrentSession } from '../auth/require-session.tsx';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { useUsers } from '../users/users-api.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import type { MapLibreMap } from '../../map/maplibre.ts';
import { TourDayActions } from '../announce/tour-day-actions.tsx';
import { OpportunitiesPanel } from '../opportunities/opportunities-panel.tsx';
import { addVisit, draftBody, draftOfBody, draftOfPlan, draftOfTour, draftsEqual, offTour, type TourDraft } from './tour-draft.ts';
import { addDays, clock, dayColour, dayLabel, durationText, kmText, localToday, moneyText, nextMonday } from './tour-format.ts';
import { TourMap } from './tour-map.tsx';
import { TourTimeline, VISIT_DRAG_TYPE } from './tour-timeline.tsx';
import { useCancelTour, useCandidateVisits, useChangeTour, useEvaluateTour, useLoadTour, usePlanTour, useSaveTour, useSavedTours } from './tours-api.ts';
import type { TimelineDay, TourDto, TourPlan, UnplacedVisitDto, VisitDto } from './tours-types.ts';
import './tours.css';

const DAY_CHOICES = [1, 2, 3, 4, 5] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const REASON_LABELS: Record<string, string> = {
  not_selected: 'Not selected',
  not_on_tour: 'Not on it',
  removed: 'Taken off',
  no_room: 'No room',
  interrupted: 'No room',
  closed: 'Closed',
  time_window: 'No time fits',
  outside_dates: 'Outside dates',
  appointment_outside_plan: 'Appointment elsewhere',
  no_location: 'No location',
  no_vehicle: 'No working day',
  skills: 'Skills',
  missing_skills: 'Skills',
  pinned_vehicle: 'Other rep',
  max_travel_time: 'Too far',
  max_distance: 'Too far',
  max_tasks: 'Too many',
  shift_too_short: 'Too long',
  breaks: 'Lunch',
  capacity: 'Capacity',
};

/** `Tue 1 Dec 10:15` for an appointment, `30 Nov – 4 Dec` (and the time of day) for a window. */
const visitWhen = (v: VisitDto, timeZone: string): string => {
  if (v.appointmentAt) return `Appointment ${dayLabel(v.appointmentAt.slice(0, 10))} ${clock(v.appointmentAt, timeZone)}`;
  if (!v.window) return 'Any day';
  const dates = v.window.from === v.window.to ? dayLabel(v.window.from) : `${dayLabel(v.window.from)} – ${dayLabel(v.window.to)}`;
  return v.timeOfDay ? `${dates}, ${v.timeOfDay.from}–${v.timeOfDay.to}` : dates;
};

/** Seconds since `running` became true, ticking while it is. */
const useElapsed = (running: boolean): number => {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return undefined;
    const started = Date.now();
    setElapsed(0);
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [running]);
  return elapsed;
};

const Totals = ({ plan }: { plan: TourPlan }) => {
  const t = plan.totals;
  const flags = plan.days.reduce((n, d) => n + d.flags.length + d.stops.reduce((m, s) => m + s.flags.length, 0), 0);
  const items: [string, ReactNode, string][] = [
    ['Visits', t.visits, 'totals-visits'],
    ['Distance', `${String(Math.round(t.km))} km`, 'totals-km'],
    ['Driving', durationText(t.drivingSeconds), 'totals-driving'],
    ['Hotel nights', t.hotelNights, 'totals-nights'],
    ['Meals', t.meals, 'totals-meals'],
    ['Est. cost', moneyText(t.costCents, t.currency), 'totals-cost'],
  ];
  return (
    <div className="tour-totals" data-testid="tour-totals">
      {items.map(([label, value, testId]) => (
        <div key={label} className="tour-total">
          <span className="muted small">{label}</span>
          <strong data-testid={testId}>{value}</strong>
        </div>
      ))}
      <div className={`tour-validity small ${flags ? 'bad' : 'good'}`} data-testid="tour-validity">
        {flags ? `⚠ ${String(flags)} broken constraint${flags === 1 ? '' : 's'}: fix before saving` : '✓ Every constraint holds'}
      </div>
    </div>
  );
};

/** Plan a rep's 1–5 days: pick the visits, optimise, adjust by hand (re-timed at once), save; reopen saved tours. */
export const ToursPage = () => {
  usePageTitle('Tours');
  const session = useCurrentSession();
  const plansOthers = !FIELD_ROLES.includes(session.user.role);
  const mayManage = session.user.role === 'manager' || session.user.role === 'admin';
  const [search, setSearch] = useSearchParams();
  const users = useUsers();
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();

  const reps = useMemo(() => (users.data?.items ?? []).filter((u) => u.active && FIELD_ROLES.includes(u.role)).sort((a, b) => a.name.localeCompare(b.name)), [users.data]);
  // Rep, first day and number of days: state first (several quick changes all stay), mirrored in the address.
  const [params, setParams] = useState(() => ({ rep: search.get('rep'), from: search.get('from'), days: search.get('days') }));
  const setParam = (key: 'rep' | 'from' | 'days', value: string) => setParams((p) => ({ ...p, [key]: value }));
  const setSearchRef = useRef(setSearch);
  setSearchRef.current = setSearch;
  useEffect(() => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(params)) if (value !== null) next.set(key, value);
    if (next.toString() !== window.location.search.replace(/^\?/, '')) setSearchRef.current(next, { replace: true });
  }, [params]);
  const userId = plansOthers ? (params.rep ?? reps[0]?.id ?? null) : session.user.id;
  const repName = plansOthers ? (reps.find((r) => r.id === userId)?.name ?? '') : session.user.name;
  const repHome = plansOthers ? (reps.find((r) => r.id === userId)?.home ?? null) : session.user.home;
  const fromParam = params.from ?? '';
  const from = DATE.test(fromParam) ? fromParam : nextMonday(localToday());
  const days = Math.min(5, Math.max(1, Number(params.days) || 5));
  const to = addDays(from, days - 1);

  const candidates = useCandidateVisits(userId, from, to);
  const saved = useSavedTours(userId, from, addDays(from, 13));
  const plan = usePlanTour();
  const evaluate = useEvaluateTour();
  const save = useSaveTour();
  const change = useChangeTour();
  const cancel = useCancelTour();
  const load = useLoadTour();
  const planning = useElapsed(plan.isPending);

  const [deselected, setDeselected] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState<TourPlan | null>(null);
  const [draft, setDraft] = useState<TourDraft | null>(null);
  /** What the optimiser could not place (kept through hand edits, which the server only re-times). */
  const [unplaced, setUnplaced] = useState<readonly UnplacedVisitDto[]>([]);
  const [plannedWith, setPlannedWith] = useState<ReadonlySet<string>>(new Set());
  const [tour, setTour] = useState<{ id: string; draft: TourDraft } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [fitKey, setFitKey] = useState('');
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const [focusDay, setFocusDay] = useState<number | null>(null);
  /** The day whose opportunities on the way are open (one at a time: each asks the server). */
  const [oppDay, setOppDay] = useState<number | null>(null);
  const [mapInstance, setMapInstance] = useState<MapLibreMap | null>(null);
  const [showCandidates, setShowCandidates] = useState(true);
  /** Shown: an optimised plan, or a saved tour reopened. */
  const [origin, setOrigin] = useState<'optimised' | 'opened'>('optimised');
  const evaluation = useRef(0);
  /** The order the shown times belong to. */
  const timedDraft = useRef<TourDraft | null>(null);

  const candidateList = useMemo(() => candidates.data?.items ?? [], [candidates.data]);
  const selectedIds = useMemo(() => candidateList.filter((v) => !deselected.has(v.id)).map((v) => v.id), [candidateList, deselected]);
  const timeZone = shown?.timeZone ?? session.org.timeZone;

  // A new rep or new dates: the shown tour belongs to the old ones.
  const scope = `${userId ?? ''}|${from}|${String(days)}`;
  const scopeRef = useRef(scope);
  useEffect(() => {
    if (scopeRef.current === scope) return;
    scopeRef.current = scope;
    evaluation.current++;
    setShown(null);
    setDraft(null);
    setTour(null);
    setUnplaced([]);
    setDeselected(new Set());
    setNotice(null);
    setShowCandidates(true);
  }, [scope]);

  const show = (p: TourPlan, d: TourDraft, message: string) => {
    evaluation.current++;
    setShown(p);
    setDraft(d);
    timedDraft.current = d;
    setFocusDay(null);
    setOppDay(null);
    setNotice(message);
    setFitKey(`${p.userId}|${p.from}|${String(evaluation.current)}`);
  };

  const optimise = () => {
    if (!userId) return;
    const ids = selectedIds;
    const asked = scope;
    plan.mutate(
      { userId, from, days, visitIds: ids },
      {
        onSuccess: (p) => {
          if (asked !== scopeRef.current) return; // another rep or other dates meanwhile
          setUnplaced(p.unplaced);
          setOrigin('optimised');
          setPlannedWith(new Set(ids));
          setTour(null);
          setShowCandidates(false);
          show(p, draftOfPlan(p), `Optimised in ${(p.computingMs / 1000).toFixed(1)} s: ${String(p.totals.visits)} of ${String(ids.length)} visits placed`);
        },
      },
    );
  };

  const edit = (next: TourDraft, what: string) => {
    if (!draft || draftsEqual(next, draft)) return;
    setDraft(next);
    setNotice(`${what}: re-timing…`);
    const seq = ++evaluation.current;
    evaluate.mutate(draftBody(next), {
      onSuccess: (p) => {
        if (seq !== evaluation.current) return;
        timedDraft.current = next;
        setShown(p);
        setNotice(`${what[0]?.toUpperCase() ?? ''}${what.slice(1)}; times recomputed`);
      },
      onError: () => {
        if (seq !== evaluation.current) return;
        // Not re-timed: back to the order the timeline shows (the error says why).
        if (timedDraft.current) setDraft(timedDraft.current);
        setNotice(null);
      },
    });
  };

  const openSaved = (id: string) => {
    load.mutate(id, {
      onSuccess: (t) => {
        const d = draftOfTour(t);
        const seq = ++evaluation.current;
        evaluate.mutate(draftBody(d), {
          onSuccess: (p) => {
            if (seq !== evaluation.current) return;
            setUnplaced([]);
            setOrigin('opened');
            setPlannedWith(new Set(d.days.flatMap((x) => x.visitIds)));
            setTour({ id: t.id, draft: d });
            setShowCandidates(false);
            show(p, d, `Opened the saved tour of ${dayLabel(t.from)} – ${dayLabel(t.to)}`);
          },
        });
      },
    });
  };

  const saveTour = () => {
    if (!draft) return;
    const onSuccess = (t: TourDto, what: string) => {
      setTour({ id: t.id, draft });
      setNotice(`${what}: ${String(t.totals.visits)} visits, ${String(Math.round(t.totals.km))} km`);
    };
    if (tour) change.mutate({ id: tour.id, body: { days: draftBody(draft).days } }, { onSuccess: (t) => onSuccess(t, 'Saved tour changed') });
    else save.mutate(draftBody(draft), { onSuccess: (t) => onSuccess(t, 'Tour saved') });
  };

  const cancelTour = () => {
    if (!tour || !window.confirm('Cancel this saved tour? It is kept as cancelled and its visits can be planned again.')) return;
    cancel.mutate(tour.id, {
      onSuccess: () => {
        setTour(null);
        setNotice('Tour cancelled: its visits are open again');
      },
    });
  };

  const opened = origin === 'opened';
  const offList = useMemo(
    () => (draft ? offTour(candidateList, plannedWith, draft, unplaced, opened ? { reason: 'not_on_tour', message: 'Not on this saved tour (it may be on another one)' } : undefined) : []),
    [candidateList, plannedWith, draft, unplaced, opened],
  );
  const flagged = shown ? !shown.valid : false;
  const isSavedAsShown = tour !== null && draft !== null && draftsEqual(tour.draft, draft);
  const pending = evaluate.isPending;

  /** Under each day: the accounts worth adding on the way (F-TOUR-3), inserted and re-timed in one call. */
  const dayExtras = (dayIndex: number, day: TimelineDay): ReactNode => (
    <>
      {isSavedAsShown && tour ? (
        // a saved day: tour sheet, calendar, directions, customers told (features/announce)
        <details className="tour-opps" data-testid="tour-day-announce">
          <summary className="small">Prepare and announce</summary>
          <TourDayActions tourId={tour.id} date={day.date} />
        </details>
      ) : null}
      <details
        className="tour-opps"
        open={oppDay === dayIndex}
        onToggle={(e) => {
          const open = e.currentTarget.open;
          setOppDay((d) => (open ? dayIndex : d === dayIndex ? null : d));
        }}
      >
        <summary className="small" data-testid="tour-opportunities-toggle">
          Opportunities on the way
        </summary>
        {oppDay === dayIndex && draft ? (
          <OpportunitiesPanel
            // a saved tour unchanged: the insert rewrites it on the server; otherwise the edited days
            days={isSavedAsShown ? null : draftBody(draft)}
            dayIndex={dayIndex}
            {...(isSavedAsShown && tour ? { tourId: tour.id, date: day.date } : {})}
            map={mapInstance}
            onPlanChange={(p, body) => {
              const d = draftOfBody(body);
              evaluation.current++;
              timedDraft.current = d;
              setShown(p);
              setDraft(d);
              if (isSavedAsShown && tour) setTour({ id: tour.id, draft: d });
              setNotice(`Visit added on ${dayLabel(day.date)}; times recomputed`);
            }}
          />
        ) : null}
      </details>
    </>
  );

  /** A stop clicked on the map: highlighted and brought into view in the timeline. */
  const showStop = (visitId: string) => {
    setHighlighted(visitId);
    document.querySelector(`[data-testid="tour-stop"][data-visit-id="${CSS.escape(visitId)}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };

  const addOff = (visitId: string, day: number, name: string) => {
    if (draft) edit(addVisit(draft, visitId, day), `${name} added to ${dayLabel(draft.days[day]?.date ?? '')}`);
  };

  return (
    <div className="around-page tours-page" data-testid="tours-page">
      <div className="around-body tours-body">
        <aside className="around-panel tours-panel">
          <div className="tours-title">
            <h1>Tours</h1>
            <nav className="tours-links small" aria-label="Tours">
              {plansOthers ? (
                <Link to="/tours/team" data-testid="tours-team-link">
                  Team planning
                </Link>
              ) : null}
              {userId ? (
                <Link to={`/tours/profiles/${userId}`} data-testid="tours-profile-link">
                  {plansOthers ? 'Rep profile' : 'My profile'}
                </Link>
              ) : null}
              {mayManage ? (
                <Link to="/tours/visit-types" data-testid="tours-visit-types-link">
                  Visit types
                </Link>
              ) : null}
            </nav>
          </div>

          <div className="tours-setup">
            {plansOthers ? (
              <label className="field">
                <span>Rep</span>
                <select value={userId ?? ''} onChange={(e) => setParam('rep', e.target.value)} data-testid="tours-rep">
                  {reps.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                      {u.home ? ` · ${u.home.label}` : ' · no home'}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <div className="small">
                Planning <strong>{session.user.name}</strong>
              </div>
            )}
            <div className="tours-dates">
              <label className="field">
                <span>First day</span>
                <input type="date" value={from} min={localToday()} onChange={(e) => DATE.test(e.target.value) && setParam('from', e.target.value)} data-testid="tours-from" />
              </label>
              <label className="field">
                <span>Days</span>
                <select value={days} onChange={(e) => setParam('days', e.target.value)} data-testid="tours-days">
                  {DAY_CHOICES.map((n) => (
                    <option key={n} value={n}>
                      {n} {n === 1 ? 'day' : 'days'}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <details className="tours-candidates" open={showCandidates} onToggle={(e) => setShowCandidates(e.currentTarget.open)}>
              <summary className="small" data-testid="tours-candidates-summary">
                {candidates.isPending ? 'Loading the open visits…' : `${String(selectedIds.length)} of ${String(candidateList.length)} open visits selected`} · {dayLabel(from)} – {dayLabel(to)}
              </summary>
              <div className="tours-candidates-tools small">
                <button type="button" className="btn btn-link" onClick={() => setDeselected(new Set())} data-testid="tours-select-all">
                  Select all
                </button>
                <button type="button" className="btn btn-link" onClick={() => setDeselected(new Set(candidateList.map((v) => v.id)))}>
                  None
                </button>
              </div>
              <ul className="tours-candidate-list" data-testid="tours-candidates">
                {candidateList.map((v) => (
                  <li key={v.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={!deselected.has(v.id)}
                        onChange={() =>
                          setDeselected((s) => {
                            const next = new Set(s);
                            if (next.has(v.id)) next.delete(v.id);
                            else next.add(v.id);
                            return next;
                          })
                        }
                        data-testid="tours-candidate"
                      />
                      <span className="tours-candidate-text">
                        <span>{v.accountName}</span>
                        <span className="muted small">
                          {v.visitTypeName} · {visitWhen(v, timeZone)}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
                {candidates.data && candidateList.length === 0 ? <li className="muted small">No open visit for {repName || 'this rep'} on these dates.</li> : null}
              </ul>
            </details>
            <button type="button" className="btn btn-primary" disabled={!userId || plan.isPending || selectedIds.length === 0} onClick={optimise} data-testid="tours-optimise">
              {plan.isPending ? <span className="inline-spinner" aria-hidden="true" /> : null}
              {plan.isPending ? ` Optimising ${String(selectedIds.length)} visits… ${String(planning)} s` : shown ? 'Optimise again' : 'Optimise'}
            </button>
            {plan.isPending ? (
              <div className="banner banner-info small" role="status" data-testid="tours-progress">
                Ordering {selectedIds.length} visits over {days} day{days === 1 ? '' : 's'}, placing lunch and deciding each night… ({planning} s)
              </div>
            ) : null}
          </div>

          <ErrorBanner error={plan.error ?? evaluate.error ?? load.error ?? candidates.error ?? saved.error} />
          {notice ? (
            <div className="banner banner-success small" role="status" data-testid="tours-notice">
              {notice}
            </div>
          ) : null}

          {shown && draft ? (
            <>
              <Totals plan={shown} />
              <div className="tours-save">
                <button type="button" className="btn btn-primary" disabled={save.isPending || change.isPending || pending || isSavedAsShown} onClick={saveTour} data-testid="tours-save">
                  {isSavedAsShown ? 'Saved' : save.isPending || change.isPending ? 'Saving…' : tour ? 'Save changes' : 'Save tour'}
                </button>
                {tour ? (
                  <button type="button" className="btn btn-ghost btn-small" disabled={cancel.isPending} onClick={cancelTour} data-testid="tours-cancel">
                    Cancel tour
                  </button>
                ) : null}
                <span className="muted small">
                  {pending ? 'Re-timing…' : flagged ? 'A tour with broken constraints is refused.' : isSavedAsShown ? 'This tour is saved.' : tour ? 'Changes to the saved tour.' : 'Times are checked again by the server.'}
                </span>
              </div>
              <ErrorBanner error={save.error ?? change.error ?? cancel.error} testId="tours-save-error" />
              <div className={`tours-timeline-wrap${pending ? ' pending' : ''}`} aria-busy={pending}>
                <TourTimeline plan={shown} draft={draft} editable highlighted={highlighted} onHighlight={setHighlighted} onEdit={edit} dayExtras={dayExtras} focusDay={focusDay} onFocusDay={setFocusDay} />
              </div>
              <section className="tours-off" data-testid="tours-unplaced">
                <h2>
                  Not on the tour <span className="muted small">({offList.length})</span>
                </h2>
                {offList.length === 0 ? <p className="muted small">Every selected visit is on the tour.</p> : null}
                <ul>
                  {offList.map((o) => (
                    <li
                      key={o.visitId}
                      draggable
                      onDragStart={(e) => {
                        e.dataTransfer.setData(VISIT_DRAG_TYPE, o.visitId);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      data-testid="tours-unplaced-item"
                      data-reason={o.reason}
                    >
                      <div className="tours-off-main">
                        <span className={`tour-reason reason-${o.reason}`}>{REASON_LABELS[o.reason] ?? o.reason}</span>
                        <span>
                          {o.accountName} <span className="muted small">· {o.visitType}</span>
                        </span>
                      </div>
                      <div className="muted small">{o.message}</div>
                      <select className="input-small" aria-label={`Add ${o.accountName} to a day`} value="" onChange={(e) => addOff(o.visitId, Number(e.target.value), o.accountName)} data-testid="tours-unplaced-add">
                        <option value="">Add to…</option>
                        {draft.days.map((d, i) => (
                          <option key={d.date} value={i}>
                            {dayLabel(d.date)}
                          </option>
                        ))}
                      </select>
                    </li>
                  ))}
                </ul>
              </section>
            </>
          ) : !plan.isPending ? (
            <p className="muted small">Pick a rep and the days, then optimise: the tour appears on the map and day by day here, ready to adjust by hand.</p>
          ) : null}

          <section className="tours-saved" data-testid="tours-saved">
            <h2>Saved tours</h2>
            {(saved.data?.items ?? []).length === 0 ? <p className="muted small">No saved tour for {repName || 'this rep'} in the two weeks from {dayLabel(from)}.</p> : null}
            <ul>
              {(saved.data?.items ?? []).map((t) => (
                <li key={t.id} className={`${tour?.id === t.id ? 'current' : ''}${t.status === 'cancelled' ? ' cancelled' : ''}`} data-testid="tours-saved-item" data-status={t.status}>
                  <span>
                    {dayLabel(t.from)} – {dayLabel(t.to)}
                    {t.status === 'planned' ? '' : <span className="tour-badge tour-badge-warn">{t.status}</span>}{' '}
                    <span className="muted small">
                      · {t.totals.visits} visits · {Math.round(t.totals.km)} km · {t.totals.hotelNights} night{t.totals.hotelNights === 1 ? '' : 's'} · {moneyText(t.totals.costCents, t.totals.currency)}
                    </span>
                  </span>
                  {t.status === 'planned' ? (
                    <button type="button" className="btn btn-ghost btn-small" disabled={load.isPending} onClick={() => openSaved(t.id)} data-testid="tours-saved-open">
                      Open
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        </aside>
        <div className="map-wrap">
          <TourMap plan={shown} fitKey={fitKey} highlighted={highlighted} focusDay={focusDay} home={repHome} boundaries={boundaries} attribution={attribution.data?.items} onStopClick={showStop} onMap={setMapInstance} />
          {shown ? (
            <div className="tour-map-legend" data-testid="tour-map-legend">
              {shown.days.map((d, i) => (
                <div key={d.date}>
                  <span className="tour-day-swatch" style={{ background: dayColour(i) }} aria-hidden="true" />
                  {dayLabel(d.date)} · {d.stops.length} · {kmText(d.distanceMetres)} · {d.night.stay === 'hotel' ? 'night at a hotel' : 'home at night'}
                </div>
              ))}
              <div className="muted">⌂ home · H hotel · numbers: order of the day</div>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
};
