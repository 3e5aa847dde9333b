import { createHash, randomBytes } from 'node:crypto';
import { AppError, type Role } from '@geocrm/domain';
import type { OrgsRepository, SessionsRepository, UserRecord, UsersRepository } from '@geocrm/db';
import type { OrgDto, SessionDto, UserDto } from '@geocrm/contracts';
import { verifyPassword } from './password.ts';

/** Who is calling: set on every authenticated request. */
export interface Actor {
  readonly userId: string;
  readonly orgId: string;
  readonly role: Role;
  readonly name: string;
}

export const toUserDto = (u: UserRecord): UserDto => ({
  id: u.id,
  orgId: u.org_id,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active,
  home: u.home_lng === null || u.home_lat === null ? null : { label: u.home_label, location: { lng: Number(u.home_lng), lat: Number(u.home_lat) } },
  managerId: u.manager_id,
  createdAt: u.created_at.toISOString(),
});

const sessionId = (token: string): string => createHash('sha256').update(token).digest('hex');

export class AuthService {
  readonly #users: UsersRepository;
  readonly #sessions: SessionsRepository;
  readonly #orgs: OrgsRepository;
  readonly #sessionDays: number;

  constructor(deps: { users: UsersRepository; sessions: SessionsRepository; orgs: OrgsRepository; sessionDays: number }) {
    this.#users = deps.users;
    this.#sessions = deps.sessions;
    this.#orgs = deps.orgs;
    this.#sessionDays = deps.sessionDays;
  }

  /** Checks the credentials and opens a session; the token goes in the cookie, its hash in the database. */
  async login(email: string, password: string): Promise<{ token: string; expiresAt: Date; session: SessionDto }> {
    const user = await this.#users.findByEmailWithHash(email);
    const ok = await verifyPassword(user?.password_hash, password);
    if (!user || !ok || !user.active) throw new AppError('UNAUTHENTICATED', 'Wrong e-mail or password');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.#sessionDays * 86_400_000);
    await this.#sessions.insert(sessionId(token), user.id, user.org_id, expiresAt);
    await this.#sessions.deleteExpired(new Date());
    const record = await this.#users.get(user.org_id, user.id);
    if (!record) throw new AppError('UNAUTHENTICATED', 'Wrong e-mail or password');
    return { token, expiresAt, session: await this.sessionOf(record) };
  }

  async logout(token: string): Promise<void> {
    await this.#sessions.delete(sessionId(token));
  }

  /** The actor behind a session token, or undefined when the session is unknown, expired or the user inactive. */
  async authenticate(token: string): Promise<(Actor & { user: UserRecord }) | undefined> {
    const user = await this.#sessions.findUser(sessionId(token), new Date());
    return user && { userId: user.id, orgId: user.org_id, role: user.role, name: user.name, user };
  }

  async sessionOf(user: UserRecord): Promise<SessionDto> {
    const org = await this.#orgs.get(user.org_id);
    if (!org) throw new AppError('NOT_FOUND', 'Organisation not found');
    const orgDto: OrgDto = { id: org.id, name: org.name, timeZone: org.time_zone };
    return { user: toUserDto(user), org: orgDto };
  }
}
