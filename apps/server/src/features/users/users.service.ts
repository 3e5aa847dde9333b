import { AppError, canManageUsers } from '@geocrm/domain';
import type { SessionsRepository, UsersRepository } from '@geocrm/db';
import type { CreateUserBody, UpdateUserBody, UserDto } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { toUserDto } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/password.ts';

const requireAdmin = (actor: Actor): void => {
  if (!canManageUsers(actor.role)) throw new AppError('FORBIDDEN', 'Only an administrator can manage users');
};

export class UsersService {
  readonly #users: UsersRepository;
  readonly #sessions: SessionsRepository;
  constructor(deps: { users: UsersRepository; sessions: SessionsRepository }) {
    this.#users = deps.users;
    this.#sessions = deps.sessions;
  }

  async list(actor: Actor): Promise<UserDto[]> {
    return (await this.#users.list(actor.orgId)).map(toUserDto);
  }

  async create(actor: Actor, body: CreateUserBody): Promise<UserDto> {
    requireAdmin(actor);
    if (await this.#users.emailExists(body.email)) throw new AppError('CONFLICT', `A user with e-mail ${body.email} already exists`);
    const user = await this.#users.insert({ orgId: actor.orgId, email: body.email, name: body.name, role: body.role, passwordHash: await hashPassword(body.password) });
    return toUserDto(user);
  }

  async update(actor: Actor, id: string, body: UpdateUserBody): Promise<UserDto> {
    requireAdmin(actor);
    const current = await this.#users.get(actor.orgId, id);
    if (!current) throw new AppError('NOT_FOUND', 'User not found');
    const losesAdmin = current.role === 'admin' && current.active && ((body.role !== undefined && body.role !== 'admin') || body.active === false);
    if (losesAdmin && (await this.#users.countActiveAdmins(actor.orgId)) <= 1) {
      throw new AppError('CONFLICT', 'The organisation must keep at least one active administrator');
    }
    if (body.managerId !== undefined && body.managerId !== null) {
      if (body.managerId === id) throw new AppError('VALIDATION', 'A user cannot be their own manager', { details: { field: 'managerId' } });
      const manager = await this.#users.get(actor.orgId, body.managerId);
      if (!manager || (manager.role !== 'manager' && manager.role !== 'admin')) {
        throw new AppError('VALIDATION', 'The manager must be a manager or an administrator of your organisation', { details: { field: 'managerId' } });
      }
    }
    const updated = await this.#users.update(actor.orgId, id, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.role === undefined ? {} : { role: body.role }),
      ...(body.active === undefined ? {} : { active: body.active }),
      ...(body.password === undefined ? {} : { passwordHash: await hashPassword(body.password) }),
      ...(body.managerId === undefined ? {} : { managerId: body.managerId }),
    });
    if (!updated) throw new AppError('NOT_FOUND', 'User not found');
    // A deactivated user or a changed password ends the user's open sessions.
    if (body.active === false || body.password !== undefined) await this.#sessions.deleteForUser(id);
    return toUserDto(updated);
  }
}
