/**
 * `npm run bench:tours [-- --runs 5 --visits 60 --rep 6]`: plans one rep's week (5 days) with N
 * candidate visits on demo data (the demo generator's 2,000 accounts over French places; the rep's
 * own accounts, nearest to their home), through ToursService.plan — repository reads, the estimated
 * matrix, the optimiser in its worker thread, the timeline — on PGlite. Visits: most with the whole
 * week as window, some with two days, some with a morning time of day, a few booked appointments;
 * accounts keep the demo opening hours. Target: < 2 s. Prints a table, the medians, then one JSON line.
 * Times: wall clock and CPU (process.cpuUsage, all threads: the optimiser worker included).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRepositories, createTransactor } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import { hashPassword } from '../src/features/auth/password.ts';
import { generateDemoData } from '../src/features/demo/demo-data.ts';
import { demoPlaces } from '../src/features/demo/demo-seed.ts';
import { createToursFeature } from '../src/features/tours/tours.feature.ts';
import { addDays, instantOf, isoWeekday, openAt, todayIn } from '../src/features/tours/time.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, visits: { type: 'string', default: '60' }, rep: { type: 'string', default: '6' } } });
const RUNS = Number(values.runs);
const VISITS = Number(values.visits);
const TZ = 'Europe/Paris';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

let state = 4242;
const random = (): number => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};

const handle = await createTestDb();
const repos = createRepositories(handle.db);
const transaction = createTransactor(handle.db);
const data = generateDemoData(demoPlaces(), { accounts: 2000 });
const org = await repos.orgs.create('Bench tours');
const hash = await hashPassword('bench-password');
const ids = new Map<string, string>();
for (const u of data.users) {
  ids.set(u.key, (await repos.users.insert({ orgId: org.id, email: u.email, name: u.name, role: u.role, passwordHash: hash, ...(u.home ? { home: u.home } : {}) })).id);
}
const accountIds = await repos.accounts.insertMany(
  org.id,
  data.accounts.map(({ ownerKey, contacts: _c, lastVisitDaysAgo: _l, ...a }) => ({ ...a, ownerId: ownerKey === null ? null : (ids.get(ownerKey) ?? null) })),
);
const repKey = `rep${String(Number(values.rep)).padStart(2, '0')}`;
const rep = data.users.find((u) => u.key === repKey);
const repId = ids.get(repKey);
const managerId = ids.get('manager');
if (!rep?.home || repId === undefined || managerId === undefined) throw new Error(`no ${repKey} with a home`);
await repos.tours.upsertProfile(org.id, repId, {
  workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }])),
  lunch: { from: '12:00', to: '14:00', minutes: 60 },
  maxDailyDrivingMinutes: 360,
  costPerKmCents: 35,
  hotelNightCents: 9000,
  mealCents: 1500,
  skills: ['gas'],
});
const types = [
  await repos.tours.insertVisitType(org.id, { name: 'Follow-up', durationMinutes: 30, requiredSkills: [], defaultPriority: 50 }),
  await repos.tours.insertVisitType(org.id, { name: 'Prospecting', durationMinutes: 45, requiredSkills: [], defaultPriority: 40 }),
  await repos.tours.insertVisitType(org.id, { name: 'Maintenance', durationMinutes: 90, requiredSkills: ['gas'], defaultPriority: 70 }),
];

let monday = addDays(todayIn(TZ), 1);
while (isoWeekday(monday) !== 1) monday = addDays(monday, 1);
const friday = addDays(monday, 4);
const owned = data.accounts.flatMap((a, i) => (a.ownerKey === repKey ? [{ account: a, id: accountIds[i] ?? '' }] : []));
for (let i = owned.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [owned[i], owned[j]] = [owned[j] ?? owned[i], owned[i] ?? owned[j]] as [(typeof owned)[number], (typeof owned)[number]];
}
let appointments = 0;
for (const [i, { account, id }] of owned.slice(0, VISITS).entries()) {
  const type = types[i % types.length] ?? types[0];
  if (!type) continue;
  const base = { accountId: id, visitTypeId: type.id, assignedUserId: repId, priority: type.defaultPriority, notes: '', createdBy: managerId };
  if (i % 20 === 0) {
    // an appointment at 10:00 or 15:00 on Tuesday–Thursday, where the account is open then
    const date = addDays(monday, 1 + (i % 3));
    const at = instantOf(date, i % 40 === 0 ? 600 : 900, TZ);
    if (openAt(account.openingHours, at, type.durationMinutes * 60, TZ)) {
      await repos.tours.insertVisit(org.id, { ...base, appointmentAt: new Date(at * 1000), windowFrom: null, windowTo: null, timeFrom: null, timeTo: null });
      appointments += 1;
      continue;
    }
  }
  const twoDays = i % 5 === 1;
  const from = twoDays ? addDays(monday, i % 4) : monday;
  await repos.tours.insertVisit(org.id, {
    ...base,
    appointmentAt: null,
    windowFrom: from,
    windowTo: twoDays ? addDays(from, 1) : friday,
    timeFrom: i % 7 === 3 ? '08:30' : null,
    timeTo: i % 7 === 3 ? '12:00' : null,
  });
}

const { tours } = createToursFeature({ repos, transaction });
const actor = { userId: managerId, orgId: org.id, role: 'manager' as const, name: 'Bench' };
const rows: { run: number; wallMs: number; cpuMs: number; placed: number; unplaced: number; km: number; drivingH: number; nights: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const plan = await tours.plan(actor, { userId: repId, from: monday, days: 5 });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  rows.push({ run: run + 1, wallMs: Math.round(wallMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000), placed: plan.totals.visits, unplaced: plan.unplaced.length, km: plan.totals.km, drivingH: plan.totals.drivingHours, nights: plan.totals.hotelNights });
  if (run === 0) {
    const reasons: Record<string, number> = {};
    for (const u of plan.unplaced) reasons[u.reason] = (reasons[u.reason] ?? 0) + 1;
    console.log(`rep ${rep.name} (${rep.home.label}), ${owned.length} own accounts, ${Math.min(VISITS, owned.length)} visits (${appointments} appointments), week of ${monday}; unplaced by reason: ${JSON.stringify(reasons)}`);
    for (const d of plan.days) console.log(`  ${d.date}: ${d.stops.length} stops, ${Math.round(d.distanceMetres / 1000)} km, ${Math.round(d.drivingSeconds / 60)} min driving, night ${d.night.stay}`);
  }
}
console.log('\n| run | wall ms | CPU ms | placed | unplaced | km | driving h | hotel nights |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.run} | ${r.wallMs} | ${r.cpuMs} | ${r.placed} | ${r.unplaced} | ${r.km} | ${r.drivingH} | ${r.nights} |`);
const result = {
  bench: 'tours',
  visits: Math.min(VISITS, owned.length),
  days: 5,
  runs: RUNS,
  medianWallMs: median(rows.map((r) => r.wallMs)),
  medianCpuMs: median(rows.map((r) => r.cpuMs)),
  placed: rows[0]?.placed ?? 0,
  unplaced: rows[0]?.unplaced ?? 0,
  km: rows[0]?.km ?? 0,
  targetMs: 2000,
  cpus: cpus().length,
  load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
};
console.log(`\nmedian: ${result.medianWallMs} ms wall, ${result.medianCpuMs} ms CPU (target < 2000 ms)`);
console.log(JSON.stringify(result));
await handle.close();
