import { AppError, type AccountKind, type AccountStatus } from '@geocrm/domain';
import { createEstimatedMatrixProvider, type MatrixProvider } from '@geocrm/geo';
import type { AccountRecord, AccountsRepository, LngLatRecord, PlanningVisitRecord, RepProfileRecord, SlotsRepository, ToursRepository, Transactor, VisitTypeRecord } from '@geocrm/db';
import type { InsertOpportunityBody, OpportunitiesBody, OpportunitiesResponse, Opportunity, TourDaysBody, TourPlan } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { assertMayPlan } from './access.ts';
import { baseOf, contextOf, isoOf, Points, positionsByDetour, scheduleVisitOf, timeInsertion, totalsOf, tourDaysOf, withVisit, type Timed } from './insertion.ts';
import { scheduleDays, type DayInput, type DayTimeline, type ScheduleContext, type ScheduleVisit } from './schedule.ts';
import { todayIn } from './time.ts';
import type { ToursService } from './tours.service.ts';
import type { VisitsService } from './visits.service.ts';

export interface OpportunitiesServiceDeps {
  readonly tours: ToursRepository;
  readonly accounts: AccountsRepository;
  readonly slots: SlotsRepository;
  readonly visits: VisitsService;
  readonly toursService: ToursService;
  readonly transaction: Transactor;
  readonly matrix?: MatrixProvider;
  /** Name of the visit type an inserted opportunity gets when none is given (else the shortest without skills). */
  readonly defaultVisitType?: string;
  readonly now?: () => Date;
}

/** Accounts worth a visit on the way: customers, prospects, equipment to maintain, partners. */
const KINDS: readonly AccountKind[] = ['client', 'prospect', 'equipment', 'partner'];
const STATUSES: readonly AccountStatus[] = ['active', 'lead'];
const DEFAULT_WIDTH_KM = 5;
/** Accounts read from the corridor at most (nearest along the route first). */
const CORRIDOR_LIMIT = 300;
const NEVER_VISITED_DAYS = 365;

const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });

const numberField = (fields: Record<string, unknown>, ...keys: string[]): number | null => {
  for (const k of keys) {
    const v = fields[k];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(n)) return n;
  }
  return null;
};
const dateField = (fields: Record<string, unknown>, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = fields[k];
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  }
  return null;
};
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const euros = (n: number): string => `${Math.round(n).toLocaleString('en-GB')} €`;

/**
 * What an account is worth a visit on `date`, 0–115 points, with the reasons: its value (potential or
 * revenue in the custom fields `potentialEur`/`potential`, `revenueEur`/`revenue`: up to 40 points,
 * square root up to 100,000 €), a `score` custom field 0–100 (up to 20), the days since the last visit
 * (up to 25 at 180 days or never), preventive maintenance due (`nextMaintenance`: 30 points when due
 * within 30 days or overdue, 15 within 60).
 */
export const worthOf = (a: Pick<AccountRecord, 'kind' | 'customFields' | 'lastVisitAt'>, date: string): { worth: number; reasons: string[] } => {
  const reasons: string[] = [];
  let worth = 0;
  const potential = numberField(a.customFields, 'potentialEur', 'potential');
  const revenue = numberField(a.customFields, 'revenueEur', 'revenue');
  const value = Math.max(potential ?? 0, revenue ?? 0);
  if (value > 0) {
    worth += 40 * Math.min(1, Math.sqrt(value / 100_000));
    reasons.push(revenue !== null && revenue >= (potential ?? 0) ? `Revenue ${euros(revenue)}` : `Potential ${euros(potential ?? 0)}`);
  }
  const score = numberField(a.customFields, 'score');
  if (score !== null && score > 0) {
    worth += 20 * Math.min(1, score / 100);
    reasons.push(`Score ${Math.round(score)}`);
  }
  const since = a.lastVisitAt === null ? null : Math.max(0, daysBetween(a.lastVisitAt.toISOString().slice(0, 10), date));
  worth += 25 * Math.min(1, (since ?? NEVER_VISITED_DAYS) / 180);
  reasons.push(since === null ? 'Never visited' : `Last visit ${since} days ago`);
  const due = dateField(a.customFields, 'nextMaintenance', 'maintenanceDue');
  if (due !== null) {
    const inDays = daysBetween(date, due);
    if (inDays <= 60) {
      worth += inDays <= 30 ? 30 : 15;
      reasons.push(inDays < 0 ? `Maintenance overdue since ${due}` : `Maintenance due ${due}`);
    }
  }
  return { worth: Math.round(worth * 10) / 10, reasons };
};

interface Day {
  readonly userId: string;
  readonly tourId: string | null;
  readonly body: TourDaysBody;
  readonly dayIndex: number;
  readonly date: string;
  readonly rows: readonly PlanningVisitRecord[];
}

interface Timing {
  readonly profile: RepProfileRecord;
  readonly points: Points;
  readonly ctx: ScheduleContext;
  readonly days: DayInput[];
  readonly baseline: DayTimeline[];
}

/**
 * Opportunities on the way (F-TOUR-3): the accounts in a corridor of a planned day's route that fit
 * the day's slack, ranked by worth per detour minute; and inserting one (a visit created, the day
 * re-timed, a saved tour rewritten) all or nothing.
 */
export class OpportunitiesService {
  readonly #tours: ToursRepository;
  readonly #accounts: AccountsRepository;
  readonly #slots: SlotsRepository;
  readonly #visits: VisitsService;
  readonly #toursService: ToursService;
  readonly #transaction: Transactor;
  readonly #matrix: MatrixProvider;
  readonly #defaultVisitType: string | undefined;
  readonly #now: () => Date;

  constructor(deps: OpportunitiesServiceDeps) {
    this.#tours = deps.tours;
    this.#accounts = deps.accounts;
    this.#slots = deps.slots;
    this.#visits = deps.visits;
    this.#toursService = deps.toursService;
    this.#transaction = deps.transaction;
    this.#matrix = deps.matrix ?? createEstimatedMatrixProvider();
    this.#defaultVisitType = deps.defaultVisitType;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The day asked for: an unsaved plan and a day index, or a saved tour and a date. */
  async #day(actor: Actor, body: Pick<OpportunitiesBody, 'plan' | 'dayIndex' | 'tourId' | 'date'>, timeZone: string): Promise<Day> {
    let userId: string;
    let plan: TourDaysBody;
    let dayIndex: number;
    let tourId: string | null = null;
    if (body.plan !== undefined) {
      if (body.tourId !== undefined) throw invalid('Give either plan (with dayIndex) or tourId (with date), not both', 'tourId');
      plan = body.plan;
      userId = plan.userId;
      dayIndex = body.dayIndex ?? 0;
      if (dayIndex >= plan.days.length) throw invalid(`dayIndex ${dayIndex} is past the plan's ${plan.days.length} day(s)`, 'dayIndex');
    } else if (body.tourId !== undefined) {
      if (body.date === undefined) throw invalid('date is needed with tourId: which day of the tour', 'date');
      const [order] = await this.#slots.tourOrders(actor.orgId, { from: body.date, to: body.date, tourIds: [body.tourId] });
      if (!order) {
        if (await this.#tours.getTour(actor.orgId, body.tourId)) throw invalid(`The tour has no planned day on ${body.date}`, 'date');
        throw new AppError('NOT_FOUND', 'Tour not found', { details: { field: 'tourId' } });
      }
      tourId = order.tourId;
      userId = order.userId;
      plan = { userId, days: order.days.map((d) => ({ date: d.date, visitIds: [...d.visitIds], night: d.night })) };
      dayIndex = plan.days.findIndex((d) => d.date === body.date);
      if (dayIndex < 0) throw invalid(`The tour has no day on ${body.date}`, 'date');
    } else {
      throw invalid('Give the day to fill: plan (with dayIndex) or tourId (with date)', 'plan');
    }
    assertMayPlan(actor, userId);
    const date = plan.days[dayIndex]?.date ?? '';
    const today = todayIn(timeZone, this.#now());
    if (date < today) throw invalid(`${date} is in the past (today is ${today})`, 'date');
    for (let i = 1; i < plan.days.length; i++) {
      if ((plan.days[i]?.date ?? '') <= (plan.days[i - 1]?.date ?? '')) throw invalid('days must be in date order, each date once', `days[${i}].date`);
    }
    const ids = plan.days.flatMap((d) => d.visitIds);
    const rows = ids.length ? await this.#tours.planningVisits(actor.orgId, { ids }) : [];
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new AppError('NOT_FOUND', `Visit(s) not found: ${missing.join(', ')}`, { details: { visitIds: missing } });
    return { userId, tourId, body: plan, dayIndex, date, rows };
  }

  async #visitType(orgId: string, id: string | undefined): Promise<VisitTypeRecord> {
    if (id !== undefined) {
      const type = await this.#tours.getVisitType(orgId, id);
      if (!type) throw new AppError('NOT_FOUND', 'Visit type not found', { details: { field: 'visitTypeId' } });
      return type;
    }
    const types = await this.#tours.listVisitTypes(orgId);
    const named = this.#defaultVisitType === undefined ? undefined : types.find((t) => t.name.toLowerCase() === this.#defaultVisitType?.toLowerCase());
    const fallback = [...types].filter((t) => t.requiredSkills.length === 0).sort((a, b) => a.durationMinutes - b.durationMinutes)[0];
    const type = named ?? fallback;
    if (!type) throw invalid('The organisation has no visit type without required skills: create one, or give visitTypeId', 'visitTypeId');
    return type;
  }

  async #profile(orgId: string, userId: string): Promise<RepProfileRecord> {
    const profile = await this.#tours.getProfile(orgId, userId);
    if (!profile) throw new AppError('NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    if (!baseOf(profile)) throw invalid(`${profile.userName} has no home location: set it in the rep profile`, 'userId');
    return profile;
  }

  async #timing(profile: RepProfileRecord, timeZone: string, day: Day, extra: readonly LngLatRecord[]): Promise<Timing & { extraLocs: number[] }> {
    const base = baseOf(profile);
    if (!base) throw new Error('rep without a base');
    const points = new Points(base.place);
    const byId = new Map(day.rows.map((r) => [r.id, scheduleVisitOf(r, points)]));
    const days: DayInput[] = day.body.days.map((d) => ({ date: d.date, night: d.night ?? 'home', visits: d.visitIds.flatMap((id) => byId.get(id) ?? []) }));
    const extraLocs = extra.map((p) => points.add(p));
    const ctx = await contextOf(this.#matrix, profile, timeZone, points);
    return { profile, points, ctx, days, baseline: scheduleDays(ctx, days), extraLocs };
  }

  /** The day's route as a line: from where it starts (base or last night's hotel), by each stop, to where it ends. */
  #route(day: Day, base: LngLatRecord): number[][] {
    const loc = (id: string) => day.rows.find((r) => r.id === id)?.accountLocation ?? null;
    const prev = day.body.days[day.dayIndex - 1];
    const hotel = prev && prev.night === 'hotel' ? [...prev.visitIds].reverse().map(loc).find((p) => p !== null) : undefined;
    const current = day.body.days[day.dayIndex];
    const isLast = day.dayIndex === day.body.days.length - 1;
    const points = [hotel ?? base, ...(current?.visitIds ?? []).map(loc).filter((p): p is LngLatRecord => p !== null)];
    if (current?.night !== 'hotel' || isLast) points.push(base);
    const coords = points.map((p) => [p.lng, p.lat]);
    const distinct = new Set(coords.map((c) => c.join(',')));
    // a day with no stop: a short line at the base, the corridor is then a disc around it
    if (distinct.size < 2) coords.push([(coords[0]?.[0] ?? 0) + 1e-5, coords[0]?.[1] ?? 0]);
    return coords;
  }

  async list(actor: Actor, body: OpportunitiesBody): Promise<OpportunitiesResponse> {
    const started = performance.now();
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const day = await this.#day(actor, body, timeZone);
    const profile = await this.#profile(actor.orgId, day.userId);
    const type = await this.#visitType(actor.orgId, body.visitTypeId);
    const missing = type.requiredSkills.filter((s) => !profile.skills.includes(s));
    if (missing.length) throw invalid(`${profile.userName} lacks the skill(s) ${missing.join(', ')} that a ${type.name} needs`, 'visitTypeId');
    const widthKm = body.widthKm ?? DEFAULT_WIDTH_KM;
    const base = baseOf(profile);
    if (!base) throw new Error('rep without a base');
    const line = JSON.stringify({ type: 'LineString', coordinates: this.#route(day, base.place) });
    const onPlan = new Set(day.rows.map((r) => r.accountId));
    const found = await this.#accounts.alongLine(actor.orgId, { kinds: KINDS, statuses: STATUSES }, line, widthKm * 1000, CORRIDOR_LIMIT, 0);
    const corridor = found.items.filter((a) => !onPlan.has(a.id) && a.location !== null);
    const t = await this.#timing(profile, timeZone, day, corridor.map((a) => a.location ?? { lng: 0, lat: 0 }));
    const timed = t.baseline[day.dayIndex];
    if (!timed) throw new Error('day not timed');

    const items: Opportunity[] = [];
    let notFitting = 0;
    corridor.forEach((account, i) => {
      const loc = t.extraLocs[i] ?? 0;
      const visit = this.#candidateVisit(account, type, day.date, loc);
      const fit = this.#cheapestFit(t, day.dayIndex, timed, visit);
      if (!fit) {
        notFitting++;
        return;
      }
      const { worth, reasons } = worthOf(account, day.date);
      const detourMinutes = Math.round(fit.timed.extraDriveSeconds / 6) / 10;
      const detourKm = Math.round(fit.timed.extraMetres / 100) / 10;
      const newDay = fit.timed.timeline[day.dayIndex - fit.timed.chainStart];
      const dayLongerMinutes = newDay ? Math.round((newDay.arrival - newDay.departure - (timed.arrival - timed.departure)) / 60) : 0;
      const location = account.location ?? { lng: 0, lat: 0 };
      items.push({
        accountId: account.id,
        accountName: account.name,
        kind: account.kind,
        city: account.address.city,
        location,
        position: fit.position,
        afterVisitId: fit.position === 0 ? null : (day.body.days[day.dayIndex]?.visitIds[fit.position - 1] ?? null),
        start: isoOf(fit.timed.stop.start),
        end: isoOf(fit.timed.stop.end),
        detourKm,
        detourMinutes,
        dayLongerMinutes,
        worth,
        worthPerDetourMinute: Math.round((worth / Math.max(1, detourMinutes)) * 100) / 100,
        distanceFromRouteKm: Math.round(account.distanceMeters / 100) / 10,
        reasons: [...reasons, `Detour +${detourMinutes} min, +${detourKm} km; the day ends ${dayLongerMinutes} min later`],
      });
    });
    items.sort((a, b) => b.worthPerDetourMinute - a.worthPerDetourMinute || b.worth - a.worth || a.detourMinutes - b.detourMinutes);
    return {
      userId: day.userId,
      date: day.date,
      timeZone,
      widthKm,
      visitType: { id: type.id, name: type.name, durationMinutes: type.durationMinutes },
      items: items.slice(0, body.limit ?? 20),
      inCorridor: corridor.length,
      notFitting,
      computingMs: Math.round(performance.now() - started),
    };
  }

  #candidateVisit(account: Pick<AccountRecord, 'id' | 'name' | 'openingHours'>, type: VisitTypeRecord, date: string, loc: number, id = `opportunity:${account.id}`): ScheduleVisit {
    return {
      id,
      accountId: account.id,
      accountName: account.name,
      visitTypeName: type.name,
      requiredSkills: type.requiredSkills,
      priority: type.defaultPriority,
      loc,
      appointmentAt: null,
      windowFrom: date,
      windowTo: date,
      timeFrom: null,
      timeTo: null,
      openingHours: account.openingHours,
      serviceSeconds: type.durationMinutes * 60,
    };
  }

  /** The cheapest position (by extra driving) whose re-timed days break nothing new. */
  #cheapestFit(t: Timing, dayIndex: number, timed: DayTimeline, visit: ScheduleVisit, only?: number): { position: number; timed: Timed } | null {
    if (visit.loc === undefined) return null;
    const positions = positionsByDetour(t.ctx, timed, dayIndex, visit.loc, visit.serviceSeconds).filter((p) => only === undefined || p.position === only);
    for (const p of positions) {
      const result = timeInsertion(t.ctx, t.days, t.baseline, dayIndex, p.position, visit);
      if (result.broken.length === 0) return { position: p.position, timed: result };
    }
    return null;
  }

  /**
   * Inserts an opportunity: creates the visit (the day's date, assigned to the rep) at the given or
   * cheapest position, refused when the re-timed day would break anything; a saved tour is rewritten
   * in the same transaction. Answers the re-timed plan, as /tours/evaluate does.
   */
  async insert(actor: Actor, body: InsertOpportunityBody): Promise<TourPlan> {
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const day = await this.#day(actor, body, timeZone);
    const profile = await this.#profile(actor.orgId, day.userId);
    const type = await this.#visitType(actor.orgId, body.visitTypeId);
    const account = await this.#accounts.get(actor.orgId, body.accountId);
    if (!account) throw new AppError('NOT_FOUND', 'Account not found', { details: { field: 'accountId' } });
    if (!account.location) throw invalid(`Account "${account.name}" has no location: place it on the map first`, 'accountId');
    if (day.rows.some((r) => r.accountId === account.id)) throw new AppError('CONFLICT', `"${account.name}" is already on this tour`, { details: { field: 'accountId' } });
    const missing = type.requiredSkills.filter((s) => !profile.skills.includes(s));
    if (missing.length) throw invalid(`${profile.userName} lacks the skill(s) ${missing.join(', ')} that a ${type.name} needs`, 'visitTypeId');
    const stops = day.body.days[day.dayIndex]?.visitIds.length ?? 0;
    if (body.position !== undefined && body.position > stops) throw invalid(`position ${body.position} is past the day's ${stops} stop(s)`, 'position');

    const t = await this.#timing(profile, timeZone, day, [account.location]);
    const timed = t.baseline[day.dayIndex];
    const loc = t.extraLocs[0];
    if (!timed || loc === undefined) throw new Error('day not timed');
    const probe = this.#candidateVisit(account, type, day.date, loc);
    const fit = this.#cheapestFit(t, day.dayIndex, timed, probe, body.position);
    if (!fit) {
      const at = body.position ?? 0;
      const why = timeInsertion(t.ctx, t.days, t.baseline, day.dayIndex, at, probe).broken.map((f) => f.message);
      throw new AppError('INFEASIBLE', `"${account.name}" does not fit in the day of ${day.date}${body.position === undefined ? '' : ` at position ${body.position}`}: ${why.length ? why.join('; ') : 'over the working hours or the daily driving'}`, {
        details: { field: 'accountId' },
      });
    }
    const newBody: TourDaysBody = await this.#transaction(async (repos) => {
      const visitId = await repos.tours.insertVisit(actor.orgId, {
        accountId: account.id,
        visitTypeId: type.id,
        assignedUserId: day.userId,
        appointmentAt: null,
        windowFrom: day.date,
        windowTo: day.date,
        timeFrom: null,
        timeTo: null,
        priority: type.defaultPriority,
        notes: body.notes ?? '',
        createdBy: actor.userId,
      });
      const plan: TourDaysBody = {
        userId: day.userId,
        days: day.body.days.map((d, i) => (i === day.dayIndex ? { ...d, visitIds: [...d.visitIds.slice(0, fit.position), visitId, ...d.visitIds.slice(fit.position)] } : d)),
      };
      if (day.tourId !== null) {
        // re-read under lock (the rep's booking lock, then the tour row): a tour changed since it was read is refused rather than overwritten
        await repos.tours.lockForBooking(actor.orgId, [day.userId], [visitId]);
        const [current] = await repos.slots.tourOrders(actor.orgId, { from: day.date, to: day.date, tourIds: [day.tourId], forUpdate: true });
        const same = current && JSON.stringify(current.days.map((d) => d.visitIds)) === JSON.stringify(day.body.days.map((d) => d.visitIds));
        if (!same) throw new AppError('CONFLICT', 'The tour changed meanwhile: reload it and ask for the opportunities again');
        const visit = this.#candidateVisit(account, type, day.date, loc, visitId);
        const timeline = scheduleDays(t.ctx, withVisit(t.days, day.dayIndex, fit.position, visit));
        await repos.slots.rewriteTour(actor.orgId, day.tourId, totalsOf(profile, timeline), tourDaysOf(timeline, t.points.list));
      }
      return plan;
    });
    return this.#toursService.evaluate(actor, newBody);
  }
}


