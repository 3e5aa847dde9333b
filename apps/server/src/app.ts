import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '@geocrm/domain';
import { Health } from '@geocrm/contracts';
import { createRepositories, createTransactor, type DbHandle } from '@geocrm/db';
import { createMatrixProvider } from '@geocrm/geo';
import type { Config } from './config.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerValidation } from './http/validation.ts';
import { requireSession } from './http/auth-context.ts';
import { AuthService } from './features/auth/auth.service.ts';
import { authRoutes } from './features/auth/auth.routes.ts';
import { UsersService } from './features/users/users.service.ts';
import { usersRoutes } from './features/users/users.routes.ts';
import { AccountsService } from './features/accounts/accounts.service.ts';
import { accountsRoutes } from './features/accounts/accounts.routes.ts';
import { geoRoutes } from './features/geo/geo.routes.ts';
import { AroundService } from './features/accounts/around.service.ts';
import { geocodeRoutes } from './features/geo/geocode.routes.ts';
import { gazetteerLocator } from './features/geo/text-locator.ts';
import { estimatedDriveSeconds, radiusForDriveSeconds } from './features/geo/drive-time.ts';
import { Geocoding } from './features/geo/geocoding.ts';
import { AddressFilesService } from './features/geo/address-files.service.ts';
import { addressFilesRoutes } from './features/geo/address-files.routes.ts';
import { createGeocodeJobsFeature } from './features/geo/geocode-jobs.feature.ts';
import { geocodeJobsRoutes } from './features/geo/geocode-jobs.routes.ts';
import { selectionExportRoutes } from './features/geo/selection-export.routes.ts';
import { createImportsFeature } from './features/imports/imports.feature.ts';
import { exportsRoutes, importsRoutes } from './features/imports/imports.routes.ts';
import { createToursFeature } from './features/tours/tours.feature.ts';
import { repProfilesRoutes, toursRoutes, visitTypesRoutes, visitsRoutes } from './features/tours/tours.routes.ts';
import { teamPlanRoutes } from './features/tours/team.routes.ts';
import { appointmentsRoutes, createSlotsFeature, opportunitiesRoutes } from './features/tours/slots.routes.ts';
import { TerritoriesService } from './features/territories/territories.service.ts';
import { territoriesRoutes } from './features/territories/territories.routes.ts';
import { AccountScopes } from './features/access/account-scope.ts';
import { createAnnounceFeature } from './features/announce/announce.feature.ts';
import { announceRoutes, tourDayAnnounceRoutes } from './features/announce/announce.routes.ts';
import { createAssignmentFeature } from './features/assignment/assignment.feature.ts';
import { assignmentRoutes } from './features/assignment/assignment.routes.ts';

export interface AppDeps {
  readonly handle: DbHandle;
  readonly config: Pick<Config, 'cookieSecure' | 'sessionDays' | 'loginRateLimit' | 'logLevel' | 'webDist'> & Partial<Pick<Config, 'dataDir' | 'geocoder' | 'matrix' | 'mail'>>;
  /** Pass false to silence request logs (tests). */
  readonly logger?: boolean;
}

const BODY_LIMIT = 1024 * 1024;

/** The composition root: wires repositories → services → routes. */
export const buildApp = async ({ handle, config, logger = true }: AppDeps): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  registerValidation(app);
  // The API speaks JSON only: anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');

  const repos = createRepositories(handle.db);
  const transaction = createTransactor(handle.db);
  const auth = new AuthService({ users: repos.users, sessions: repos.sessions, orgs: repos.orgs, sessionDays: config.sessionDays });
  const users = new UsersService({ users: repos.users, sessions: repos.sessions });
  const geocoding = new Geocoding({ config: config.geocoder ?? { provider: 'embedded' }, points: repos.addressPoints });
  // Cached answers of online geocoders are kept 180 days (their own TTLs are shorter: this bounds the table).
  app.addHook('onReady', async () => {
    await repos.addressPoints.cachePurge(new Date(Date.now() - 180 * 86_400_000));
  });
  const addressFiles = new AddressFilesService({ points: repos.addressPoints, loads: repos.geocodeJobs, transaction, changed: (orgId) => geocoding.forgetPoints(orgId) });
  // The access rule (territories, teams): computed once per request, applied by every account route.
  const scopes = new AccountScopes({ territories: repos.territories, accounts: repos.accounts });
  const accounts = new AccountsService({
    scopes,
    accounts: repos.accounts,
    contacts: repos.contacts,
    users: repos.users,
    transaction,
    geocode: (orgId, address, provider) => geocoding.place(orgId, address, provider),
  });
  const geocodeJobs = createGeocodeJobsFeature(app, { repos, transaction, geocoding });
  const around = new AroundService({ scopes, accounts: repos.accounts, locate: gazetteerLocator, drive: { seconds: estimatedDriveSeconds, radiusFor: radiusForDriveSeconds } });
  // Imports place addresses exactly as the accounts API does (off the main thread when that is the embedded gazetteer).
  const imports = createImportsFeature(app, {
    repos,
    transaction,
    place: (orgId, address) => geocoding.place(orgId, address),
    embeddedOnly: async (orgId) => geocoding.providers.length === 1 && !(await repos.addressPoints.hasPoints(orgId)),
    dataDir: config.dataDir,
    scopes,
  });
  const tours = createToursFeature({ repos, transaction, scopes, ...(config.matrix ? { matrix: createMatrixProvider(config.matrix) } : {}) });
  // team plans are jobs: one left running by a stopped server is marked interrupted; ours stop at shutdown
  app.addHook('onReady', async () => {
    await tours.team.recover();
  });
  app.addHook('onClose', async () => {
    await tours.team.close();
  });
  const slots = createSlotsFeature({ repos, transaction, tours: tours.tours, visits: tours.visits, ...(config.matrix ? { matrix: createMatrixProvider(config.matrix) } : {}) });
  // mail: `.eml` files in DATA_DIR/outbox unless SMTP_URL is set (without a data folder: the OS temp folder)
  const announce = createAnnounceFeature({ repos, dataDir: config.dataDir ?? join(tmpdir(), 'geocrm'), mail: config.mail ?? { smtpUrl: undefined, from: 'GeoCRM <no-reply@geocrm.local>' } });
  app.addHook('onClose', () => {
    announce.mailer.close();
  });
  const territories = new TerritoriesService({ territories: repos.territories, users: repos.users, transaction, scopes });
  const assignment = createAssignmentFeature({ repos, transaction, ...(config.matrix ? { matrix: createMatrixProvider(config.matrix) } : {}) });

  await app.register(swagger, {
    openapi: {
      info: { title: 'GeoCRM API', version: '1', description: 'More visits, fewer kilometres. Errors are `{ code, message, details? }`.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'geocrm_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`, { details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) } }),
  });

  app.decorateRequest('actor', undefined);

  app.get('/api/health', { schema: { tags: ['health'], summary: 'Liveness', security: [], response: { 200: Health } } }, () => ({ status: 'ok' as const }));
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(
    async (v1) => {
      await v1.register(authRoutes, { prefix: '/auth', auth, users: repos.users, cookieSecure: config.cookieSecure, loginRateLimit: config.loginRateLimit });
      await v1.register(async (secured) => {
        // onRequest: authentication comes before validation, so an anonymous caller learns nothing but 401.
        secured.addHook('onRequest', requireSession(auth));
        await secured.register(usersRoutes, { prefix: '/users', users });
        await secured.register(accountsRoutes, { prefix: '/accounts', accounts, around });
        await secured.register(importsRoutes, { prefix: '/imports', imports: imports.service });
        await secured.register(exportsRoutes, { prefix: '/exports', exporter: imports.exporter });
        await secured.register(selectionExportRoutes, { prefix: '/exports/accounts/selection', exporter: imports.exporter });
        await secured.register(geoRoutes, { prefix: '/geo' });
        await secured.register(geocodeRoutes, { prefix: '/geocode', geocoding });
        await secured.register(geocodeJobsRoutes, { prefix: '/geocode/jobs', jobs: geocodeJobs.service });
        await secured.register(addressFilesRoutes, { prefix: '/geo/address-files', files: addressFiles });
        await secured.register(toursRoutes, { prefix: '/tours', tours: tours.tours });
        await secured.register(teamPlanRoutes, { prefix: '/tours/team-plans', team: tours.team });
        await secured.register(repProfilesRoutes, { prefix: '/rep-profiles', visits: tours.visits });
        await secured.register(visitTypesRoutes, { prefix: '/visit-types', visits: tours.visits });
        await secured.register(visitsRoutes, { prefix: '/visits', visits: tours.visits });
        await secured.register(opportunitiesRoutes, { prefix: '/opportunities', opportunities: slots.opportunities });
        await secured.register(appointmentsRoutes, { prefix: '/appointments', slots: slots.slots });
        await secured.register(territoriesRoutes, { prefix: '/territories', territories });
        await secured.register(tourDayAnnounceRoutes, { prefix: '/tours', announce: announce.service });
        await secured.register(announceRoutes, { prefix: '/announce', announce: announce.service });
        await secured.register(assignmentRoutes, { prefix: '/assignment', feature: assignment });
      });
    },
    { prefix: '/api/v1' },
  );

  const webIndex = join(config.webDist, 'index.html');
  const serveWeb = existsSync(webIndex);
  // wildcard: files are looked up on disk per request, so a rebuilt app is served without a restart;
  // a missing file falls through to the not-found handler (SPA fallback below).
  if (serveWeb) await app.register(fastifyStatic, { root: config.webDist, wildcard: true });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (serveWeb && request.method === 'GET' && !path.startsWith('/api/') && path !== '/api') return reply.sendFile('index.html');
    throw new AppError('NOT_FOUND', `No route ${request.method} ${path}`);
  });

  return app;
};
