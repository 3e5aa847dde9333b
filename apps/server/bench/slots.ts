/**
 * `npm run bench:slots [-- --runs 7 --reps 20 --visits 40 --accounts 12000]`: the appointment assistant (F-TOUR-4) for
 * one account across 20 reps' weeks. On PGlite: demo accounts (the demo generator's, 12,000 over French
 * places); 20 reps living in the region around the target account (homes on demo accounts spread by
 * distance from it, out to ~150 km); each rep's week planned by the optimiser from the N accounts nearest
 * to their home (window = the week, demo opening hours) and SAVED as a 5-day tour (realistic density:
 * what the planner fits, ~6–8 visits a day). Then SlotsService.propose for the target account, a 30 min
 * visit over the week, all reps, 5 slots — repository reads, one estimated matrix per rep, insertion
 * ranking and re-timing. Target: < 1 s. Prints a table, the median, then one JSON line.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRepositories, createTransactor } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import { haversineMeters } from '@geocrm/domain';
import { hashPassword } from '../src/features/auth/password.ts';
import { generateDemoData } from '../src/features/demo/demo-data.ts';
import { demoPlaces } from '../src/features/demo/demo-seed.ts';
import { createSlotsFeature } from '../src/features/tours/slots.routes.ts';
import { createToursFeature } from '../src/features/tours/tours.feature.ts';
import { addDays, isoWeekday, todayIn } from '../src/features/tours/time.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, reps: { type: 'string', default: '20' }, visits: { type: 'string', default: '40' }, accounts: { type: 'string', default: '12000' } } });
const RUNS = Number(values.runs);
const REPS = Number(values.reps);
const VISITS = Number(values.visits);
const TZ = 'Europe/Paris';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const metres = (a: { lng: number; lat: number }, b: { lng: number; lat: number }): number => haversineMeters([a.lng, a.lat], [b.lng, b.lat]);

const setup0 = performance.now();
const handle = await createTestDb();
const repos = createRepositories(handle.db);
const transaction = createTransactor(handle.db);
const data = generateDemoData(demoPlaces(), { accounts: Number(values.accounts) });
const org = await repos.orgs.create('Bench slots');
const hash = await hashPassword('bench-password');
const manager = await repos.users.insert({ orgId: org.id, email: 'manager@bench.test', name: 'Bench manager', role: 'manager', passwordHash: hash });
const accounts = data.accounts.filter((a) => a.location !== null && (a.kind === 'client' || a.kind === 'prospect'));
const accountIds = await repos.accounts.insertMany(
  org.id,
  accounts.map(({ ownerKey: _o, contacts: _c, lastVisitDaysAgo: _l, ...a }) => ({ ...a, ownerId: null })),
);
const placed = accounts.map((a, i) => ({ id: accountIds[i] ?? '', name: a.name, location: a.location ?? { lng: 0, lat: 0 } }));
// the target: the account nearest to Lyon's centre (a dense region)
const lyon = { lng: 4.85, lat: 45.76 };
const target = [...placed].sort((a, b) => metres(a.location, lyon) - metres(b.location, lyon))[0];
if (!target) throw new Error('no account');
const byDistance = placed.filter((a) => a.id !== target.id).sort((a, b) => metres(a.location, target.location) - metres(b.location, target.location));
const region = byDistance.filter((a) => metres(a.location, target.location) <= 150_000);
const homes = Array.from({ length: REPS }, (_, i) => region[Math.floor((i * region.length) / REPS)] ?? region[0]).filter((a) => a !== undefined);

const visitType = await repos.tours.insertVisitType(org.id, { name: 'Follow-up', durationMinutes: 30, requiredSkills: [], defaultPriority: 50 });
let monday = addDays(todayIn(TZ), 1);
while (isoWeekday(monday) !== 1) monday = addDays(monday, 1);
const friday = addDays(monday, 4);
const { tours, visits } = createToursFeature({ repos, transaction, timeLimitMs: 600 });
const actor = { userId: manager.id, orgId: org.id, role: 'manager' as const, name: 'Bench' };
const used = new Set<string>([target.id]);
let savedStops = 0;
for (const [r, home] of homes.entries()) {
  const rep = await repos.users.insert({ orgId: org.id, email: `rep${r}@bench.test`, name: `Rep ${String(r + 1).padStart(2, '0')}`, role: 'rep', passwordHash: hash, home: { label: home.name, lng: home.location.lng, lat: home.location.lat } });
  await repos.tours.upsertProfile(org.id, rep.id, {
    workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }])),
    lunch: { from: '12:00', to: '14:00', minutes: 60 },
    maxDailyDrivingMinutes: 300,
    costPerKmCents: 35,
  });
  const own = placed
    .filter((a) => !used.has(a.id))
    .sort((a, b) => metres(a.location, home.location) - metres(b.location, home.location))
    .slice(0, VISITS);
  for (const a of own) {
    used.add(a.id);
    await repos.tours.insertVisit(org.id, { accountId: a.id, visitTypeId: visitType.id, assignedUserId: rep.id, appointmentAt: null, windowFrom: monday, windowTo: friday, timeFrom: null, timeTo: null, priority: 50, notes: '', createdBy: manager.id });
  }
  const plan = await tours.plan(actor, { userId: rep.id, from: monday, days: 5 });
  const days = plan.days.filter((d) => d.stops.length > 0).map((d) => ({ date: d.date, visitIds: d.stops.map((s) => s.visitId), night: d.night.stay }));
  if (days.length) {
    const saved = await tours.save(actor, { userId: rep.id, days });
    savedStops += saved.totals.visits;
  }
}
const setupS = Math.round((performance.now() - setup0) / 1000);

const { slots } = createSlotsFeature({ repos, transaction, tours, visits });
const rows: { run: number; wallMs: number; cpuMs: number; slots: number; daysSearched: number; best: string }[] = [];
for (let run = 0; run < RUNS; run++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await slots.propose(actor, { accountId: target.id, visitTypeId: visitType.id, from: monday, to: friday, count: 5 });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const best = res.items[0];
  rows.push({
    run: run + 1,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    slots: res.items.length,
    daysSearched: res.daysSearched,
    best: best ? `${best.userName} ${best.date} +${best.extraKm} km +${best.extraMinutes} min, ${best.moves.length} moves` : '-',
  });
}
console.log(`target ${target.name}; ${homes.length} reps within 150 km, ${savedStops} saved stops over their weeks (${(savedStops / homes.length / 5).toFixed(1)} a day), week of ${monday}; setup ${setupS} s`);
console.log('\n| run | wall ms | CPU ms | slots | rep-days | best slot |\n| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.run} | ${r.wallMs} | ${r.cpuMs} | ${r.slots} | ${r.daysSearched} | ${r.best} |`);
const result = {
  bench: 'slots',
  reps: homes.length,
  days: 5,
  savedStops,
  runs: RUNS,
  medianWallMs: median(rows.map((r) => r.wallMs)),
  medianCpuMs: median(rows.map((r) => r.cpuMs)),
  firstRunMs: rows[0]?.wallMs ?? 0,
  targetMs: 1000,
  cpus: cpus().length,
  load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
};
console.log(`\nmedian: ${result.medianWallMs} ms wall, ${result.medianCpuMs} ms CPU (target < 1000 ms); load ${result.load1} on ${result.cpus} CPUs`);
console.log(JSON.stringify(result));
await handle.close();
