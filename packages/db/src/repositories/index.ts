import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { AccountsRepository } from './accounts.repository.ts';
import { AnnounceRepository } from './announce.repository.ts';
import { AddressPointsRepository } from './address-points.repository.ts';
import { AssignmentRepository } from './assignment.repository.ts';
import { ContactsRepository } from './contacts.repository.ts';
import { GeocodeJobsRepository } from './geocode-jobs.repository.ts';
import { ImportsRepository } from './imports.repository.ts';
import { OrgsRepository } from './orgs.repository.ts';
import { PlanningJobsRepository } from './planning-jobs.repository.ts';
import { SessionsRepository } from './sessions.repository.ts';
import { SlotsRepository } from './slots.repository.ts';
import { ToursRepository } from './tours.repository.ts';
import { TerritoriesRepository } from './territories.repository.ts';
import { UsersRepository } from './users.repository.ts';

export interface Repositories {
  readonly orgs: OrgsRepository;
  readonly users: UsersRepository;
  readonly sessions: SessionsRepository;
  readonly accounts: AccountsRepository;
  readonly contacts: ContactsRepository;
  readonly addressPoints: AddressPointsRepository;
  readonly imports: ImportsRepository;
  readonly tours: ToursRepository;
  readonly territories: TerritoriesRepository;
  readonly planningJobs: PlanningJobsRepository;
  readonly geocodeJobs: GeocodeJobsRepository;
  readonly slots: SlotsRepository;
  readonly announce: AnnounceRepository;
  readonly assignment: AssignmentRepository;
}

export const createRepositories = (db: Kysely<Database>): Repositories => ({
  orgs: new OrgsRepository(db),
  users: new UsersRepository(db),
  sessions: new SessionsRepository(db),
  accounts: new AccountsRepository(db),
  contacts: new ContactsRepository(db),
  addressPoints: new AddressPointsRepository(db),
  imports: new ImportsRepository(db),
  tours: new ToursRepository(db),
  territories: new TerritoriesRepository(db),
  planningJobs: new PlanningJobsRepository(db),
  geocodeJobs: new GeocodeJobsRepository(db),
  slots: new SlotsRepository(db),
  announce: new AnnounceRepository(db),
  assignment: new AssignmentRepository(db),
});

/** Runs `work` with repositories bound to one transaction: all of it lands, or none. */
export type Transactor = <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>;

export const createTransactor =
  (db: Kysely<Database>): Transactor =>
  (work) =>
    db.transaction().execute((trx) => work(createRepositories(trx)));
