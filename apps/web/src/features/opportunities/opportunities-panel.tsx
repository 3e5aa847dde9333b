/**
 * OpportunitiesPanel — "opportunities on the way" (F-TOUR-3) for one day of a tour planner.
 *
 * Props:
 * - `days`: the plan being edited, as sent to `POST /tours/evaluate` (`TourDaysBody`: `userId` and, per
 *   day, `date`, `visitIds` in order, `night`). The list is recomputed whenever it changes.
 *   Or, for a saved tour, pass `tourId` + `date` instead (then `days` may be null).
 * - `dayIndex`: which day of `days` to fill (0-based).
 * - `onPlanChange(plan, days)`: called after an insert with the re-timed plan (`TourPlan`, the same
 *   shape as `/tours/evaluate`) and the new `TourDaysBody` (the created visit in its place): the page
 *   replaces its plan with them.
 * - `widthKm` (optional, default 5): the corridor width on each side of the route; the panel has its own
 *   selector, this is its starting value.
 * - `visitTypeId` (optional): the visit type an inserted visit gets (default: the server's configured one).
 * - `map` (optional): a MapLibre map of the page; the candidates are then drawn on it as markers
 *   (numbered by rank, click = highlight in the list). Without it the panel is a list only.
 * - `onFocus(accountId, location)` (optional): called when a row is hovered or clicked (e.g. to fly the map).
 *
 * Each row shows the account, the detour (minutes, km), the worth and the worth per detour minute, the
 * reasons, the planned start; "Add" inserts it (all or nothing on the server).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { OpportunitiesBody, Opportunity, TourDaysBody, TourPlan } from '@geocrm/contracts';
import { Marker, type MapLibreMap } from '../../map/maplibre.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { useInsertOpportunity, useOpportunities } from './opportunities-api.ts';
import './opportunities.css';

export interface OpportunitiesPanelProps {
  readonly days: TourDaysBody | null;
  readonly dayIndex: number;
  readonly tourId?: string;
  readonly date?: string;
  readonly onPlanChange: (plan: TourPlan, days: TourDaysBody) => void;
  readonly widthKm?: number;
  readonly visitTypeId?: string;
  readonly map?: MapLibreMap | null;
  readonly onFocus?: (accountId: string, location: { lng: number; lat: number }) => void;
}

const WIDTHS = [2, 5, 10, 20] as const;

const clock = (iso: string, timeZone: string): string => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

/** The plan as a TourDaysBody again, from the re-timed answer. */
const daysOf = (plan: TourPlan, previous: TourDaysBody | null): TourDaysBody => ({
  userId: plan.userId,
  days: plan.days.map((d) => ({ date: d.date, visitIds: d.stops.map((s) => s.visitId), night: previous?.days.find((p) => p.date === d.date)?.night ?? d.night.stay })),
});

/** Candidate markers on the page's map, numbered by rank. */
const useCandidateMarkers = (map: MapLibreMap | null | undefined, items: readonly Opportunity[], highlighted: string | null, onPick: (id: string) => void) => {
  const markers = useRef<Marker[]>([]);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    for (const m of markers.current) m.remove();
    markers.current = [];
    if (!map) return undefined;
    items.forEach((o, i) => {
      const el = document.createElement('button');
      el.type = 'button';
      el.className = `opp-pin${o.accountId === highlighted ? ' opp-pin-active' : ''}`;
      el.textContent = String(i + 1);
      el.title = `${o.accountName}: +${o.detourMinutes} min`;
      el.dataset['testid'] = 'opportunity-pin';
      el.addEventListener('click', () => pick.current(o.accountId));
      markers.current.push(new Marker({ element: el }).setLngLat([o.location.lng, o.location.lat]).addTo(map));
    });
    return () => {
      for (const m of markers.current) m.remove();
      markers.current = [];
    };
  }, [map, items, highlighted]);
};

export const OpportunitiesPanel = ({ days, dayIndex, tourId, date, onPlanChange, widthKm = 5, visitTypeId, map, onFocus }: OpportunitiesPanelProps) => {
  const [width, setWidth] = useState(widthKm);
  const [active, setActive] = useState<string | null>(null);
  const selector = useMemo((): Pick<OpportunitiesBody, 'plan' | 'dayIndex' | 'tourId' | 'date'> | null => {
    if (tourId !== undefined && date !== undefined) return { tourId, date };
    if (days && days.days[dayIndex]) return { plan: days, dayIndex };
    return null;
  }, [days, dayIndex, tourId, date]);
  const body = useMemo((): OpportunitiesBody | null => (selector ? { ...selector, widthKm: width, limit: 20, ...(visitTypeId ? { visitTypeId } : {}) } : null), [selector, width, visitTypeId]);
  const list = useOpportunities(body);
  const insert = useInsertOpportunity();
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  useCandidateMarkers(map, items, active, setActive);
  const timeZone = list.data?.timeZone ?? 'Europe/Paris';

  const add = (o: Opportunity) => {
    if (!selector) return;
    insert.mutate(
      { ...selector, accountId: o.accountId, position: o.position, ...(visitTypeId ? { visitTypeId } : {}) },
      { onSuccess: (plan) => onPlanChange(plan, daysOf(plan, days)) },
    );
  };

  return (
    <section className="opp-panel" aria-label="Opportunities on the way" data-testid="opportunities-panel">
      <header className="opp-head">
        <h3>On the way</h3>
        <div className="segmented segmented-small" aria-label="Corridor width">
          {WIDTHS.map((w) => (
            <button key={w} type="button" className={w === width ? 'active' : ''} onClick={() => setWidth(w)} data-testid={`opportunities-width-${w}`}>
              {w} km
            </button>
          ))}
        </div>
      </header>
      <ErrorBanner error={list.error} testId="opportunities-error" />
      <ErrorBanner error={insert.error} testId="opportunities-insert-error" />
      {list.data ? (
        <p className="muted small" data-testid="opportunities-summary">
          {items.length} worth adding on {list.data.date} · {list.data.inCorridor} in the corridor, {list.data.notFitting} do not fit the day · {list.data.visitType.name} ({list.data.visitType.durationMinutes} min)
          {list.isFetching ? ' · updating…' : ''}
        </p>
      ) : list.isFetching ? (
        <p className="muted small">Looking along the route…</p>
      ) : null}
      <ol className="opp-list">
        {items.map((o, i) => (
          <li
            key={o.accountId}
            className={`opp-item${o.accountId === active ? ' active' : ''}`}
            onMouseEnter={() => onFocus?.(o.accountId, o.location)}
            onClick={() => {
              setActive(o.accountId);
              onFocus?.(o.accountId, o.location);
            }}
            data-testid="opportunity"
          >
            <span className="opp-rank">{i + 1}</span>
            <div className="opp-body">
              <div className="opp-title">
                <strong>{o.accountName}</strong>
                <span className="muted small"> · {o.city}</span>
              </div>
              <div className="opp-figures small">
                <span title="Extra driving">
                  +{o.detourMinutes} min · +{o.detourKm} km
                </span>
                <span title="Worth (potential, revenue, score, days since the last visit, maintenance due)">worth {o.worth}</span>
                <span className="opp-ratio" title="Worth per detour minute">
                  {o.worthPerDetourMinute}/min
                </span>
                <span className="muted">
                  stop {o.position + 1} at {clock(o.start, timeZone)}
                </span>
              </div>
              <div className="opp-reasons muted small">{o.reasons.slice(0, -1).join(' · ')}</div>
            </div>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              disabled={insert.isPending}
              onClick={(e) => {
                e.stopPropagation();
                add(o);
              }}
              data-testid="opportunity-add"
            >
              Add
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
};
