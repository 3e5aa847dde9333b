import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { AppError, lngLat, type LngLat } from '@geocrm/domain';
import { createEstimatedMatrixProvider, toTravelMatrix, type MatrixProvider, type TravelMatrix } from '@geocrm/geo';
import { solveInWorker, type Job, type Problem, type Solution, type Vehicle } from '@geocrm/optimizer';
import type { LngLatRecord, PlanningJobRecord, PlanningJobsRepository, PlanningVisitRecord, RepProfileRecord, ToursRepository, Transactor } from '@geocrm/db';
import type { TeamPlanBody, TeamPlanJobDto, TeamPlanJobList, TeamPlanPhase, TeamPlanProgress, TeamPlanResult, TeamPlanSaved, TeamRepPlan, TourDaysBody } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { canPlanOthers } from './access.ts';
import { buildProblem, readSolution, type BuiltProblem, type Unplaced } from './planner.ts';
import { scheduleDays, type DayInput, type ScheduleContext, type ScheduleVisit } from './schedule.ts';
import { addDays, isoWeekday, todayIn } from './time.ts';
import { bookTours, scheduleVisitOf, tourPlanOf, type PlanFrame, type Solver, type ToursService } from './tours.service.ts';
import type { VisitsService } from './visits.service.ts';

/** A job whose runner has not written for this long is taken as interrupted (a restart, a crash). */
export const STALE_AFTER_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const INTERRUPTED = 'Interrupted: the server stopped while this plan was computed. Ask for the plan again.';

/** Distinct colours for up to 24 reps (then they repeat). */
const PALETTE = [
  '#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#469990', '#800000', '#808000', '#000075',
  '#bfef45', '#fabed4', '#dcbeff', '#aaffc3', '#ffd8b1', '#a9a9a9', '#ffe119', '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
];

export interface TeamPlanningDeps {
  readonly tours: ToursRepository;
  readonly jobs: PlanningJobsRepository;
  readonly visits: VisitsService;
  readonly toursService: ToursService;
  readonly transaction: Transactor;
  readonly matrix?: MatrixProvider;
  readonly solve?: Solver;
  /** Problems solved at once (worker threads). Default: min(2, cores). */
  readonly concurrency?: number;
  /** Default search budget of a plan (the request may ask another). */
  readonly timeLimitMs?: number;
  readonly now?: () => Date;
}

interface Rep {
  readonly id: string;
  readonly index: number;
  readonly profile: RepProfileRecord;
  readonly base: LngLatRecord;
  readonly baseKind: 'home' | 'office';
  readonly colour: string;
}

interface Candidate {
  readonly visit: PlanningVisitRecord;
  /** The rep whose territory / account it is (index into reps). */
  readonly home: number;
  /** May go to another rep (crossing allowed and not an appointment). */
  readonly free: boolean;
}

interface Unassigned {
  readonly visit: PlanningVisitRecord;
  readonly userId: string | null;
  readonly reason: string;
  readonly message: string;
}

interface Started {
  readonly id: string;
  readonly orgId: string;
  readonly actor: Actor;
  readonly body: TeamPlanBody;
  readonly reps: readonly Rep[];
  readonly dates: readonly string[];
  readonly timeZone: string;
  readonly timeLimitMs: number;
}

/** One optimisation problem: a rep alone (own territory) or the whole team (crossing allowed). */
interface Part {
  readonly reps: readonly Rep[];
  readonly built: BuiltProblem;
  /** Per rep of the part: the first vehicle index and how many. */
  readonly vehicles: readonly { readonly rep: Rep; readonly first: number; readonly count: number; readonly built: BuiltProblem }[];
  readonly points: readonly LngLatRecord[];
  readonly ctxOf: (rep: Rep) => ScheduleContext;
}

const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });
const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const metresBetween = (a: LngLatRecord, b: LngLatRecord): number => {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
};

const emptyProgress = (reps: number): TeamPlanProgress => ({
  phase: 'queued',
  percent: 0,
  reps,
  visits: 0,
  problemsDone: 0,
  problemsTotal: 0,
  visitsPlaced: null,
  bestCostCents: null,
  elapsedMs: 0,
  message: 'Waiting to start',
});

/**
 * Plans a team at once, off the request: `start` answers at once with a job (persisted in
 * `planning_jobs`), the job runs here (problems solved in worker threads) and stores its progress and
 * its result; `get` polls it, `cancel` stops it, `save` books every rep's tours in one transaction.
 * A job left running by a stopped server is marked failed (interrupted) at the next start, not resumed.
 */
export class TeamPlanningService {
  readonly #tours: ToursRepository;
  readonly #jobs: PlanningJobsRepository;
  readonly #visits: VisitsService;
  readonly #toursService: ToursService;
  readonly #transaction: Transactor;
  readonly #matrix: MatrixProvider;
  readonly #solve: Solver;
  readonly #concurrency: number;
  readonly #timeLimitMs: number;
  readonly #now: () => Date;
  readonly #runnerId = randomUUID();
  readonly #running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Worker threads free for solving, shared by every job of this process (two plans at once share them). */
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(deps: TeamPlanningDeps) {
    this.#tours = deps.tours;
    this.#jobs = deps.jobs;
    this.#visits = deps.visits;
    this.#toursService = deps.toursService;
    this.#transaction = deps.transaction;
    this.#matrix = deps.matrix ?? createEstimatedMatrixProvider();
    this.#solve = deps.solve ?? solveInWorker;
    this.#concurrency = Math.max(1, deps.concurrency ?? Math.min(2, availableParallelism()));
    this.#free = this.#concurrency;
    this.#timeLimitMs = deps.timeLimitMs ?? 40_000;
    this.#now = deps.now ?? (() => new Date());
  }

  /** At start: jobs left running by a stopped server are marked failed (interrupted). */
  async recover(): Promise<number> {
    return this.#jobs.failInterrupted(new Date(Date.now() - STALE_AFTER_MS), INTERRUPTED);
  }

  /** At shutdown: running jobs stop and are marked failed (interrupted). */
  async close(): Promise<void> {
    const running = [...this.#running.values()];
    for (const r of running) r.abort.abort(new Error('shutdown'));
    await Promise.allSettled(running.map((r) => r.done));
  }

  /** Waits for a job of this process to end (tests, the bench). */
  async settled(id: string): Promise<void> {
    await this.#running.get(id)?.done;
  }

  /** Solves in a worker thread once one of the process's solving slots is free. */
  async #solveInSlot(problem: Problem, options: Parameters<Solver>[1]): Promise<Solution> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await this.#solve(problem, options);
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }

  #assertPlanner(actor: Actor): void {
    if (!canPlanOthers(actor.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may only plan their own days: team plans are for managers, admins and back-office`);
  }

  async start(actor: Actor, body: TeamPlanBody): Promise<TeamPlanJobDto> {
    this.#assertPlanner(actor);
    if (body.days < 1 || body.days > 5) throw invalid(`days must be between 1 and 5 (got ${body.days})`, 'days');
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const today = todayIn(timeZone, this.#now());
    if (body.from < today) throw invalid(`${body.from} is in the past (today is ${today}): tours are planned from today on`, 'from');
    const dates = Array.from({ length: body.days }, (_, i) => addDays(body.from, i));
    const userIds = body.userIds ?? (await this.#jobs.fieldReps(actor.orgId)).map((u) => u.id);
    if (userIds.length === 0) throw invalid('The organisation has no active rep or technician to plan', 'userIds');
    const reps: Rep[] = [];
    const missing: string[] = [];
    const homeless: string[] = [];
    for (const id of userIds) {
      const profile = await this.#tours.getProfile(actor.orgId, id);
      if (!profile) {
        missing.push(id);
        continue;
      }
      const baseKind = profile.startAt === 'office' && profile.office ? 'office' : 'home';
      const base = baseKind === 'office' ? profile.office : profile.home;
      if (!base) {
        homeless.push(profile.userName);
        continue;
      }
      reps.push({ id, index: reps.length, profile, base: base.location, baseKind, colour: PALETTE[reps.length % PALETTE.length] ?? '#000000' });
    }
    if (missing.length) throw new AppError('NOT_FOUND', `User(s) not found: ${missing.join(', ')}`, { details: { field: 'userIds', userIds: missing } });
    if (homeless.length) throw invalid(`${homeless.join(', ')} ha${homeless.length > 1 ? 've' : 's'} no home location: set it in the rep profile before planning`, 'userIds');
    if (!reps.some((r) => dates.some((d) => r.profile.workingHours[String(isoWeekday(d))] !== undefined))) {
      throw invalid(`Nobody in this team works between ${body.from} and ${dates[dates.length - 1] ?? body.from}`, 'from');
    }
    const request: TeamPlanBody = { ...body, userIds: reps.map((r) => r.id), allowCrossTerritory: body.allowCrossTerritory ?? false };
    const progress = emptyProgress(reps.length);
    const id = await this.#jobs.insert(actor.orgId, { createdBy: actor.userId, request, runnerId: this.#runnerId, progress });
    const timeLimitMs = (body.timeLimitSeconds ?? 0) > 0 ? (body.timeLimitSeconds ?? 0) * 1000 : this.#timeLimitMs;
    const abort = new AbortController();
    const done = this.#run({ id, orgId: actor.orgId, actor, body: request, reps, dates, timeZone, timeLimitMs }, abort.signal).finally(() => this.#running.delete(id));
    this.#running.set(id, { abort, done });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<TeamPlanJobDto> {
    this.#assertPlanner(actor);
    let job = await this.#jobs.get(actor.orgId, id);
    if (!job) throw new AppError('NOT_FOUND', 'Team plan not found');
    // a running job nobody beats for anymore (its server stopped): interrupted
    if ((job.status === 'running' || job.status === 'queued') && !this.#running.has(id) && (job.heartbeatAt?.getTime() ?? 0) < Date.now() - STALE_AFTER_MS) {
      await this.#jobs.failInterrupted(new Date(Date.now() - STALE_AFTER_MS), INTERRUPTED, actor.orgId);
      job = (await this.#jobs.get(actor.orgId, id)) ?? job;
    }
    return toDto(job);
  }

  async list(actor: Actor): Promise<TeamPlanJobList> {
    this.#assertPlanner(actor);
    const rows = await this.#jobs.list(actor.orgId, 20);
    return {
      items: rows.map((j) => {
        const { result: _r, ...rest } = toDto(j);
        return rest;
      }),
    };
  }

  async cancel(actor: Actor, id: string): Promise<TeamPlanJobDto> {
    this.#assertPlanner(actor);
    const job = await this.#jobs.get(actor.orgId, id);
    if (!job) throw new AppError('NOT_FOUND', 'Team plan not found');
    if (!(await this.#jobs.cancel(actor.orgId, id))) throw new AppError('CONFLICT', `This team plan is already ${job.status}: nothing to cancel`);
    const running = this.#running.get(id);
    running?.abort.abort(new Error('cancelled'));
    await running?.done;
    return this.get(actor, id);
  }

  /** Saves every rep's tour of a finished plan in one transaction: all of them, or none. */
  async save(actor: Actor, id: string): Promise<TeamPlanSaved> {
    this.#assertPlanner(actor);
    const job = await this.#jobs.get(actor.orgId, id);
    if (!job) throw new AppError('NOT_FOUND', 'Team plan not found');
    if (job.status !== 'done') throw new AppError('CONFLICT', `This team plan is ${job.status}: only a finished plan can be saved`);
    if (job.savedAt !== null) throw new AppError('CONFLICT', `This team plan was already saved (${job.savedAt.toISOString()})`);
    const result = job.result as TeamPlanResult;
    const prepared: Awaited<ReturnType<ToursService['tourToSave']>>[] = [];
    for (const rep of result.reps) {
      const body = daysToSave(rep);
      if (!body) continue;
      // re-timed on today's data and checked like a single save (422 naming the rep and every broken constraint)
      prepared.push(await this.#toursService.tourToSave(actor, body, { reassign: result.allowCrossTerritory }));
    }
    if (prepared.length === 0) throw new AppError('VALIDATION', 'This team plan placed no visit: nothing to save');
    const names = new Map(prepared.map((p) => [p.tour.userId, p.repName]));
    const ids = await this.#transaction(async (repos) => {
      const locked = await repos.planningJobs.get(actor.orgId, id, { forUpdate: true });
      if (locked?.savedAt !== null) throw new AppError('CONFLICT', 'This team plan was saved meanwhile');
      const written = await bookTours(
        repos,
        actor.orgId,
        prepared.map((p) => p.tour),
        { visit: (v) => prepared.map((p) => p.visitName(v)).find((n) => n !== v) ?? v, rep: (u) => names.get(u) ?? u },
      );
      // a visit placed on another rep's tour (crossing, or no rep yet) now belongs to that rep
      for (const p of prepared) {
        const visitIds = p.tour.days.flatMap((d) => d.stops.map((s) => s.visitId));
        await repos.tours.reassignVisits(actor.orgId, visitIds, p.tour.userId);
      }
      await repos.planningJobs.markSaved(actor.orgId, id);
      return written;
    });
    const tours = await Promise.all(ids.map((t) => this.#toursService.get(actor, t)));
    return { tours: tours.map(({ days: _d, ...summary }) => summary) };
  }

  // ---- the job ----

  async #run(job: Started, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const progress: TeamPlanProgress = { ...emptyProgress(job.reps.length) };
    let writing = Promise.resolve(true);
    const report = (patch: Partial<TeamPlanProgress>): Promise<boolean> => {
      Object.assign(progress, patch, { elapsedMs: Math.round(performance.now() - t0) });
      const snapshot = { ...progress };
      writing = writing.then(() => this.#jobs.progress(job.id, this.#runnerId, snapshot)).catch(() => false);
      return writing;
    };
    const beat = setInterval(() => void report({}), HEARTBEAT_MS);
    try {
      const result = await this.#plan(job, signal, report, t0);
      clearInterval(beat);
      await writing;
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      const final = { ...progress, phase: 'done' as TeamPlanPhase, percent: 100, elapsedMs: Math.round(performance.now() - t0), message: 'Done' };
      await this.#jobs.finish(job.id, this.#runnerId, { status: 'done', result, progress: final });
    } catch (e) {
      clearInterval(beat);
      await writing;
      const shutdown = signal.aborted && signal.reason instanceof Error && signal.reason.message === 'shutdown';
      const message = shutdown ? INTERRUPTED : e instanceof AppError ? e.message : 'The plan failed: internal error';
      // a cancelled job is no longer running: finish() then changes nothing
      await this.#jobs.finish(job.id, this.#runnerId, { status: 'failed', error: message, progress: { ...progress, elapsedMs: Math.round(performance.now() - t0) } }).catch(() => false);
    }
  }

  async #plan(job: Started, signal: AbortSignal, report: (patch: Partial<TeamPlanProgress>) => Promise<boolean>, t0: number): Promise<TeamPlanResult> {
    const { orgId, body, reps, dates, timeZone } = job;
    const cross = body.allowCrossTerritory === true;
    const from = dates[0] ?? body.from;
    const to = dates[dates.length - 1] ?? body.from;
    await report({ phase: 'loading', percent: 2, message: 'Reading visits' });

    // ---- which visits, and whose ----
    const rows = body.visitIds
      ? await this.#tours.planningVisits(orgId, { ids: body.visitIds })
      : await this.#tours.planningVisits(orgId, { statuses: ['planned'], from, to, timeZone, limit: 50_000 });
    const unassigned: Unassigned[] = [];
    const repIndex = new Map(reps.map((r) => [r.id, r]));
    const taken = new Set((await this.#tours.plannedStops(orgId, rows.map((r) => r.id))).map((t) => t.visitId));
    const accountIds = [...new Set(rows.map((r) => r.accountId))];
    const owners = await this.#jobs.accountOwners(orgId, accountIds);
    // whose visit: its assigned rep, else the rep of the published territory it lies in, else its account's owner
    const territory = await this.#jobs.publishedTerritoryReps(orgId, accountIds);
    const explicit = body.visitIds !== undefined;
    const candidates: Candidate[] = [];
    let basis: 'assigned' | 'territory' | 'account_owner' = 'assigned';
    for (const v of rows) {
      if (v.status !== 'planned') {
        unassigned.push({ visit: v, userId: v.assignedUserId, reason: 'not_planned', message: `The visit is ${v.status}: only planned visits go on a tour` });
        continue;
      }
      if (taken.has(v.id)) {
        if (explicit) unassigned.push({ visit: v, userId: v.assignedUserId, reason: 'on_saved_tour', message: 'Already on a saved tour' });
        continue;
      }
      const appointment = v.appointmentAt !== null;
      if (!appointment && body.minPriority !== undefined && v.priority < body.minPriority) continue;
      if (body.visitTypeIds !== undefined && !body.visitTypeIds.includes(v.visitTypeId)) continue;
      const byTerritory = territory?.get(v.accountId);
      const ownerId = v.assignedUserId ?? byTerritory ?? owners.get(v.accountId) ?? null;
      if (v.assignedUserId === null && byTerritory !== undefined) basis = 'territory';
      else if (v.assignedUserId === null && ownerId !== null && basis !== 'territory') basis = 'account_owner';
      let home = ownerId === null ? undefined : repIndex.get(ownerId);
      if (ownerId !== null && home === undefined) {
        // another rep's visit: not this team's, unless asked for by id and free to cross
        if (!explicit) continue;
        if (!cross || appointment) {
          unassigned.push({ visit: v, userId: ownerId, reason: 'other_rep', message: appointment ? 'Booked with a rep who is not in this plan' : "In the territory of a rep who is not in this plan (allow crossing to give it to another rep)" });
          continue;
        }
      }
      if (home === undefined) {
        // nobody's yet: the nearest rep's base (a visit without a location is reported by that rep's planner)
        const loc = v.accountLocation;
        let best = reps[0];
        if (loc) for (const r of reps) if (best === undefined || metresBetween(r.base, loc) < metresBetween(best.base, loc)) best = r;
        home = best;
      }
      if (home === undefined) continue;
      candidates.push({ visit: v, home: home.index, free: cross && !appointment });
    }
    await report({ phase: 'assigning', percent: 5, visits: candidates.length, message: `${candidates.length} candidate visits for ${reps.length} reps` });

    // ---- problems ----
    const byRep = reps.map((r) => candidates.filter((c) => c.home === r.index));
    const perRep: Part[] = [];
    for (const r of reps) {
      const own = byRep[r.index] ?? [];
      if (!dates.some((d) => r.profile.workingHours[String(isoWeekday(d))] !== undefined) && own.length === 0) continue;
      perRep.push(await this.#part([r], own, dates, timeZone));
      if (signal.aborted) throw new Error('aborted');
    }
    const team = cross ? await this.#part(reps, candidates, dates, timeZone) : undefined;
    const solvable = perRep.filter((p) => p.built.problem.jobs.length > 0);
    const problemsTotal = solvable.length + (team ? 1 : 0);
    await report({ phase: 'solving', percent: 10, problemsTotal, problemsDone: 0, message: cross ? 'First answer: each rep in their own territory' : `Solving ${solvable.length} reps` });

    // ---- solving ----
    // without crossing: each rep alone, `concurrency` at a time, sharing the budget;
    // with crossing: the same per-rep answer first (quickly: the first answer, kept if the team's is not better), then the whole team as one problem
    const budget = job.timeLimitMs;
    const perRepBudget = cross ? budget * 0.25 : budget;
    const perProblemMs = Math.max(800, Math.min(8_000, Math.floor((perRepBudget * this.#concurrency) / Math.max(1, solvable.length))));
    const solutions = new Map<Part, Solution>();
    let done = 0;
    let placed = 0;
    let cost = 0;
    await pool(solvable, this.#concurrency, async (part) => {
      if (signal.aborted) return;
      const solution = await this.#solveInSlot(part.built.problem, { timeLimitMs: perProblemMs, seed: 1, signal, ...(cross ? { fast: true } : {}) });
      solutions.set(part, solution);
      done += 1;
      placed += solution.routes.reduce((s, r) => s + r.steps.filter((x) => x.type === 'job').length, 0);
      cost += solution.summary.cost;
      const share = cross ? 25 : 80;
      await report({ problemsDone: done, percent: 10 + Math.round((share * done) / Math.max(1, solvable.length)), visitsPlaced: placed, bestCostCents: Math.round(cost), message: `${done} of ${solvable.length} reps solved` });
    });
    if (signal.aborted) throw new Error('aborted');
    let teamSolution: Solution | undefined;
    if (team && team.built.problem.jobs.length > 0) {
      const remaining = Math.max(1_000, budget - (performance.now() - t0));
      await report({ message: `Whole team as one problem (${team.built.problem.vehicles.length} vehicles, ${team.built.problem.jobs.length} visits)` });
      const started = performance.now();
      const ticker = setInterval(() => {
        void report({ percent: Math.min(94, 35 + Math.round((60 * (performance.now() - started)) / remaining)) });
      }, 1_000);
      try {
        teamSolution = await this.#solveInSlot(team.built.problem, { timeLimitMs: remaining, seed: 1, signal });
      } finally {
        clearInterval(ticker);
      }
      if (signal.aborted) throw new Error('aborted');
      const teamPlaced = teamSolution.routes.reduce((s, r) => s + r.steps.filter((x) => x.type === 'job').length, 0);
      const teamPriority = teamSolution.summary.priority;
      const repPriority = [...solutions.values()].reduce((s, x) => s + x.summary.priority, 0);
      // better = more priority served, then lower cost
      if (teamPriority < repPriority || (teamPriority === repPriority && teamSolution.summary.cost > cost)) teamSolution = undefined;
      else await report({ problemsDone: problemsTotal, visitsPlaced: teamPlaced, bestCostCents: Math.round(teamSolution.summary.cost) });
    }

    // ---- timing each rep's days ----
    await report({ phase: 'timing', percent: 95, message: 'Timing every day' });
    const started = performance.now();
    const plans: TeamRepPlan[] = [];
    const unplacedAll: Unplaced[] = [];
    const homeOf = new Map(candidates.map((c) => [c.visit.id, reps[c.home]?.id ?? null]));
    const existing = await this.#tours.plannedToursMeeting(orgId, reps.map((r) => r.id), from, to);
    const answer = (part: Part, solution: Solution | undefined): void => {
      for (const pv of part.vehicles) {
        const sub: Solution | undefined = solution && {
          ...solution,
          routes: solution.routes.filter((r) => r.vehicle >= pv.first && r.vehicle < pv.first + pv.count).map((r) => ({ ...r, vehicle: r.vehicle - pv.first })),
          nights: solution.nights.filter((n) => n.vehicle >= pv.first && n.vehicle < pv.first + pv.count).map((n) => ({ ...n, vehicle: n.vehicle - pv.first })),
          unassigned: part.vehicles.length === 1 ? solution.unassigned : solution.unassigned.filter((u) => homeOf.get(String(u.id)) === pv.rep.id),
        };
        const built: BuiltProblem = { ...pv.built, jobs: part.built.jobs };
        const read = sub ? readSolution(built, sub) : { orders: new Map<string, { visits: ScheduleVisit[]; night: 'home' | 'hotel' }>(), unplaced: pv.built.unplaced };
        const inputs: DayInput[] = dates.map((date) => ({ date, visits: read.orders.get(date)?.visits ?? [], night: read.orders.get(date)?.night ?? 'home' }));
        const timeline = scheduleDays(part.ctxOf(pv.rep), inputs).filter((d) => d.working || d.stops.length > 0);
        const frame: PlanFrame = { profile: pv.rep.profile, points: part.points, baseKind: pv.rep.baseKind, timeZone };
        const plan = tourPlanOf(frame, pv.rep.id, from, to, timeline, read.unplaced, started);
        unplacedAll.push(...read.unplaced);
        plans.push({ userId: pv.rep.id, userName: pv.rep.profile.userName, colour: pv.rep.colour, plan, existingTourIds: existing.filter((e) => e.userId === pv.rep.id).map((e) => e.id) });
      }
    };
    if (team && teamSolution) answer(team, teamSolution);
    else for (const part of perRep) answer(part, solutions.get(part));
    const order = new Map(reps.map((r) => [r.id, r.index]));
    plans.sort((a, b) => (order.get(a.userId) ?? 0) - (order.get(b.userId) ?? 0));

    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const u of unplacedAll) {
      const visit = byId.get(u.visit.id);
      if (visit) unassigned.push({ visit, userId: homeOf.get(visit.id) ?? null, reason: u.reason, message: u.message });
    }
    const sum = (f: (p: TeamRepPlan) => number): number => plans.reduce((s, p) => s + f(p), 0);
    const distanceMetres = sum((p) => p.plan.totals.distanceMetres);
    const drivingSeconds = sum((p) => p.plan.totals.drivingSeconds);
    return {
      from,
      to,
      timeZone,
      allowCrossTerritory: cross,
      assignment: basis,
      mode: team && teamSolution ? 'team' : 'per_rep',
      reps: plans,
      totals: {
        distanceMetres,
        km: Math.round(distanceMetres / 100) / 10,
        drivingSeconds,
        drivingHours: Math.round(drivingSeconds / 36) / 100,
        visits: sum((p) => p.plan.totals.visits),
        hotelNights: sum((p) => p.plan.totals.hotelNights),
        meals: sum((p) => p.plan.totals.meals),
        costCents: sum((p) => p.plan.totals.costCents),
        currency: plans[0]?.plan.totals.currency ?? 'EUR',
        reps: reps.length,
        repsUsed: plans.filter((p) => p.plan.totals.visits > 0).length,
        candidateVisits: candidates.length,
        unassigned: unassigned.length,
      },
      unassigned: unassigned.map((u) => ({ visitId: u.visit.id, accountId: u.visit.accountId, accountName: u.visit.accountName, userId: u.userId, reason: u.reason, message: u.message })),
      computingMs: Math.round(performance.now() - t0),
    };
  }

  /**
   * One problem over these reps and visits: one matrix over the reps' bases then the accounts; per rep
   * the planner's own vehicles (a run of working days each) and jobs; an appointment is pinned to its rep's
   * vehicle for its day, a visit that may not cross is pinned to its rep's vehicles.
   */
  async #part(reps: readonly Rep[], candidates: readonly Candidate[], dates: readonly string[], timeZone: string): Promise<Part> {
    const points: LngLatRecord[] = reps.map((r) => r.base);
    const index = new Map<string, number>();
    const locOf = (v: PlanningVisitRecord): number | undefined => {
      if (!v.accountLocation) return undefined;
      const key = `${v.accountLocation.lng},${v.accountLocation.lat}`;
      let loc = index.get(key);
      if (loc === undefined) {
        loc = points.length;
        points.push(v.accountLocation);
        index.set(key, loc);
      }
      return loc;
    };
    const visits = candidates.map((c) => ({ c, sv: scheduleVisitOf(c.visit, locOf(c.visit)) }));
    const matrix: TravelMatrix = toTravelMatrix(await this.#matrix.matrix(points.map((p): LngLat => lngLat(p.lng, p.lat))));
    const ctxOf = (rep: Rep): ScheduleContext => {
      const i = reps.indexOf(rep);
      return {
        timeZone,
        matrix,
        baseLoc: i < 0 ? 0 : i,
        workingHours: rep.profile.workingHours,
        lunch: rep.profile.lunch,
        maxDailyDrivingSeconds: rep.profile.maxDailyDrivingMinutes === null ? null : rep.profile.maxDailyDrivingMinutes * 60,
        skills: rep.profile.skills,
      };
    };
    const vehicles: Vehicle[] = [];
    const jobs: Job[] = [];
    const jobMap = new Map<string, ScheduleVisit>();
    const unplaced: Unplaced[] = [];
    const parts: { rep: Rep; first: number; count: number; built: BuiltProblem }[] = [];
    for (const rep of reps) {
      const own = visits.filter((v) => v.c.home === rep.index);
      const built = buildProblem(ctxOf(rep), { skills: rep.profile.skills, costPerKmCents: rep.profile.costPerKmCents, hotelNightCents: rep.profile.hotelNightCents }, dates, own.map((v) => v.sv));
      const first = vehicles.length;
      const vid = (b: number): string => (reps.length === 1 ? `days:${b}` : `${rep.id}:days:${b}`);
      built.problem.vehicles.forEach((v, b) => vehicles.push({ ...v, id: vid(b) }));
      parts.push({ rep, first, count: built.problem.vehicles.length, built });
      const free = new Set(own.filter((v) => v.c.free).map((v) => v.c.visit.id));
      for (const j of built.problem.jobs) {
        const visit = built.jobs.get(String(j.id));
        if (!visit) continue;
        jobMap.set(visit.id, visit);
        if (reps.length === 1) {
          jobs.push(j);
          continue;
        }
        if (free.has(visit.id)) {
          // may cross into a neighbouring territory: its rep's or a neighbour's vehicles (they carry the zone)
          jobs.push({ ...j, skills: [...(j.skills ?? []), `zone:${rep.id}`] });
          continue;
        }
        // stays with its rep: an appointment on the vehicle of its day, another visit on any of the rep's vehicles (one block: pinned)
        const day = visit.appointmentAt === null ? undefined : dates.find((d) => built.blocks.some((b) => b.includes(d)) && isOnDate(visit, d, timeZone));
        const block = day === undefined ? (built.blocks.length === 1 ? 0 : -1) : built.blocks.findIndex((b) => b.includes(day));
        if (block >= 0) jobs.push({ ...j, pinnedVehicle: vid(block) });
        else jobs.push({ ...j, skills: [...(j.skills ?? []), `rep:${rep.id}`] });
      }
      unplaced.push(...built.unplaced);
    }
    // a visit held to its rep across several blocks: the rep's vehicles carry a skill only they have;
    // crossing: a rep serves their own zone and their neighbours' (see neighbourZones)
    const heldSkills = new Set(jobs.flatMap((j) => (j.skills ?? []).filter((s) => String(s).startsWith('rep:'))));
    const zones = reps.length > 1 ? neighbourZones(reps) : new Map<string, readonly string[]>();
    const withHeld = vehicles.map((v, i) => {
      const rep = parts.find((p) => i >= p.first && i < p.first + p.count)?.rep;
      if (!rep) return v;
      const skill = `rep:${rep.id}`;
      const extra = [...(heldSkills.has(skill) ? [skill] : []), ...(zones.get(rep.id) ?? []).map((z) => `zone:${z}`)];
      return extra.length ? { ...v, skills: [...(v.skills ?? []), ...extra] } : v;
    });
    const problem: Problem = { vehicles: withHeld, jobs, matrices: { car: { durations: matrix.durations, distances: matrix.distances } } };
    const firstBuilt = parts[0]?.built;
    const built: BuiltProblem = { problem, blocks: parts.flatMap((p) => p.built.blocks), jobs: jobMap, unplaced, base: firstBuilt?.base ?? 0 };
    return { reps, built, vehicles: parts, points, ctxOf };
  }
}

/** How many nearest reps' territories a rep may cross into (and theirs into this one) when crossing is allowed. */
export const NEIGHBOURS = 4;

/**
 * Crossing is into neighbouring territories: each rep serves their own zone and those of the NEIGHBOURS
 * reps whose bases are nearest (and of every rep that counts them among theirs). A visit across the region
 * would cost more driving than it saves; leaving those pairs out lets the search spend its time where a
 * swap can pay (measured: one unrestricted 1,000-visit problem did not converge in 40 s on a loaded machine).
 */
const neighbourZones = (reps: readonly Rep[]): Map<string, readonly string[]> => {
  const zones = new Map<string, Set<string>>(reps.map((r) => [r.id, new Set([r.id])]));
  for (const r of reps) {
    const nearest = reps
      .filter((o) => o !== r)
      .sort((a, b) => metresBetween(r.base, a.base) - metresBetween(r.base, b.base))
      .slice(0, NEIGHBOURS);
    for (const o of nearest) {
      zones.get(r.id)?.add(o.id);
      zones.get(o.id)?.add(r.id);
    }
  }
  return new Map([...zones].map(([k, v]) => [k, [...v]]));
};

const isOnDate = (v: ScheduleVisit, date: string, timeZone: string): boolean => {
  if (v.appointmentAt === null) return false;
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(v.appointmentAt) === date;
};

/** Runs `work` over `items`, at most `limit` at a time. */
const pool = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
};

/** A rep's plan as the days to save: the working days from the first to the last with a visit. */
const daysToSave = (rep: TeamRepPlan): TourDaysBody | undefined => {
  const days = rep.plan.days;
  const first = days.findIndex((d) => d.stops.length > 0);
  if (first < 0) return undefined;
  let last = first;
  days.forEach((d, i) => {
    if (d.stops.length > 0) last = i;
  });
  return {
    userId: rep.userId,
    days: days.slice(first, last + 1).map((d) => ({ date: d.date, visitIds: d.stops.map((s) => s.visitId), night: d.night.stay })),
  };
};

const toDto = (job: PlanningJobRecord): TeamPlanJobDto => ({
  id: job.id,
  status: job.status,
  request: job.request as TeamPlanBody,
  progress: { ...emptyProgress(0), ...(job.progress as Partial<TeamPlanProgress>) },
  result: job.status === 'done' ? (job.result as TeamPlanResult) : null,
  error: job.error,
  createdBy: job.createdBy,
  createdAt: job.createdAt.toISOString(),
  finishedAt: isoOrNull(job.finishedAt),
  savedAt: isoOrNull(job.savedAt),
});
