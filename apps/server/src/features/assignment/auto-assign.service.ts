import { AppError, lngLat, type LngLat } from '@geocrm/domain';
import { createEstimatedMatrixProvider, toTravelMatrix, type MatrixProvider } from '@geocrm/geo';
import { solveInWorker } from '@geocrm/optimizer';
import type { AssignmentRepository, TerritoriesRepository, ToursRepository, Transactor } from '@geocrm/db';
import type { AppliedCount, ApplyTaskAssignmentsBody, AutoAssignBody, AutoAssignPreview, TechnicianPlan } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { addDays, isoWeekday } from '../tours/time.ts';
import { assignTasks, workloadSpread, type AssignTask, type AssignTechnician, type Solver } from './auto-assign.ts';
import { assertDispatcher, colourOf, TECHNICIAN_ROLES, type TasksService } from './tasks.service.ts';

export interface AutoAssignDeps {
  readonly assignment: AssignmentRepository;
  readonly tours: ToursRepository;
  readonly territories: TerritoriesRepository;
  readonly tasks: TasksService;
  readonly transaction: Transactor;
  readonly matrix?: MatrixProvider;
  readonly solve?: Solver;
}

const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });
const iso = (epochSeconds: number): string => new Date(Math.round(epochSeconds) * 1000).toISOString();
const r1 = (x: number): number => Math.round(x * 10) / 10;

/** Preview (one optimisation, in a worker) and apply (all or nothing) of the automatic assignment of service tasks. */
export class AutoAssignService {
  readonly #repo: AssignmentRepository;
  readonly #tours: ToursRepository;
  readonly #territories: TerritoriesRepository;
  readonly #tasks: TasksService;
  readonly #transaction: Transactor;
  readonly #matrix: MatrixProvider;
  readonly #solve: Solver;

  constructor(deps: AutoAssignDeps) {
    this.#repo = deps.assignment;
    this.#tours = deps.tours;
    this.#territories = deps.territories;
    this.#tasks = deps.tasks;
    this.#transaction = deps.transaction;
    this.#matrix = deps.matrix ?? createEstimatedMatrixProvider();
    this.#solve = deps.solve ?? solveInWorker;
  }

  /** The rep of each account's published territory; without a published plan, the account's owner stands for it. */
  async #territoryOf(orgId: string, accountIds: readonly string[]): Promise<Map<string, string[]>> {
    if ((await this.#territories.publishedPlanId(orgId)) === undefined) return this.#repo.territoryRepsOf(orgId, accountIds);
    const published = await this.#territories.territoryOfAccounts(orgId, accountIds);
    return new Map(accountIds.map((id) => [id, published.get(id)?.repUserId ? [published.get(id)?.repUserId ?? ''] : []]));
  }

  async preview(actor: Actor, body: AutoAssignBody, signal?: AbortSignal): Promise<AutoAssignPreview> {
    const started = performance.now();
    assertDispatcher(actor, 'assign tasks');
    const timeZone = await this.#tasks.timeZone(actor.orgId);
    const today = await this.#tasks.today(actor.orgId);
    if (body.from < today) throw invalid(`${body.from} is in the past (today is ${today}): assignments start today or later`, 'from');
    const dates = Array.from({ length: body.days }, (_, i) => addDays(body.from, i));
    const to = dates[dates.length - 1] ?? body.from;

    const users = await this.#repo.fieldUsers(actor.orgId, body.userIds ? { ids: body.userIds } : { roles: TECHNICIAN_ROLES });
    if (body.userIds) {
      const missing = body.userIds.filter((id) => !users.some((u) => u.id === id));
      if (missing.length) throw new AppError('NOT_FOUND', `Unknown or inactive user(s): ${missing.join(', ')}`, { details: { field: 'userIds', missing } });
    }
    if (!users.length) throw invalid('Nobody to assign tasks to: the organisation has no active technician', 'userIds');
    const rows = await this.#repo.listTasks(actor.orgId, body.taskIds ? { ids: body.taskIds } : { statuses: ['open'] });
    if (body.taskIds) {
      const missing = body.taskIds.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw new AppError('NOT_FOUND', `Task(s) not found: ${missing.join(', ')}`, { details: { field: 'taskIds', missing } });
      const closed = rows.filter((r) => r.status !== 'open');
      if (closed.length) throw invalid(`Only open tasks are assigned: ${closed.map((r) => `${r.title} (${r.status})`).join(', ')}`, 'taskIds');
    }

    const absences = await this.#repo.listAbsences(actor.orgId, { userIds: users.map((u) => u.id), from: body.from, to });
    const territory = body.respectTerritory === true ? await this.#territoryOf(actor.orgId, [...new Set(rows.map((r) => r.accountId))]) : new Map<string, string[]>();

    // matrix points: homes first, then the tasks' places (deduplicated)
    const points: LngLat[] = [];
    const index = new Map<string, number>();
    const locOf = (p: { lng: number; lat: number } | null): number | undefined => {
      if (!p) return undefined;
      const key = `${p.lng},${p.lat}`;
      let i = index.get(key);
      if (i === undefined) {
        i = points.length;
        points.push(lngLat(p.lng, p.lat));
        index.set(key, i);
      }
      return i;
    };
    const technicians: AssignTechnician[] = [];
    for (const u of users) {
      const p = await this.#tours.getProfile(actor.orgId, u.id);
      const away = new Map<string, string>();
      for (const a of absences.filter((x) => x.userId === u.id)) {
        for (let d = a.dateFrom; d <= a.dateTo && d <= to; d = addDays(d, 1)) if (d >= body.from) away.set(d, a.reason || 'Absent');
      }
      technicians.push({
        userId: u.id,
        name: u.name,
        skills: p?.skills ?? [],
        homeLoc: locOf(u.home),
        workingHours: p?.workingHours ?? {},
        lunch: p?.lunch ?? { from: '12:00', to: '14:00', minutes: 60 },
        maxDailyDrivingSeconds: p === undefined || p.maxDailyDrivingMinutes === null ? null : p.maxDailyDrivingMinutes * 60,
        costPerKmCents: p?.costPerKmCents ?? 0,
        absences: away,
      });
    }
    // tasks already assigned to these people in the horizon keep their day and take room in it
    const userIds = new Set(users.map((u) => u.id));
    const booked = (await this.#repo.listTasks(actor.orgId, { statuses: ['assigned'] })).filter(
      (r) => r.assignedUserId !== null && userIds.has(r.assignedUserId) && r.plannedDate !== null && r.plannedDate >= body.from && r.plannedDate <= to,
    );
    const tasks: AssignTask[] = [...rows, ...booked].map((r) => ({
      id: r.id,
      title: r.title,
      accountName: r.accountName,
      loc: locOf(r.accountLocation),
      serviceSeconds: r.durationMinutes * 60,
      skills: r.requiredSkills,
      dueDate: r.dueDate,
      priority: r.priority,
      openingHours: r.openingHours,
      territoryUserIds: territory.get(r.accountId) ?? [],
      ...(r.status === 'assigned' && r.assignedUserId !== null && r.plannedDate !== null ? { fixed: { userId: r.assignedUserId, date: r.plannedDate } } : {}),
    }));
    const matrix = points.length ? toTravelMatrix(await this.#matrix.matrix(points)) : { durations: [], distances: [] };
    const result = await assignTasks(
      {
        dates,
        timeZone,
        matrix,
        technicians,
        tasks,
        balance: body.balance ?? 'cap',
        respectTerritory: body.respectTerritory === true,
        ...(body.balanceTolerancePercent === undefined ? {} : { balanceSlack: body.balanceTolerancePercent / 100 }),
      },
      this.#solve,
      { timeLimitMs: (body.timeLimitSeconds ?? 10) * 1000, ...(signal ? { signal } : {}) },
    );

    const byTask = new Map([...rows, ...booked].map((r) => [r.id, r]));
    const plans: TechnicianPlan[] = result.technicians.map((t, i) => {
      const days = t.days.map((d) => ({
        date: d.date,
        available: d.available,
        absence: d.absence,
        tasks: d.stops.map((s) => ({
          taskId: s.task.id,
          title: s.task.title,
          accountName: s.task.accountName,
          location: byTask.get(s.task.id)?.accountLocation ?? { lng: 0, lat: 0 },
          startAt: iso(s.start),
          endAt: iso(s.end),
          dueDate: s.task.dueDate,
          priority: s.task.priority,
          late: s.late,
          alreadyAssigned: s.task.fixed !== undefined,
        })),
        km: r1(d.distanceMetres / 1000),
        drivingHours: r1(d.drivingSeconds / 3600),
        workHours: r1((d.drivingSeconds + d.serviceSeconds) / 3600),
        departAt: d.departAt === null ? null : iso(d.departAt),
        returnAt: d.returnAt === null ? null : iso(d.returnAt),
      }));
      const distance = t.days.reduce((s, d) => s + d.distanceMetres, 0);
      const driving = t.days.reduce((s, d) => s + d.drivingSeconds, 0);
      const service = t.days.reduce((s, d) => s + d.serviceSeconds, 0);
      return {
        userId: t.tech.userId,
        name: t.tech.name,
        colour: colourOf(i),
        home: users[i]?.home ?? null,
        skills: [...t.tech.skills],
        days,
        tasks: days.reduce((s, d) => s + d.tasks.length, 0),
        km: r1(distance / 1000),
        drivingHours: r1(driving / 3600),
        workHours: r1((driving + service) / 3600),
        note: t.note,
      };
    });
    const assignments = plans.flatMap((p) => p.days.flatMap((d) => d.tasks.filter((t) => !t.alreadyAssigned).map((t) => ({ taskId: t.taskId, userId: p.userId, date: d.date, startAt: t.startAt }))));
    const unassigned = result.unassigned.map((u) => ({
      taskId: u.task.id,
      title: u.task.title,
      accountName: u.task.accountName,
      location: byTask.get(u.task.id)?.accountLocation ?? null,
      reason: u.reason,
      message: u.message,
    }));
    return {
      from: body.from,
      to,
      dates,
      technicians: plans,
      unassigned,
      assignments,
      stats: {
        tasks: rows.length,
        assigned: assignments.length,
        unassigned: unassigned.length,
        late: plans.reduce((s, p) => s + p.days.reduce((x, d) => x + d.tasks.filter((t) => t.late).length, 0), 0),
        km: r1(plans.reduce((s, p) => s + p.km, 0)),
        workHours: r1(plans.reduce((s, p) => s + p.workHours, 0)),
        spread: workloadSpread(result.technicians),
        balance: body.balance ?? 'cap',
        dailyCapMinutes: result.dailyCapMinutes,
        solves: result.solves,
        computingMs: Math.round(performance.now() - started),
      },
    };
  }

  /** Writes a preview's assignments: every task still open, every person able (skills, working day, not away) — or nothing. */
  async apply(actor: Actor, body: ApplyTaskAssignmentsBody): Promise<AppliedCount> {
    assertDispatcher(actor, 'assign tasks');
    const ids = body.assignments.map((a) => a.taskId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw invalid(`Task ${twice} appears twice`, 'assignments');
    const today = await this.#tasks.today(actor.orgId);
    const past = body.assignments.find((a) => a.date < today);
    if (past) throw invalid(`${past.date} is in the past (today is ${today})`, 'assignments');
    const userIds = [...new Set(body.assignments.map((a) => a.userId))];
    return this.#transaction(async (repos) => {
      const locked = await repos.assignment.lockTasks(actor.orgId, ids);
      const missing = ids.filter((id) => !locked.some((l) => l.id === id));
      if (missing.length) throw new AppError('NOT_FOUND', `Task(s) not found: ${missing.join(', ')}`, { details: { missing } });
      const tasks = await repos.assignment.listTasks(actor.orgId, { ids });
      const taken = tasks.filter((t) => t.status !== 'open');
      if (taken.length) {
        throw new AppError('CONFLICT', `No longer open (assigned, done or cancelled meanwhile): ${taken.map((t) => t.title).join(', ')}. Preview again`, { details: { tasks: taken.map((t) => t.id) } });
      }
      const users = await repos.assignment.fieldUsers(actor.orgId, { ids: userIds });
      const gone = userIds.filter((id) => !users.some((u) => u.id === id));
      if (gone.length) throw new AppError('NOT_FOUND', `Unknown or inactive user(s): ${gone.join(', ')}`, { details: { missing: gone } });
      const from = body.assignments.reduce((m, a) => (a.date < m ? a.date : m), body.assignments[0]?.date ?? today);
      const to = body.assignments.reduce((m, a) => (a.date > m ? a.date : m), from);
      const absences = await repos.assignment.listAbsences(actor.orgId, { userIds, from, to });
      const profiles = new Map(await Promise.all(userIds.map(async (id) => [id, await repos.tours.getProfile(actor.orgId, id)] as const)));
      const byId = new Map(tasks.map((t) => [t.id, t]));
      for (const a of body.assignments) {
        const t = byId.get(a.taskId);
        const p = profiles.get(a.userId);
        const name = users.find((u) => u.id === a.userId)?.name ?? a.userId;
        if (!t || !p) continue;
        const lacking = t.requiredSkills.filter((s) => !p.skills.includes(s));
        if (lacking.length) throw invalid(`${name} lacks ${lacking.join(', ')} for ${t.title}`, 'assignments');
        if (p.workingHours[String(isoWeekday(a.date))] === undefined) throw invalid(`${name} does not work on ${a.date}`, 'assignments');
        const away = absences.find((x) => x.userId === a.userId && x.dateFrom <= a.date && x.dateTo >= a.date);
        if (away) throw invalid(`${name} is away on ${a.date}${away.reason ? ` (${away.reason})` : ''}`, 'assignments');
      }
      for (const a of body.assignments) {
        await repos.assignment.updateTask(actor.orgId, a.taskId, { status: 'assigned', assignment: { userId: a.userId, date: a.date, startAt: new Date(a.startAt) } });
      }
      return { applied: body.assignments.length };
    });
  }
}
