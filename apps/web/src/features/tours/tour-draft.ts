import type { TourDaysBody, TourDto, TourPlan, UnplacedVisitDto, VisitDto } from './tours-types.ts';

export type NightStay = 'home' | 'hotel';

/** One day of a tour being edited: the visits in their order and where the night is spent. */
export interface DraftDay {
  readonly date: string;
  readonly visitIds: readonly string[];
  readonly night: NightStay;
}

/** The order a person edits; the server re-times it (`/tours/evaluate`) after every change. */
export interface TourDraft {
  readonly userId: string;
  readonly days: readonly DraftDay[];
}

/** Where a stop is: the day's index and the stop's index in it. */
export interface StopRef {
  readonly day: number;
  readonly index: number;
}

export const draftOfPlan = (plan: TourPlan): TourDraft => ({
  userId: plan.userId,
  days: plan.days.map((d) => ({ date: d.date, visitIds: d.stops.map((s) => s.visitId), night: d.night.stay })),
});

export const draftOfTour = (tour: TourDto): TourDraft => ({
  userId: tour.userId,
  days: tour.days.map((d) => ({ date: d.date, visitIds: [...d.stops].sort((a, b) => a.seq - b.seq).map((s) => s.visitId), night: d.night.stay })),
});

/** A draft from a request body (e.g. the days another panel sends back after inserting a visit). */
export const draftOfBody = (body: TourDaysBody): TourDraft => ({
  userId: body.userId,
  days: body.days.map((d) => ({ date: d.date, visitIds: [...d.visitIds], night: d.night ?? 'home' })),
});

export const draftBody = (draft: TourDraft): TourDaysBody => ({
  userId: draft.userId,
  days: draft.days.map((d) => ({ date: d.date, visitIds: [...d.visitIds], night: d.night })),
});

const withDay = (draft: TourDraft, day: number, change: (d: DraftDay) => DraftDay): TourDraft => ({
  ...draft,
  days: draft.days.map((d, i) => (i === day ? change(d) : d)),
});

const inRange = (draft: TourDraft, at: StopRef): boolean => {
  const day = draft.days[at.day];
  return day !== undefined && at.index >= 0 && at.index < day.visitIds.length;
};

/**
 * Moves a stop to `to` (a day and the position it takes there, clamped to the day's length).
 * Within a day, `to.index` is the stop's index after the move. Out-of-range moves change nothing.
 */
export const moveStop = (draft: TourDraft, from: StopRef, to: StopRef): TourDraft => {
  if (!inRange(draft, from) || draft.days[to.day] === undefined) return draft;
  const id = draft.days[from.day]?.visitIds[from.index];
  if (id === undefined) return draft;
  const removed = withDay(draft, from.day, (d) => ({ ...d, visitIds: d.visitIds.filter((_, i) => i !== from.index) }));
  return withDay(removed, to.day, (d) => {
    const at = Math.max(0, Math.min(to.index, d.visitIds.length));
    return { ...d, visitIds: [...d.visitIds.slice(0, at), id, ...d.visitIds.slice(at)] };
  });
};

/** One place up (-1) or down (+1) in its day; at either end nothing changes. */
export const nudgeStop = (draft: TourDraft, at: StopRef, delta: -1 | 1): TourDraft => {
  const length = draft.days[at.day]?.visitIds.length ?? 0;
  const target = at.index + delta;
  if (!inRange(draft, at) || target < 0 || target >= length) return draft;
  return moveStop(draft, at, { day: at.day, index: target });
};

/** Moves a stop to the end of another day. */
export const moveStopToDay = (draft: TourDraft, at: StopRef, day: number): TourDraft =>
  day === at.day ? draft : moveStop(draft, at, { day, index: draft.days[day]?.visitIds.length ?? 0 });

export const removeStop = (draft: TourDraft, at: StopRef): TourDraft =>
  inRange(draft, at) ? withDay(draft, at.day, (d) => ({ ...d, visitIds: d.visitIds.filter((_, i) => i !== at.index) })) : draft;

/** Adds a visit that is not on the tour to a day (at its end unless an index is given); a visit already on it is moved instead. */
export const addVisit = (draft: TourDraft, visitId: string, day: number, index?: number): TourDraft => {
  if (draft.days[day] === undefined) return draft;
  const current = findStop(draft, visitId);
  if (current) return moveStop(draft, current, { day, index: index ?? Number.MAX_SAFE_INTEGER });
  return withDay(draft, day, (d) => {
    const at = Math.max(0, Math.min(index ?? d.visitIds.length, d.visitIds.length));
    return { ...d, visitIds: [...d.visitIds.slice(0, at), visitId, ...d.visitIds.slice(at)] };
  });
};

export const setNight = (draft: TourDraft, day: number, night: NightStay): TourDraft => withDay(draft, day, (d) => ({ ...d, night }));

export const findStop = (draft: TourDraft, visitId: string): StopRef | undefined => {
  for (let day = 0; day < draft.days.length; day++) {
    const index = draft.days[day]?.visitIds.indexOf(visitId) ?? -1;
    if (index >= 0) return { day, index };
  }
  return undefined;
};

export const draftsEqual = (a: TourDraft, b: TourDraft): boolean =>
  a.userId === b.userId &&
  a.days.length === b.days.length &&
  a.days.every((d, i) => {
    const o = b.days[i];
    return o !== undefined && o.date === d.date && o.night === d.night && o.visitIds.length === d.visitIds.length && o.visitIds.every((v, j) => v === d.visitIds[j]);
  });

/** A candidate visit that is not on the tour, and why. */
export interface OffTourVisit {
  readonly visitId: string;
  readonly accountName: string;
  readonly visitType: string;
  /** `not_selected`, `removed` (taken off by hand), or the optimiser's reason code. */
  readonly reason: string;
  readonly message: string;
}

/**
 * The candidates not on the tour: those the optimiser could not place keep its reason, those the
 * person took off say so, and those left out of the optimisation are offered too. In candidate order.
 */
export const offTour = (
  candidates: readonly Pick<VisitDto, 'id' | 'accountName' | 'visitTypeName'>[],
  selected: ReadonlySet<string>,
  draft: TourDraft,
  unplaced: readonly UnplacedVisitDto[],
  notSelected: { readonly reason: string; readonly message: string } = { reason: 'not_selected', message: 'Not selected for the optimisation' },
): OffTourVisit[] => {
  const onTour = new Set(draft.days.flatMap((d) => d.visitIds));
  const why = new Map(unplaced.map((u) => [u.visitId, u]));
  const out: OffTourVisit[] = [];
  const seen = new Set<string>();
  for (const u of unplaced) {
    if (onTour.has(u.visitId)) continue;
    const c = candidates.find((v) => v.id === u.visitId);
    out.push({ visitId: u.visitId, accountName: u.accountName, visitType: c?.visitTypeName ?? '', reason: u.reason, message: u.message });
    seen.add(u.visitId);
  }
  for (const c of candidates) {
    if (onTour.has(c.id) || seen.has(c.id) || why.has(c.id)) continue;
    const picked = selected.has(c.id);
    out.push({
      visitId: c.id,
      accountName: c.accountName,
      visitType: c.visitTypeName,
      reason: picked ? 'removed' : notSelected.reason,
      message: picked ? 'Taken off the tour by hand' : notSelected.message,
    });
  }
  return out;
};
