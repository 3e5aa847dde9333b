/**
 * `npm run bench:tours:team [-- --runs 3 --reps 20 --visits 1000 --mode both|own|cross]`: plans a team of
 * 20 reps over 5 days with 1,000 candidate visits through the TeamPlanningService job (repository reads,
 * estimated matrices, the optimiser in worker threads, the timelines, the job's progress in the database)
 * on an in-memory PGlite. Synthetic but realistic org in Auvergne-Rhône-Alpes: rep homes spread over
 * the region's towns (farthest-point choice among towns of 5,000+), accounts drawn from its communes by
 * population^0.75 and owned by the nearest rep; opening hours (most Mon–Fri 08:30–12:00 / 14:00–18:30,
 * some closed on Wednesday, some mornings only, some 24/7); ~2 booked appointments per rep per day at
 * 10:00 and 15:00; the other visits with a whole-week, two-day or one-day window, some mornings only;
 * types of 30, 45 and 90 minutes (90: gas skill, which 14 of the 20 reps have). Target: < 60 s with
 * progress shown. Prints progress, a table, the medians, then one JSON line per mode.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { OpeningHours } from '@geocrm/domain';
import { createRepositories, createTransactor } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import { loadFrenchCommunes } from '@geocrm/geo';
import { hashPassword } from '../src/features/auth/password.ts';
import { createToursFeature } from '../src/features/tours/tours.feature.ts';
import { addDays, instantOf, isoWeekday, openAt, todayIn } from '../src/features/tours/time.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    reps: { type: 'string', default: '20' },
    visits: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'both' },
    limit: { type: 'string', default: '40' },
  },
});
const RUNS = Number(values.runs);
const REPS = Number(values.reps);
const VISITS = Number(values.visits);
const LIMIT_S = Number(values.limit);
const TZ = 'Europe/Paris';
const REGION = '84'; // Auvergne-Rhône-Alpes

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
let state = 20_261_123;
const random = (): number => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};
const km = (a: { lng: number; lat: number }, b: { lng: number; lat: number }): number => {
  const x = (b.lng - a.lng) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180)) * 111.32;
  const y = (b.lat - a.lat) * 110.57;
  return Math.sqrt(x * x + y * y);
};

// ---- the org ----
const towns = loadFrenchCommunes().flatMap((c) => (c.region === REGION && c.location && c.kind === 'commune' ? [{ name: c.name, postcode: c.postcodes[0] ?? '', population: c.population, lng: c.location[0], lat: c.location[1] }] : []));
const big = towns.filter((t) => t.population >= 5_000).sort((a, b) => b.population - a.population);
const first = big[0] ?? towns[0];
if (!first) throw new Error('no town in the region');
const homes = [first];
while (homes.length < REPS) {
  let best = first;
  let bestD = -1;
  for (const t of big) {
    const d = Math.min(...homes.map((h) => (h ? km(h, t) : 0)));
    if (d > bestD) [best, bestD] = [t, d];
  }
  homes.push(best);
}
const town0 = first;
const weights = towns.map((t) => Math.pow(Math.max(1, t.population), 0.75));
const total = weights.reduce((s, w) => s + w, 0);
const pickTown = (): (typeof towns)[number] => {
  let r = random() * total;
  for (let i = 0; i < towns.length; i++) {
    r -= weights[i] ?? 0;
    if (r <= 0) return towns[i] ?? town0;
  }
  return towns[towns.length - 1] ?? town0;
};
const weekly = (days: number[], spans: { from: string; to: string }[]): OpeningHours['weekly'] => Object.fromEntries(days.map((d) => [String(d), spans]));
const hoursFor = (i: number): OpeningHours => {
  const r = i % 20;
  if (r < 13) return { weekly: weekly([1, 2, 3, 4, 5], [{ from: '08:30', to: '12:00' }, { from: '14:00', to: '18:30' }]), exceptions: [] };
  if (r < 16) return { weekly: weekly([1, 2, 4, 5], [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }]), exceptions: [] };
  if (r < 18) return { weekly: weekly([1, 2, 3, 4, 5, 6], [{ from: '08:00', to: '12:30' }]), exceptions: [] };
  return { weekly: {}, exceptions: [] }; // no hours given: open
};

const handle = await createTestDb();
const repos = createRepositories(handle.db);
const transaction = createTransactor(handle.db);
const org = await repos.orgs.create('Bench team');
const hash = await hashPassword('bench-password');
const manager = await repos.users.insert({ orgId: org.id, email: 'manager@bench.test', name: 'Manager', role: 'manager', passwordHash: hash });
const reps: { id: string; home: { lng: number; lat: number }; name: string }[] = [];
for (const [i, home] of homes.entries()) {
  if (!home) continue;
  const u = await repos.users.insert({ orgId: org.id, email: `rep${i}@bench.test`, name: `Rep ${String(i + 1).padStart(2, '0')} ${home.name}`, role: 'rep', passwordHash: hash, home: { label: home.name, lng: home.lng, lat: home.lat } });
  await repos.tours.upsertProfile(org.id, u.id, {
    workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }])),
    lunch: { from: '12:00', to: '14:00', minutes: 60 },
    maxDailyDrivingMinutes: 360,
    costPerKmCents: 35,
    hotelNightCents: 9000,
    mealCents: 1500,
    skills: i % 10 < 7 ? ['gas'] : [],
  });
  reps.push({ id: u.id, home: { lng: home.lng, lat: home.lat }, name: u.name });
}
const types = [
  await repos.tours.insertVisitType(org.id, { name: 'Suivi', durationMinutes: 30, requiredSkills: [], defaultPriority: 50 }),
  await repos.tours.insertVisitType(org.id, { name: 'Prospection', durationMinutes: 45, requiredSkills: [], defaultPriority: 40 }),
  await repos.tours.insertVisitType(org.id, { name: 'Maintenance gaz', durationMinutes: 90, requiredSkills: ['gas'], defaultPriority: 70 }),
];
const accounts = Array.from({ length: VISITS }, (_, i) => {
  const t = pickTown();
  const angle = random() * 2 * Math.PI;
  const d = 0.15 + random() * 0.65; // km from the commune's point
  const loc = { lng: t.lng + (d / (111.32 * Math.cos((t.lat * Math.PI) / 180))) * Math.cos(angle), lat: t.lat + (d / 110.57) * Math.sin(angle) };
  let owner = reps[0];
  for (const r of reps) if (owner && km(r.home, loc) < km(owner.home, loc)) owner = r;
  return { name: `Client ${i} ${t.name}`, loc, owner: owner?.id ?? null, hours: hoursFor(i), town: t };
});
const accountIds = await repos.accounts.insertMany(
  org.id,
  accounts.map((a) => ({
    kind: 'client' as const,
    name: a.name,
    ownerId: a.owner,
    address: { line1: '1 rue de la Gare', line2: '', postcode: a.town.postcode, city: a.town.name, country: 'FR' },
    location: a.loc,
    geo: { precision: 'street' as const, source: 'manual' as const, manual: true, score: 1 },
    openingHours: a.hours,
  })),
);

let monday = addDays(todayIn(TZ), 1);
while (isoWeekday(monday) !== 1) monday = addDays(monday, 1);
const friday = addDays(monday, 4);
// two appointments per rep per working day (10:00 and 15:00) on accounts of theirs open then; the rest windows
const used = new Set<number>();
let appointments = 0;
for (const rep of reps) {
  const own = accounts.flatMap((a, i) => (a.owner === rep.id ? [i] : []));
  for (let day = 0; day < 5; day++) {
    for (const minutes of [600, 900]) {
      const date = addDays(monday, day);
      const at = instantOf(date, minutes, TZ);
      const type = types[0];
      const i = own.find((k) => !used.has(k) && type !== undefined && openAt(accounts[k]?.hours ?? { weekly: {}, exceptions: [] }, at, type.durationMinutes * 60, TZ));
      if (i === undefined || !type) continue;
      used.add(i);
      appointments += 1;
      await repos.tours.insertVisit(org.id, {
        accountId: accountIds[i] ?? '',
        visitTypeId: type.id,
        assignedUserId: rep.id,
        appointmentAt: new Date(at * 1000),
        windowFrom: null,
        windowTo: null,
        timeFrom: null,
        timeTo: null,
        priority: 80,
        notes: '',
        createdBy: manager.id,
      });
    }
  }
}
for (let i = 0; i < accounts.length; i++) {
  if (used.has(i)) continue;
  const r = random();
  const type = r < 0.5 ? types[0] : r < 0.85 ? types[1] : types[2];
  if (!type) continue;
  const w = random();
  const from = w < 0.6 ? monday : addDays(monday, Math.floor(random() * (w < 0.85 ? 4 : 5)));
  const to = w < 0.6 ? friday : w < 0.85 ? addDays(from, 1) : from;
  const morning = i % 7 === 3;
  await repos.tours.insertVisit(org.id, {
    accountId: accountIds[i] ?? '',
    visitTypeId: type.id,
    assignedUserId: null,
    appointmentAt: null,
    windowFrom: from,
    windowTo: to,
    timeFrom: morning ? '08:30' : null,
    timeTo: morning ? '12:00' : null,
    priority: Math.max(0, Math.min(99, type.defaultPriority + Math.floor(random() * 21) - 10)),
    notes: '',
    createdBy: manager.id,
  });
}
console.log(
  `org: ${reps.length} reps (homes ${homes
    .slice(0, 6)
    .map((h) => h?.name)
    .join(', ')}…), ${accounts.length} visits (${appointments} appointments), week of ${monday}; ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const { team } = createToursFeature({ repos, transaction, team: { timeLimitMs: LIMIT_S * 1000 } });
const actor = { userId: manager.id, orgId: org.id, role: 'manager' as const, name: 'Bench' };
const modes = values.mode === 'own' ? [false] : values.mode === 'cross' ? [true] : [false, true];
for (const cross of modes) {
  const rows: { run: number; wallMs: number; firstAnswerMs: number | null; cpuMs: number; placed: number; unplaced: number; km: number; drivingH: number; nights: number; costEur: number; mode: string; load: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const load = loadavg()[0] ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const job = await team.start(actor, { from: monday, days: 5, allowCrossTerritory: cross });
    let firstAnswerMs: number | null = null;
    let last = '';
    const ticker = setInterval(() => {
      void team.get(actor, job.id).then((j) => {
        if (firstAnswerMs === null && j.progress.bestCostCents !== null) firstAnswerMs = Math.round(performance.now() - t0);
        const line = `  ${(j.progress.elapsedMs / 1000).toFixed(1).padStart(5)} s ${j.progress.phase.padEnd(9)} ${String(j.progress.percent).padStart(3)} % ${j.progress.problemsDone}/${j.progress.problemsTotal} problems, placed ${j.progress.visitsPlaced ?? '–'}, best ${j.progress.bestCostCents === null ? '–' : `${Math.round(j.progress.bestCostCents / 100)} €`} — ${j.progress.message}`;
        if (run === 0 && line !== last) console.log(line);
        last = line;
      });
    }, 2_000);
    await team.settled(job.id);
    clearInterval(ticker);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const done = await team.get(actor, job.id);
    const result = done.result;
    if (!result) throw new Error(`job ${done.status}: ${done.error ?? ''}`);
    rows.push({
      run: run + 1,
      wallMs: Math.round(wallMs),
      firstAnswerMs,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      placed: result.totals.visits,
      unplaced: result.unassigned.length,
      km: Math.round(result.totals.km),
      drivingH: Math.round(result.totals.drivingHours),
      nights: result.totals.hotelNights,
      costEur: Math.round(result.totals.costCents / 100),
      mode: result.mode,
      load: Math.round(load * 100) / 100,
    });
    if (run === 0) {
      const reasons: Record<string, number> = {};
      for (const u of result.unassigned) reasons[u.reason] = (reasons[u.reason] ?? 0) + 1;
      const appts = result.reps.reduce((s, r) => s + r.plan.days.reduce((t, d) => t + d.stops.filter((x) => x.appointment).length, 0), 0);
      const booked = new Set((await repos.tours.planningVisits(org.id, { statuses: ['planned'] })).filter((v) => v.appointmentAt !== null).map((v) => v.id));
      for (const u of result.unassigned.filter((x) => booked.has(x.visitId))) console.log(`  appointment not placed: ${u.accountName} (${u.reason}: ${u.message})`);
      console.log(`  ${cross ? 'crossing allowed' : 'own territory'}: ${result.totals.candidateVisits} candidates, placed ${result.totals.visits} (appointments ${appts}/${appointments}), unplaced by reason ${JSON.stringify(reasons)}, invalid rep plans ${result.reps.filter((r) => !r.plan.valid).length}`);
    }
  }
  console.log(`\n${cross ? 'crossing allowed' : 'own territory'}\n| run | wall s | first answer s | CPU s (all threads) | mode | placed | unplaced | km | driving h | hotel nights | cost € | load 1 min |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const r of rows) {
    console.log(`| ${r.run} | ${(r.wallMs / 1000).toFixed(1)} | ${r.firstAnswerMs === null ? '–' : (r.firstAnswerMs / 1000).toFixed(1)} | ${(r.cpuMs / 1000).toFixed(1)} | ${r.mode} | ${r.placed} | ${r.unplaced} | ${r.km} | ${r.drivingH} | ${r.nights} | ${r.costEur} | ${r.load} |`);
  }
  const out = {
    bench: 'tours:team',
    crossing: cross,
    reps: reps.length,
    visits: accounts.length,
    appointments,
    days: 5,
    runs: RUNS,
    timeLimitS: LIMIT_S,
    medianWallMs: median(rows.map((r) => r.wallMs)),
    medianCpuMs: median(rows.map((r) => r.cpuMs)),
    medianPlaced: median(rows.map((r) => r.placed)),
    medianKm: median(rows.map((r) => r.km)),
    medianHotelNights: median(rows.map((r) => r.nights)),
    medianCostEur: median(rows.map((r) => r.costEur)),
    targetMs: 60_000,
    cpus: cpus().length,
    load1: median(rows.map((r) => r.load)),
  };
  console.log(`\nmedian: ${(out.medianWallMs / 1000).toFixed(1)} s wall (target < 60 s), placed ${out.medianPlaced}, ${out.medianKm} km, ${out.medianHotelNights} hotel nights`);
  console.log(JSON.stringify(out));
}
await handle.close();
