import { AppError } from '@geocrm/domain';
import type { OrgsRepository, RepProfileRecord, ToursRepository, Transactor, UsersRepository, VisitRecord, VisitTypeRecord } from '@geocrm/db';
import type {
  CreateVisitBody,
  CreateVisitTypeBody,
  RepProfileDto,
  UpdateRepProfileBody,
  UpdateVisitBody,
  UpdateVisitTypeBody,
  VisitDto,
  VisitListQuery,
  VisitTypeDto,
} from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { assertManager, assertMayPlan, canPlanOthers } from './access.ts';
import { describeOpening, localOf, minutesOf, openAt, todayIn } from './time.ts';

export const toProfileDto = (p: RepProfileRecord): RepProfileDto => ({
  userId: p.userId,
  userName: p.userName,
  saved: p.saved,
  home: p.home,
  office: p.office,
  startAt: p.startAt,
  workingHours: Object.fromEntries(Object.entries(p.workingHours).filter((e): e is [string, { from: string; to: string }] => e[1] !== undefined)),
  lunch: p.lunch,
  maxDailyDrivingMinutes: p.maxDailyDrivingMinutes,
  costPerKmCents: p.costPerKmCents,
  hotelNightCents: p.hotelNightCents,
  mealCents: p.mealCents,
  currency: p.currency,
  skills: p.skills,
});

export const toVisitTypeDto = (t: VisitTypeRecord): VisitTypeDto => ({ id: t.id, name: t.name, durationMinutes: t.durationMinutes, requiredSkills: t.requiredSkills, defaultPriority: t.defaultPriority });

export const toVisitDto = (v: VisitRecord): VisitDto => ({
  id: v.id,
  accountId: v.accountId,
  accountName: v.accountName,
  visitTypeId: v.visitTypeId,
  visitTypeName: v.visitTypeName,
  assignedUserId: v.assignedUserId,
  status: v.status,
  appointmentAt: v.appointmentAt?.toISOString() ?? null,
  window: v.windowFrom !== null && v.windowTo !== null ? { from: v.windowFrom, to: v.windowTo } : null,
  timeOfDay: v.timeFrom !== null && v.timeTo !== null ? { from: v.timeFrom, to: v.timeTo } : null,
  priority: v.priority,
  notes: v.notes,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
});

const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });

export interface VisitsServiceDeps {
  readonly tours: ToursRepository;
  readonly users: UsersRepository;
  readonly orgs: OrgsRepository;
  readonly transaction: Transactor;
  readonly now?: () => Date;
  /** Account visibility (published territories): a visit only for an account the actor may see. */
  readonly scopes?: { assertCanSee(actor: Actor, accountId: string): Promise<void> };
}

/** Rep profiles, visit types and visits: the people and the work that tours are planned from. */
export class VisitsService {
  readonly #tours: ToursRepository;
  readonly #users: UsersRepository;
  readonly #orgs: OrgsRepository;
  readonly #transaction: Transactor;
  readonly #now: () => Date;
  readonly #scopes: VisitsServiceDeps['scopes'];

  constructor(deps: VisitsServiceDeps) {
    this.#scopes = deps.scopes;
    this.#tours = deps.tours;
    this.#users = deps.users;
    this.#orgs = deps.orgs;
    this.#transaction = deps.transaction;
    this.#now = deps.now ?? (() => new Date());
  }

  async timeZone(orgId: string): Promise<string> {
    return (await this.#orgs.get(orgId))?.time_zone ?? 'Europe/Paris';
  }

  // ---- rep profiles ----

  async getProfile(actor: Actor, userId: string): Promise<RepProfileDto> {
    const profile = await this.#tours.getProfile(actor.orgId, userId);
    if (!profile) throw new AppError('NOT_FOUND', 'User not found');
    assertMayPlan(actor, userId, 'read the profile of');
    return toProfileDto(profile);
  }

  async updateProfile(actor: Actor, userId: string, body: UpdateRepProfileBody): Promise<RepProfileDto> {
    if (!(await this.#users.get(actor.orgId, userId))) throw new AppError('NOT_FOUND', 'User not found');
    assertManager(actor, "change a rep's profile");
    for (const [day, hours] of Object.entries(body.workingHours ?? {})) {
      if (minutesOf(hours.from) >= minutesOf(hours.to)) throw invalid(`workingHours.${day}: from ${hours.from} must be before to ${hours.to}`, `workingHours.${day}`);
    }
    if (body.lunch && minutesOf(body.lunch.to) - minutesOf(body.lunch.from) < body.lunch.minutes) {
      throw invalid(`lunch: ${body.lunch.minutes} min do not fit between ${body.lunch.from} and ${body.lunch.to}`, 'lunch');
    }
    if (body.startAt === 'office' && body.office === null) throw invalid('startAt office needs an office', 'office');
    await this.#transaction(async (repos) => {
      await repos.tours.upsertProfile(actor.orgId, userId, body);
      if (body.startAt === 'office' && body.office === undefined) {
        const now = await repos.tours.getProfile(actor.orgId, userId);
        if (!now?.office) throw invalid('startAt office needs an office: set office too', 'office');
      }
    });
    return this.getProfile(actor, userId);
  }

  // ---- visit types ----

  async listVisitTypes(actor: Actor): Promise<VisitTypeDto[]> {
    return (await this.#tours.listVisitTypes(actor.orgId)).map(toVisitTypeDto);
  }

  async createVisitType(actor: Actor, body: CreateVisitTypeBody): Promise<VisitTypeDto> {
    assertManager(actor, 'manage visit types');
    const name = body.name.trim();
    if (!name) throw invalid('name must not be blank', 'name');
    if (await this.#tours.visitTypeNameTaken(actor.orgId, name)) throw new AppError('CONFLICT', `A visit type named "${name}" already exists`, { details: { field: 'name' } });
    return toVisitTypeDto(
      await this.#tours.insertVisitType(actor.orgId, { name, durationMinutes: body.durationMinutes, requiredSkills: body.requiredSkills ?? [], defaultPriority: body.defaultPriority ?? 50 }),
    );
  }

  async updateVisitType(actor: Actor, id: string, body: UpdateVisitTypeBody): Promise<VisitTypeDto> {
    assertManager(actor, 'manage visit types');
    const name = body.name?.trim();
    if (name !== undefined && (await this.#tours.visitTypeNameTaken(actor.orgId, name, id))) {
      throw new AppError('CONFLICT', `A visit type named "${name}" already exists`, { details: { field: 'name' } });
    }
    const updated = await this.#tours.updateVisitType(actor.orgId, id, { ...body, ...(name === undefined ? {} : { name }) });
    if (!updated) throw new AppError('NOT_FOUND', 'Visit type not found');
    return toVisitTypeDto(updated);
  }

  // ---- visits ----

  async listVisits(actor: Actor, query: VisitListQuery): Promise<VisitDto[]> {
    const userId = canPlanOthers(actor.role) ? query.userId : actor.userId;
    if (query.userId !== undefined && userId !== query.userId) throw new AppError('FORBIDDEN', `A ${actor.role} may only list their own visits`);
    const rows = await this.#tours.planningVisits(actor.orgId, {
      ...(userId === undefined ? {} : { userId }),
      ...(query.accountId === undefined ? {} : { accountId: query.accountId }),
      ...(query.status === undefined ? {} : { statuses: [query.status] }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      timeZone: await this.timeZone(actor.orgId),
      limit: 1000,
    });
    return rows.map(toVisitDto);
  }

  async getVisit(actor: Actor, id: string): Promise<VisitDto> {
    const v = await this.#tours.getVisit(actor.orgId, id);
    if (!v) throw new AppError('NOT_FOUND', 'Visit not found');
    return toVisitDto(v);
  }

  async createVisit(actor: Actor, body: CreateVisitBody): Promise<VisitDto> {
    const assigned = body.assignedUserId ?? (canPlanOthers(actor.role) ? null : actor.userId);
    if (assigned !== actor.userId && !canPlanOthers(actor.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may only create visits for themselves`);
    await this.#scopes?.assertCanSee(actor, body.accountId);
    const account = await this.#tours.accountPlace(actor.orgId, body.accountId);
    if (!account) throw new AppError('NOT_FOUND', 'Account not found', { details: { field: 'accountId' } });
    if (!account.location) throw invalid(`Account "${account.name}" has no location: place it on the map before planning a visit there`, 'accountId');
    const type = await this.#tours.getVisitType(actor.orgId, body.visitTypeId);
    if (!type) throw new AppError('NOT_FOUND', 'Visit type not found', { details: { field: 'visitTypeId' } });
    if (assigned !== null && !(await this.#users.get(actor.orgId, assigned))) throw new AppError('NOT_FOUND', 'Assigned user not found', { details: { field: 'assignedUserId' } });
    const timeZone = await this.timeZone(actor.orgId);
    const today = todayIn(timeZone, this.#now());
    if ((body.appointmentAt === undefined) === (body.window === undefined)) {
      throw invalid('Give either appointmentAt (a booked time) or window (acceptable dates), not both and not neither', body.appointmentAt === undefined ? 'window' : 'appointmentAt');
    }
    let appointmentAt: Date | null = null;
    if (body.appointmentAt !== undefined) {
      if (body.timeOfDay) throw invalid('timeOfDay applies to a window of dates, not to an appointment', 'timeOfDay');
      appointmentAt = new Date(body.appointmentAt);
      if (appointmentAt.getTime() <= this.#now().getTime()) throw invalid(`appointmentAt ${body.appointmentAt} is in the past`, 'appointmentAt');
      const at = appointmentAt.getTime() / 1000;
      if (!openAt(account.openingHours, at, type.durationMinutes * 60, timeZone)) {
        const local = localOf(at, timeZone);
        throw invalid(
          `The appointment on ${local.date} at ${local.time} is outside the opening hours of "${account.name}" (${describeOpening(account.openingHours, local.date)}) for a ${type.durationMinutes} min ${type.name}`,
          'appointmentAt',
        );
      }
    }
    if (body.window) {
      if (body.window.from > body.window.to) throw invalid(`window: from ${body.window.from} is after to ${body.window.to}`, 'window');
      if (body.window.to < today) throw invalid(`window ends on ${body.window.to}, in the past (today is ${today})`, 'window');
    }
    if (body.timeOfDay && minutesOf(body.timeOfDay.from) >= minutesOf(body.timeOfDay.to)) throw invalid(`timeOfDay: from ${body.timeOfDay.from} must be before to ${body.timeOfDay.to}`, 'timeOfDay');
    const id = await this.#tours.insertVisit(actor.orgId, {
      accountId: body.accountId,
      visitTypeId: type.id,
      assignedUserId: assigned,
      appointmentAt,
      windowFrom: body.window?.from ?? null,
      windowTo: body.window?.to ?? null,
      timeFrom: body.timeOfDay?.from ?? null,
      timeTo: body.timeOfDay?.to ?? null,
      priority: body.priority ?? type.defaultPriority,
      notes: body.notes ?? '',
      createdBy: actor.userId,
    });
    return this.getVisit(actor, id);
  }

  async updateVisit(actor: Actor, id: string, body: UpdateVisitBody): Promise<VisitDto> {
    const v = await this.#tours.getVisit(actor.orgId, id);
    if (!v) throw new AppError('NOT_FOUND', 'Visit not found');
    if (!canPlanOthers(actor.role)) {
      if (v.assignedUserId !== actor.userId) throw new AppError('FORBIDDEN', `A ${actor.role} may only change their own visits`);
      if (body.assignedUserId !== undefined && body.assignedUserId !== actor.userId) throw new AppError('FORBIDDEN', `A ${actor.role} cannot reassign a visit`);
    }
    if (body.assignedUserId && !(await this.#users.get(actor.orgId, body.assignedUserId))) throw new AppError('NOT_FOUND', 'Assigned user not found', { details: { field: 'assignedUserId' } });
    await this.#tours.updateVisit(actor.orgId, id, body);
    return this.getVisit(actor, id);
  }
}
