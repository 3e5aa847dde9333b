import { AppError } from '@geocrm/domain';
import { createEstimatedMatrixProvider, type MatrixProvider } from '@geocrm/geo';
import type { PlanningVisitRecord, RepProfileRecord, SlotsRepository, TourOrderRecord, ToursRepository, Transactor, VisitTypeRecord } from '@geocrm/db';
import type { BookSlotBody, BookSlotResponse, Slot, SlotMove, SlotsBody, SlotsResponse } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { assertMayPlan, canPlanOthers } from './access.ts';
import { baseOf, contextOf, detourCents, isoOf, Points, positionsByDetour, scheduleVisitOf, timeInsertion, totalsOf, tourDaysOf, type Timed } from './insertion.ts';
import { scheduleDays, type DayInput, type DayTimeline, type ScheduleContext, type ScheduleVisit } from './schedule.ts';
import { addDays, describeOpening, isoWeekday, localOf, openAt, openingMinutes, todayIn } from './time.ts';
import { isBookingConflict, type ToursService } from './tours.service.ts';
import type { VisitsService } from './visits.service.ts';

export interface SlotsServiceDeps {
  readonly tours: ToursRepository;
  readonly slots: SlotsRepository;
  readonly visits: VisitsService;
  readonly toursService: ToursService;
  readonly transaction: Transactor;
  readonly matrix?: MatrixProvider;
  readonly now?: () => Date;
}

/** Ranking penalty (cents) for a rep who is not the account's owner: the customer knows their rep. */
export const NOT_OWNER_PENALTY_CENTS = 1_000;
/** Ranking penalty (cents) per minute another visit is shifted: the other customers' times are disturbed. */
export const SHIFT_PENALTY_CENTS_PER_MINUTE = 5;
const MAX_RANGE_DAYS = 31;
const NEW_ID = '00000000-0000-4000-8000-000000000000';

/** What the shifts of the other stops cost in the ranking (≥ 0: the drive-cost estimate stays a lower bound). */
const shiftPenalty = (baseline: readonly DayTimeline[], timed: Timed): number => {
  const before = new Map(baseline.flatMap((d) => d.stops.map((s) => [s.visit.id, s.start] as const)));
  let minutes = 0;
  for (const d of timed.timeline) for (const s of d.stops) minutes += Math.abs(s.start - (before.get(s.visit.id) ?? s.start)) / 60;
  return Math.round(minutes * SHIFT_PENALTY_CENTS_PER_MINUTE);
};

const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });

interface Account {
  readonly id: string;
  readonly name: string;
  readonly location: { lng: number; lat: number };
  readonly ownerId: string | null;
  readonly openingHours: PlanningVisitRecord['openingHours'];
}

/** One rep's days in the searched range: saved tours and free working days, timed once. */
interface RepWeek {
  readonly profile: RepProfileRecord;
  readonly points: Points;
  readonly ctx: ScheduleContext;
  readonly target: number;
  readonly blocks: { tourId: string | null; days: DayInput[]; baseline: DayTimeline[] }[];
}

interface Candidate {
  readonly rep: RepWeek;
  readonly block: RepWeek['blocks'][number];
  readonly dayIndex: number;
  readonly position: number;
  /** Ranking penalty (not the owner). */
  readonly penalty: number;
  /** Exact extra driving cost of the order + penalty (the timing only decides feasibility). */
  readonly estimate: number;
}

/**
 * The appointment assistant (F-TOUR-4): the best slots for one account across saved tours and free
 * working days, and booking one (a fixed appointment; the saved tour re-timed) in one transaction.
 */
export class SlotsService {
  readonly #tours: ToursRepository;
  readonly #slots: SlotsRepository;
  readonly #visits: VisitsService;
  readonly #toursService: ToursService;
  readonly #transaction: Transactor;
  readonly #matrix: MatrixProvider;
  readonly #now: () => Date;

  constructor(deps: SlotsServiceDeps) {
    this.#tours = deps.tours;
    this.#slots = deps.slots;
    this.#visits = deps.visits;
    this.#toursService = deps.toursService;
    this.#transaction = deps.transaction;
    this.#matrix = deps.matrix ?? createEstimatedMatrixProvider();
    this.#now = deps.now ?? (() => new Date());
  }

  async #account(tours: ToursRepository, orgId: string, accountId: string): Promise<Account> {
    const place = await tours.accountPlace(orgId, accountId);
    if (!place) throw new AppError('NOT_FOUND', 'Account not found', { details: { field: 'accountId' } });
    if (!place.location) throw invalid(`Account "${place.name}" has no location: place it on the map before booking an appointment there`, 'accountId');
    const owner = await this.#slots.accountOwner(orgId, accountId);
    return { id: accountId, name: place.name, location: place.location, ownerId: owner, openingHours: place.openingHours };
  }

  async #visitType(orgId: string, id: string): Promise<VisitTypeRecord> {
    const type = await this.#tours.getVisitType(orgId, id);
    if (!type) throw new AppError('NOT_FOUND', 'Visit type not found', { details: { field: 'visitTypeId' } });
    return type;
  }

  /** Why a rep cannot take the visit at all, or null. */
  #unfit(profile: RepProfileRecord, type: VisitTypeRecord): string | null {
    if (!baseOf(profile)) return `${profile.userName} has no home location: set it in the rep profile`;
    const missing = type.requiredSkills.filter((s) => !profile.skills.includes(s));
    if (missing.length) return `${profile.userName} lacks the skill(s) ${missing.join(', ')} that a ${type.name} needs`;
    return null;
  }

  #newVisit(account: Account, type: VisitTypeRecord, loc: number, at: { date: string } | { appointmentAt: Date }, id = NEW_ID): ScheduleVisit {
    return {
      id,
      accountId: account.id,
      accountName: account.name,
      visitTypeName: type.name,
      requiredSkills: type.requiredSkills,
      priority: type.defaultPriority,
      loc,
      appointmentAt: 'appointmentAt' in at ? at.appointmentAt : null,
      windowFrom: 'date' in at ? at.date : null,
      windowTo: 'date' in at ? at.date : null,
      timeFrom: null,
      timeTo: null,
      openingHours: account.openingHours,
      serviceSeconds: type.durationMinutes * 60,
    };
  }

  /** A rep's saved tours meeting the range (whole tours: hotel nights link days) and free working days. */
  async #repWeek(profile: RepProfileRecord, timeZone: string, account: Account, orders: readonly TourOrderRecord[], visits: ReadonlyMap<string, PlanningVisitRecord>, dates: readonly string[]): Promise<RepWeek> {
    const base = baseOf(profile);
    if (!base) throw new Error('rep without a base');
    const points = new Points(base.place);
    const tours = orders.map((o) => {
      const days = o.days.map((d): DayInput => ({
        date: d.date,
        night: d.night,
        visits: d.visitIds.flatMap((id) => {
          const v = visits.get(id);
          return v ? [scheduleVisitOf(v, points)] : [];
        }),
      }));
      // a working date inside the tour's dates without a day of its own: an empty day of that tour (one tour per rep and date)
      for (let d = o.dateFrom; d <= o.dateTo; d = addDays(d, 1)) {
        if (!days.some((x) => x.date === d) && profile.workingHours[String(isoWeekday(d))] !== undefined) days.push({ date: d, night: 'home', visits: [] });
      }
      days.sort((a, b) => (a.date < b.date ? -1 : 1));
      return { tourId: o.tourId, days };
    });
    const target = points.add(account.location);
    const ctx = await contextOf(this.#matrix, profile, timeZone, points);
    const covered = new Set(tours.flatMap((t) => t.days.map((d) => d.date)));
    const free = dates.filter((d) => !covered.has(d) && profile.workingHours[String(isoWeekday(d))] !== undefined);
    const blocks = [...tours, ...free.map((date) => ({ tourId: null, days: [{ date, night: 'home' as const, visits: [] }] }))].map((b) => ({ ...b, baseline: scheduleDays(ctx, b.days) }));
    return { profile, points, ctx, target, blocks };
  }

  #validateRange(body: { from: string; to: string }, today: string): void {
    if (body.from < today) throw invalid(`from ${body.from} is in the past (today is ${today})`, 'from');
    if (body.to < body.from) throw invalid(`to ${body.to} is before from ${body.from}`, 'to');
    if (addDays(body.from, MAX_RANGE_DAYS - 1) < body.to) throw invalid(`The range ${body.from} – ${body.to} is over ${MAX_RANGE_DAYS} days: narrow it`, 'to');
  }

  async propose(actor: Actor, body: SlotsBody): Promise<SlotsResponse> {
    const started = performance.now();
    const count = body.count ?? 5;
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const now = this.#now();
    const today = todayIn(timeZone, now);
    this.#validateRange(body, today);
    const userId = body.userId ?? (canPlanOthers(actor.role) ? undefined : actor.userId);
    if (userId !== undefined) assertMayPlan(actor, userId);
    const account = await this.#account(this.#tours, actor.orgId, body.accountId);
    const type = await this.#visitType(actor.orgId, body.visitTypeId);
    const dates: string[] = [];
    for (let d = body.from; d <= body.to; d = addDays(d, 1)) dates.push(d);

    const users = userId === undefined ? await this.#slots.fieldUsers(actor.orgId) : [{ id: userId }];
    const skipped: SlotsResponse['skipped'] = [];
    const profiles: RepProfileRecord[] = [];
    for (const u of users) {
      const profile = await this.#tours.getProfile(actor.orgId, u.id);
      if (!profile) throw new AppError('NOT_FOUND', 'User not found', { details: { field: 'userId' } });
      const why = this.#unfit(profile, type);
      if (why !== null && userId !== undefined) throw invalid(why, 'userId');
      if (why !== null) skipped.push({ userId: profile.userId, userName: profile.userName, reason: why });
      else profiles.push(profile);
    }
    if (dates.every((d) => openingMinutes(account.openingHours, d).length === 0)) {
      throw invalid(`"${account.name}" is closed on every day from ${body.from} to ${body.to}`, 'from');
    }

    const orders = await this.#slots.tourOrders(actor.orgId, { from: body.from, to: body.to, userIds: profiles.map((p) => p.userId) });
    const visitIds = orders.flatMap((o) => o.days.flatMap((d) => d.visitIds));
    const visits = new Map((visitIds.length ? await this.#tours.planningVisits(actor.orgId, { ids: visitIds }) : []).map((v) => [v.id, v]));
    const weeks = await Promise.all(profiles.map((p) => this.#repWeek(p, timeZone, account, orders.filter((o) => o.userId === p.userId), visits, dates)));

    // every position of every day in the range, by its exact extra driving cost (+ owner penalty)
    const candidates: Candidate[] = [];
    let daysSearched = 0;
    for (const rep of weeks) {
      const penalty = account.ownerId !== null && account.ownerId !== rep.profile.userId ? NOT_OWNER_PENALTY_CENTS : 0;
      for (const block of rep.blocks) {
        block.days.forEach((day, dayIndex) => {
          const timed = block.baseline[dayIndex];
          if (!timed || day.date < body.from || day.date > body.to || !timed.working) return;
          daysSearched++;
          for (const ins of positionsByDetour(rep.ctx, timed, dayIndex, rep.target, type.durationMinutes * 60)) {
            candidates.push({ rep, block, dayIndex, position: ins.position, penalty, estimate: detourCents(rep.profile, ins.driveSeconds, ins.metres) + penalty });
          }
        });
      }
    }
    candidates.sort((a, b) => a.estimate - b.estimate);

    // time them cheapest first; one slot per rep and day; stop when no cheaper one can come
    const accepted: { c: Candidate; timed: Timed; cost: number }[] = [];
    const taken = new Set<string>();
    const nowSeconds = now.getTime() / 1000;
    for (const c of candidates) {
      const key = `${c.rep.profile.userId}|${c.block.days[c.dayIndex]?.date ?? ''}`;
      if (taken.has(key)) continue;
      if (accepted.length >= count) {
        const worst = Math.max(...accepted.map((a) => a.cost));
        if (c.estimate >= worst) break;
      }
      const timed = this.#tryAt(c, account, type, nowSeconds);
      if (!timed) continue;
      taken.add(key);
      const cost = detourCents(c.rep.profile, timed.extraDriveSeconds, timed.extraMetres) + c.penalty + shiftPenalty(c.block.baseline, timed);
      accepted.push({ c, timed, cost });
      accepted.sort((a, b) => a.cost - b.cost);
      if (accepted.length > count) accepted.pop();
    }
    return {
      timeZone,
      account: { id: account.id, name: account.name, location: account.location, ownerId: account.ownerId },
      visitType: { id: type.id, name: type.name, durationMinutes: type.durationMinutes },
      items: accepted.map((a) => this.#slotDto(a.c, a.timed, a.cost, account, timeZone)),
      skipped,
      daysSearched,
      computingMs: Math.round(performance.now() - started),
    };
  }

  /** Times the insertion with an open window on the day, then again as an appointment at the start found. */
  #tryAt(c: Candidate, account: Account, type: VisitTypeRecord, nowSeconds: number): Timed | null {
    const day = c.block.days[c.dayIndex];
    if (!day) return null;
    const open = timeInsertion(c.rep.ctx, c.block.days, c.block.baseline, c.dayIndex, c.position, this.#newVisit(account, type, c.rep.target, { date: day.date }));
    if (open.broken.length || open.stop.start <= nowSeconds) return null;
    const fixed = timeInsertion(c.rep.ctx, c.block.days, c.block.baseline, c.dayIndex, c.position, this.#newVisit(account, type, c.rep.target, { appointmentAt: new Date(open.stop.start * 1000) }));
    if (fixed.broken.length || fixed.stop.start !== open.stop.start) return null;
    return fixed;
  }

  #slotDto(c: Candidate, timed: Timed, cost: number, account: Account, timeZone: string): Slot {
    const date = c.block.days[c.dayIndex]?.date ?? '';
    const before = new Map(c.block.baseline.flatMap((d) => d.stops.map((s) => [s.visit.id, s] as const)));
    const moves: SlotMove[] = [];
    for (const d of timed.timeline) {
      for (const s of d.stops) {
        const was = before.get(s.visit.id);
        if (!was || Math.abs(s.start - was.start) < 60) continue;
        moves.push({ visitId: s.visit.id, accountName: s.visit.accountName, appointment: s.visit.appointmentAt !== null, fromStart: isoOf(was.start), toStart: isoOf(s.start), shiftMinutes: Math.round((s.start - was.start) / 60) });
      }
    }
    const day = timed.timeline[c.dayIndex - timed.chainStart];
    const place = (loc: number | undefined) => (loc === undefined ? null : (c.rep.points.list[loc] ?? null));
    const extraKm = Math.round(timed.extraMetres / 100) / 10;
    const extraMinutes = Math.round(timed.extraDriveSeconds / 60);
    const ownerFit = account.ownerId === c.rep.profile.userId;
    const start = localOf(timed.stop.start, timeZone);
    const reasons = [
      c.block.tourId === null ? `Free day: a new tour from ${c.rep.profile.userName}'s base` : `On ${c.rep.profile.userName}'s saved tour, stop ${c.position + 1}`,
      `+${extraKm} km, +${extraMinutes} min driving`,
      moves.length === 0 ? 'Nothing else moves' : `${moves.length} visit(s) shift (none late, none outside their hours)`,
      ...(ownerFit ? [`${c.rep.profile.userName} owns this account`] : account.ownerId === null ? [] : ['Not the account owner']),
      `Starts ${start.time}, ${describeOpening(account.openingHours, date)}`,
    ];
    return {
      userId: c.rep.profile.userId,
      userName: c.rep.profile.userName,
      date,
      start: isoOf(timed.stop.start),
      end: isoOf(timed.stop.end),
      tourId: c.block.tourId,
      position: c.position,
      extraKm,
      extraMinutes,
      extraCostCents: Math.max(0, detourCents(c.rep.profile, timed.extraDriveSeconds, timed.extraMetres)),
      rankCents: cost,
      currency: c.rep.profile.currency,
      ownerFit,
      moves,
      day: {
        base: c.rep.points.list[day?.startLoc ?? 0] ?? account.location,
        departure: isoOf(day?.departure ?? timed.stop.start),
        arrival: isoOf(day?.arrival ?? timed.stop.end),
        lunch: day?.lunch ? { start: isoOf(day.lunch.start), end: isoOf(day.lunch.end) } : null,
        stops: (day?.stops ?? []).flatMap((s) => {
          const loc = place(s.visit.loc);
          if (!loc) return [];
          const was = before.get(s.visit.id);
          return [{ visitId: s.visit.id === NEW_ID ? null : s.visit.id, accountName: s.visit.accountName, location: loc, start: isoOf(s.start), end: isoOf(s.end), isNew: s.visit.id === NEW_ID, shiftMinutes: was ? Math.round((s.start - was.start) / 60) : 0 }];
        }),
      },
      reasons,
    };
  }

  /**
   * Books an appointment: a fixed visit at `start`, inserted where it costs least into the rep's saved
   * tour of that day (or a new one-day tour), the tour re-timed. Everything is checked again inside the
   * transaction, the tour rows locked: a slot taken meanwhile is refused, nothing is half-saved.
   */
  async book(actor: Actor, body: BookSlotBody): Promise<BookSlotResponse> {
    assertMayPlan(actor, body.userId);
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const now = this.#now();
    const startAt = new Date(body.start);
    if (startAt.getTime() <= now.getTime()) throw invalid(`start ${body.start} is in the past`, 'start');
    const at = startAt.getTime() / 1000;
    const date = localOf(at, timeZone).date;
    const type = await this.#visitType(actor.orgId, body.visitTypeId);
    const account = await this.#account(this.#tours, actor.orgId, body.accountId);
    const profile = await this.#tours.getProfile(actor.orgId, body.userId);
    if (!profile) throw new AppError('NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    const why = this.#unfit(profile, type);
    if (why !== null) throw invalid(why, 'userId');
    if (!openAt(account.openingHours, at, type.durationMinutes * 60, timeZone)) {
      const local = localOf(at, timeZone);
      throw invalid(`${local.date} at ${local.time} is outside the opening hours of "${account.name}" (${describeOpening(account.openingHours, date)}) for a ${type.durationMinutes} min ${type.name}`, 'start');
    }
    if (profile.workingHours[String(isoWeekday(date))] === undefined) throw invalid(`${date} is not a working day of ${profile.userName}`, 'start');

    const { visitId, tourId } = await this.#transaction(async (repos) => {
      // one booking at a time per rep (the lock tour saves take too): a free day booked twice at once must not become two tours
      await repos.tours.lockForBooking(actor.orgId, [body.userId], []);
      const [order] = await repos.slots.tourOrders(actor.orgId, { from: date, to: date, userIds: [body.userId], forUpdate: true });
      const ids = order ? order.days.flatMap((d) => d.visitIds) : [];
      const visits = new Map((ids.length ? await repos.tours.planningVisits(actor.orgId, { ids }) : []).map((v) => [v.id, v]));
      const week = await this.#repWeek(profile, timeZone, account, order ? [order] : [], visits, [date]);
      const block = week.blocks[0];
      if (!block) throw new Error('no day to book into');
      const dayIndex = block.days.findIndex((d) => d.date === date);
      const baseline = block.baseline[dayIndex];
      if (!baseline) throw new Error('day not timed');
      const visitId = await repos.tours.insertVisit(actor.orgId, {
        accountId: account.id,
        visitTypeId: type.id,
        assignedUserId: body.userId,
        appointmentAt: startAt,
        windowFrom: null,
        windowTo: null,
        timeFrom: null,
        timeTo: null,
        priority: type.defaultPriority,
        notes: body.notes ?? '',
        createdBy: actor.userId,
      });
      const visit = this.#newVisit(account, type, week.target, { appointmentAt: startAt }, visitId);
      let best: { timed: Timed; position: number; cost: number } | undefined;
      let firstBroken: Timed | undefined;
      for (let position = 0; position <= baseline.stops.length; position++) {
        const timed = timeInsertion(week.ctx, block.days, block.baseline, dayIndex, position, visit);
        if (timed.broken.length) {
          firstBroken ??= timed;
          continue;
        }
        const cost = detourCents(profile, timed.extraDriveSeconds, timed.extraMetres);
        if (!best || cost < best.cost) best = { timed, position, cost };
      }
      if (!best) {
        const what = firstBroken?.broken.map((f) => f.message).join('; ') ?? 'no position fits';
        throw new AppError('INFEASIBLE', `This slot is no longer free for ${profile.userName} on ${date} at ${localOf(at, timeZone).time}: ${what}. Ask for new slots.`, {
          details: { flags: firstBroken?.broken ?? [] },
        });
      }
      const days = block.days.map((d, i) => (i === dayIndex ? { ...d, visits: [...d.visits.slice(0, best.position), visit, ...d.visits.slice(best.position)] } : d));
      const timeline = scheduleDays(week.ctx, days);
      const totals = totalsOf(profile, timeline);
      const tourDays = tourDaysOf(timeline, week.points.list);
      // empty days added for the search are not saved, except the one booked
      const kept = tourDays.filter((d) => d.stops.length > 0 || (order?.days.some((x) => x.date === d.date) ?? false));
      try {
        if (block.tourId !== null) {
          await repos.slots.rewriteTour(actor.orgId, block.tourId, totals, kept);
          return { visitId, tourId: block.tourId };
        }
        const tourId = await repos.tours.insertTour(actor.orgId, { userId: body.userId, dateFrom: date, dateTo: date, createdBy: actor.userId, totals, days: kept });
        return { visitId, tourId };
      } catch (e) {
        if (isBookingConflict(e)) throw new AppError('CONFLICT', `${profile.userName} was booked on ${date} by someone else at the same moment: ask for new slots`);
        throw e;
      }
    });
    return { visit: await this.#visits.getVisit(actor, visitId), tour: await this.#toursService.get(actor, tourId) };
  }
}

