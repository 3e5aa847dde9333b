import type { Migration, MigrationProvider } from 'kysely/migration';
import * as init from './2026-11-23T09-00_init.ts';
import * as geoScoreDouble from './2026-11-23T12-00_geo_score_double.ts';
import * as accountsLastVisit from './2026-11-23T12-10_accounts_last_visit.ts';
import * as addressPoints from './2026-11-23T13-00_address_points.ts';
import * as imports from './2026-11-23T12-30_imports.ts';
import * as tours from './2026-11-23T14-00_tours.ts';
import * as territories from './2026-11-23T14-30_territories.ts';
import * as accountsOrgLocationGist from './2026-11-23T15-00_accounts_org_location_gist.ts';
import * as teamPlanning from './2026-11-23T16-00_team_planning.ts';
import * as announce from './2026-11-23T16-10_announce.ts';
import * as territoryPublish from './2026-11-23T16-30_territory_publish.ts';
import * as geocodeJobs from './2026-11-23T16-40_geocode_jobs.ts';
import * as serviceTasks from './2026-11-23T16-50_service_tasks.ts';

/** Every migration, by name. Names are ISO dates so that they sort in order. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-23T09-00_init': init,
  '2026-11-23T12-00_geo_score_double': geoScoreDouble,
  '2026-11-23T12-10_accounts_last_visit': accountsLastVisit,
  '2026-11-23T13-00_address_points': addressPoints,
  '2026-11-23T12-30_imports': imports,
  '2026-11-23T14-00_tours': tours,
  '2026-11-23T14-30_territories': territories,
  '2026-11-23T15-00_accounts_org_location_gist': accountsOrgLocationGist,
  '2026-11-23T16-00_team_planning': teamPlanning,
  '2026-11-23T16-10_announce': announce,
  '2026-11-23T16-30_territory_publish': territoryPublish,
  '2026-11-23T16-40_geocode_jobs': geocodeJobs,
  '2026-11-23T16-50_service_tasks': serviceTasks,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();
