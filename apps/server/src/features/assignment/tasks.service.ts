import { AppError } from '@geocrm/domain';
import type { AssignmentRepository, OrgsRepository, ServiceTaskRecord, ToursRepository } from '@geocrm/db';
import type { AbsenceDto, AbsenceList, AbsenceListQuery, CreateAbsenceBody, CreateServiceTaskBody, ServiceTaskDto, ServiceTaskList, ServiceTaskListQuery, TechnicianList, UpdateServiceTaskBody } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { canPlanOthers } from '../tours/access.ts';
import { todayIn } from '../tours/time.ts';

/** Distinct colours for up to 24 people (then they repeat). */
export const PALETTE = [
  '#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#469990', '#800000', '#808000', '#000075',
  '#bfef45', '#fabed4', '#dcbeff', '#aaffc3', '#ffd8b1', '#a9a9a9', '#ffe119', '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
] as const;
export const colourOf = (i: number): string => PALETTE[i % PALETTE.length] ?? '#000000';

/** Roles that receive service tasks. */
export const TECHNICIAN_ROLES = ['technician'] as const;

export interface TasksServiceDeps {
  readonly assignment: AssignmentRepository;
  readonly tours: ToursRepository;
  readonly orgs: OrgsRepository;
  readonly now?: () => Date;
}

const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });

export const assertDispatcher = (actor: Actor, what: string): void => {
  if (!canPlanOthers(actor.role)) throw new AppError('FORBIDDEN', `Only a manager, an admin or the back office may ${what}`);
};

/** Service tasks (create, list, change, cancel), absences and the technicians they go to. */
export class TasksService {
  readonly #repo: AssignmentRepository;
  readonly #tours: ToursRepository;
  readonly #orgs: OrgsRepository;
  readonly #now: () => Date;

  constructor(deps: TasksServiceDeps) {
    this.#repo = deps.assignment;
    this.#tours = deps.tours;
    this.#orgs = deps.orgs;
    this.#now = deps.now ?? (() => new Date());
  }

  async timeZone(orgId: string): Promise<string> {
    return (await this.#orgs.get(orgId))?.time_zone ?? 'Europe/Paris';
  }

  async today(orgId: string): Promise<string> {
    return todayIn(await this.timeZone(orgId), this.#now());
  }

  toDto(r: ServiceTaskRecord, today: string): ServiceTaskDto {
    return {
      id: r.id,
      accountId: r.accountId,
      accountName: r.accountName,
      accountCity: r.accountCity,
      location: r.accountLocation,
      title: r.title,
      durationMinutes: r.durationMinutes,
      requiredSkills: r.requiredSkills,
      dueDate: r.dueDate,
      priority: r.priority,
      status: r.status,
      assignedUserId: r.assignedUserId,
      assignedUserName: r.assignedUserName,
      plannedDate: r.plannedDate,
      plannedStartAt: r.plannedStartAt?.toISOString() ?? null,
      notes: r.notes,
      overdue: (r.status === 'open' || r.status === 'assigned') && r.dueDate !== null && r.dueDate < today,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  async #checkSkills(orgId: string, skills: readonly string[]): Promise<void> {
    if (!skills.length) return;
    const known = new Set(await this.#repo.knownSkills(orgId));
    const unknown = skills.filter((s) => !known.has(s));
    if (unknown.length) {
      throw new AppError('VALIDATION', `Unknown skill${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (nobody has it and no visit type needs it; known: ${[...known].join(', ') || 'none'})`, {
        details: { field: 'requiredSkills', unknown },
      });
    }
  }

  async #checkDue(orgId: string, dueDate: string | null | undefined): Promise<void> {
    if (dueDate === undefined || dueDate === null) return;
    if (Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`)) || new Date(`${dueDate}T00:00:00Z`).toISOString().slice(0, 10) !== dueDate) throw invalid(`${dueDate} is not a date`, 'dueDate');
    const today = await this.today(orgId);
    if (dueDate < today) throw invalid(`The due date ${dueDate} is in the past (today is ${today})`, 'dueDate');
  }

  async #get(actor: Actor, id: string): Promise<ServiceTaskRecord> {
    const t = await this.#repo.getTask(actor.orgId, id);
    if (!t) throw new AppError('NOT_FOUND', 'Task not found');
    return t;
  }

  async get(actor: Actor, id: string): Promise<ServiceTaskDto> {
    return this.toDto(await this.#get(actor, id), await this.today(actor.orgId));
  }

  async list(actor: Actor, q: ServiceTaskListQuery): Promise<ServiceTaskList> {
    const rows = await this.#repo.listTasks(actor.orgId, {
      ...(q.status ? { statuses: [q.status] } : {}),
      ...(q.userId === undefined ? {} : { assignedUserId: q.userId }),
      ...(q.skill === undefined ? {} : { skill: q.skill }),
      ...(q.dueBefore === undefined ? {} : { dueBefore: q.dueBefore }),
      ...(q.q === undefined ? {} : { q: q.q }),
      limit: q.limit ?? 1000,
    });
    const today = await this.today(actor.orgId);
    return { items: rows.map((r) => this.toDto(r, today)) };
  }

  async create(actor: Actor, body: CreateServiceTaskBody): Promise<ServiceTaskDto> {
    assertDispatcher(actor, 'create service tasks');
    const account = await this.#repo.accountOf(actor.orgId, body.accountId);
    if (!account) throw new AppError('NOT_FOUND', 'Account not found', { details: { field: 'accountId' } });
    if (!account.hasLocation) throw invalid(`${account.name} has no location: place it on the map before creating a task there`, 'accountId');
    const title = body.title.trim();
    if (!title) throw invalid('The title is empty', 'title');
    await this.#checkSkills(actor.orgId, body.requiredSkills ?? []);
    await this.#checkDue(actor.orgId, body.dueDate);
    const id = await this.#repo.insertTask(actor.orgId, {
      accountId: body.accountId,
      title,
      durationMinutes: body.durationMinutes,
      requiredSkills: body.requiredSkills ?? [],
      dueDate: body.dueDate ?? null,
      priority: body.priority ?? 50,
      notes: body.notes ?? '',
      createdBy: actor.userId,
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, body: UpdateServiceTaskBody): Promise<ServiceTaskDto> {
    const t = await this.#get(actor, id);
    const onlyDone = Object.keys(body).every((k) => k === 'status') && body.status === 'done';
    // a technician may close a task of their own; everything else is dispatching
    if (!(onlyDone && t.assignedUserId === actor.userId)) assertDispatcher(actor, 'change service tasks');
    if (t.status === 'cancelled' || t.status === 'done') throw new AppError('CONFLICT', `The task is ${t.status}: it cannot change any more`);
    if (body.requiredSkills) await this.#checkSkills(actor.orgId, body.requiredSkills);
    if (body.dueDate !== undefined && body.dueDate !== t.dueDate) await this.#checkDue(actor.orgId, body.dueDate);
    if (body.title?.trim() === '') throw invalid('The title is empty', 'title');
    await this.#repo.updateTask(actor.orgId, id, {
      ...(body.title === undefined ? {} : { title: body.title.trim() }),
      ...(body.durationMinutes === undefined ? {} : { durationMinutes: body.durationMinutes }),
      ...(body.requiredSkills === undefined ? {} : { requiredSkills: body.requiredSkills }),
      ...(body.dueDate === undefined ? {} : { dueDate: body.dueDate }),
      ...(body.priority === undefined ? {} : { priority: body.priority }),
      ...(body.notes === undefined ? {} : { notes: body.notes }),
      ...(body.status === 'open' ? { status: 'open' as const, assignment: null } : {}),
      ...(body.status === 'done' ? { status: 'done' as const } : {}),
    });
    return this.get(actor, id);
  }

  async cancel(actor: Actor, id: string): Promise<ServiceTaskDto> {
    assertDispatcher(actor, 'cancel service tasks');
    const t = await this.#get(actor, id);
    if (t.status === 'done') throw new AppError('CONFLICT', 'The task is done: it cannot be cancelled');
    if (t.status !== 'cancelled') await this.#repo.updateTask(actor.orgId, id, { status: 'cancelled' });
    return this.get(actor, id);
  }

  /** Technicians first, then reps (who may be added to a plan by hand). */
  async technicians(actor: Actor): Promise<TechnicianList> {
    const all = await this.#repo.fieldUsers(actor.orgId, { roles: [...TECHNICIAN_ROLES, 'rep'] });
    const users = [...all.filter((u) => u.role === 'technician'), ...all.filter((u) => u.role !== 'technician')];
    const items = await Promise.all(
      users.map(async (u, i) => {
        const p = await this.#tours.getProfile(actor.orgId, u.id);
        return { userId: u.id, name: u.name, role: u.role, skills: p?.skills ?? [], home: u.home, colour: colourOf(i) };
      }),
    );
    return { items, skills: await this.#repo.knownSkills(actor.orgId) };
  }

  // ---- absences ----

  async absences(actor: Actor, q: AbsenceListQuery): Promise<AbsenceList> {
    const items = await this.#repo.listAbsences(actor.orgId, {
      ...(q.userId === undefined ? {} : { userIds: [q.userId] }),
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
    });
    return { items };
  }

  async addAbsence(actor: Actor, body: CreateAbsenceBody): Promise<AbsenceDto> {
    if (body.userId !== actor.userId) assertDispatcher(actor, "record someone else's absence");
    if (body.dateTo < body.dateFrom) throw invalid(`The absence ends (${body.dateTo}) before it starts (${body.dateFrom})`, 'dateTo');
    const users = await this.#repo.fieldUsers(actor.orgId, { ids: [body.userId] });
    if (!users.length) throw new AppError('NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    const id = await this.#repo.insertAbsence(actor.orgId, { userId: body.userId, dateFrom: body.dateFrom, dateTo: body.dateTo, reason: body.reason?.trim() ?? '' });
    const saved = (await this.#repo.listAbsences(actor.orgId, { userIds: [body.userId] })).find((a) => a.id === id);
    if (!saved) throw new AppError('INTERNAL', 'Absence not saved');
    return saved;
  }

  async deleteAbsence(actor: Actor, id: string): Promise<void> {
    const all = await this.#repo.listAbsences(actor.orgId);
    const a = all.find((x) => x.id === id);
    if (!a) throw new AppError('NOT_FOUND', 'Absence not found');
    if (a.userId !== actor.userId) assertDispatcher(actor, "delete someone else's absence");
    await this.#repo.deleteAbsence(actor.orgId, id);
  }
}
