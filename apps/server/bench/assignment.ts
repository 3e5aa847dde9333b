/**
 * `npm run bench:assignment [-- --runs 3 --tasks 200 --techs 15 --days 5 --time-limit 10]`: automatic
 * assignment of service tasks (F-TOUR-7) as the server runs it — the estimated matrix, ONE multi-vehicle
 * problem (vehicle = technician, shifts = available days) solved in a worker thread, read back — on a
 * synthetic but fixed case: technicians' homes and tasks spread over a 150 × 110 km area around Lyon,
 * 45–120 min tasks, 30 % needing 'gas' (6 of the technicians have it), 15 % 'elec' (4 have it), a quarter
 * due inside the horizon, priorities 10–90, two technicians away one day each, accounts open 08:00–18:00
 * on weekdays. Each run solves it twice: with the per-day work cap (balance) and travel only, to
 * measure what the cap costs in km and gains in spread. Prints a table, the medians, then one JSON line.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { lngLat } from '@geocrm/domain';
import { createEstimatedMatrixProvider, toTravelMatrix } from '@geocrm/geo';
import { solveInWorker } from '@geocrm/optimizer';
import { assignTasks, workloadSpread, type AssignInput, type AssignTask, type AssignTechnician } from '../src/features/assignment/auto-assign.ts';
import { addDays, isoWeekday } from '../src/features/tours/time.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    tasks: { type: 'string', default: '200' },
    techs: { type: 'string', default: '15' },
    days: { type: 'string', default: '5' },
    'time-limit': { type: 'string', default: '10' },
    slack: { type: 'string', default: '' },
  },
});
const RUNS = Number(values.runs);
const TASKS = Number(values.tasks);
const TECHS = Number(values.techs);
const DAYS = Number(values.days);
const TIME_LIMIT_MS = Number(values['time-limit']) * 1000;
const SLACK = values.slack === '' ? undefined : Number(values.slack);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

let state = 7_001;
const random = (): number => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};

// a Monday, so that the horizon is a working week
let first = addDays(new Date().toISOString().slice(0, 10), 1);
while (isoWeekday(first) !== 1) first = addDays(first, 1);
const dates = Array.from({ length: DAYS }, (_, i) => addDays(first, i));
const WEEK = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ from: '08:00', to: '18:00' }]]));
const HOURS = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:00', to: '17:30' }]));
const BOX = { lng: [4.3, 5.95], lat: [45.05, 46.05] } as const;
const place = (): [number, number] => [BOX.lng[0] + random() * (BOX.lng[1] - BOX.lng[0]), BOX.lat[0] + random() * (BOX.lat[1] - BOX.lat[0])];

const points: [number, number][] = [];
const technicians: AssignTechnician[] = Array.from({ length: TECHS }, (_, i) => {
  points.push(place());
  const skills = [...(i % 5 < 2 || i === 12 ? ['gas'] : []), ...(i % 4 === 1 ? ['elec'] : [])];
  const absences = new Map<string, string>(i === 3 ? [[dates[1] ?? first, 'Training']] : i === 8 ? [[dates[3] ?? first, 'Day off']] : []);
  return { userId: `tech-${String(i)}`, name: `Tech ${String(i)}`, skills, homeLoc: i, workingHours: HOURS, lunch: { from: '12:00', to: '14:00', minutes: 45 }, maxDailyDrivingSeconds: null, costPerKmCents: 30, absences };
});
const tasks: AssignTask[] = Array.from({ length: TASKS }, (_, i) => {
  points.push(place());
  const r = random();
  const skills = r < 0.3 ? ['gas'] : r < 0.45 ? ['elec'] : [];
  const due = random() < 0.25 ? (dates[Math.floor(random() * DAYS)] ?? null) : null;
  return {
    id: `task-${String(i)}`,
    title: `Task ${String(i)}`,
    accountName: `Account ${String(i)}`,
    loc: TECHS + i,
    serviceSeconds: (45 + Math.floor(random() * 6) * 15) * 60,
    skills,
    dueDate: due,
    priority: 10 + Math.floor(random() * 9) * 10,
    openingHours: { weekly: WEEK, exceptions: [] },
    territoryUserIds: [],
  };
});
const serviceHours = tasks.reduce((s, t) => s + t.serviceSeconds, 0) / 3600;
const capacityHours = technicians.reduce((s, t) => s + dates.filter((d) => HOURS[String(isoWeekday(d))] && !t.absences.has(d)).length, 0) * (9.5 - 0.75);

interface Row {
  run: number;
  balance: 'cap' | 'none';
  ms: number;
  assigned: number;
  late: number;
  km: number;
  workHours: number;
  minHours: number;
  maxHours: number;
  stdevHours: number;
  cv: number;
  capMinutes: number | null;
  solves: number;
  load: number;
}

const provider = createEstimatedMatrixProvider();
const rows: Row[] = [];
for (let run = 1; run <= RUNS; run++) {
  for (const balance of ['cap', 'none'] as const) {
    const load = loadavg()[0] ?? 0;
    const started = performance.now();
    const matrix = toTravelMatrix(await provider.matrix(points.map(([lng, lat]) => lngLat(lng, lat))));
    const input: AssignInput = { dates, timeZone: 'Europe/Paris', matrix, technicians, tasks, balance, respectTerritory: false, ...(SLACK === undefined ? {} : { balanceSlack: SLACK }) };
    const result = await assignTasks(input, solveInWorker, { timeLimitMs: TIME_LIMIT_MS });
    const ms = performance.now() - started;
    const days = result.technicians.flatMap((t) => t.days);
    const spread = workloadSpread(result.technicians);
    rows.push({
      run,
      balance,
      ms: Math.round(ms),
      assigned: days.reduce((s, d) => s + d.stops.length, 0),
      late: days.reduce((s, d) => s + d.stops.filter((x) => x.late).length, 0),
      km: Math.round(days.reduce((s, d) => s + d.distanceMetres, 0) / 1000),
      workHours: Math.round(days.reduce((s, d) => s + d.serviceSeconds + d.drivingSeconds, 0) / 360) / 10,
      minHours: spread.minHours,
      maxHours: spread.maxHours,
      stdevHours: spread.stdevHours,
      cv: spread.cv,
      capMinutes: result.dailyCapMinutes,
      solves: result.solves,
      load: Math.round(load * 10) / 10,
    });
    const r = rows[rows.length - 1];
    if (r) console.log(`run ${String(run)} ${balance.padEnd(4)} ${String(r.ms).padStart(6)} ms  assigned ${String(r.assigned)}/${String(TASKS)}  late ${String(r.late)}  ${String(r.km)} km  work ${String(r.workHours)} h  per tech ${String(r.minHours)}–${String(r.maxHours)} h σ ${String(r.stdevHours)} cv ${String(r.cv)}  cap ${String(r.capMinutes ?? '—')}  solves ${String(r.solves)}  load ${String(r.load)}`);
  }
}

const summary = (balance: 'cap' | 'none') => {
  const rs = rows.filter((r) => r.balance === balance);
  return {
    balance,
    medianMs: median(rs.map((r) => r.ms)),
    assigned: median(rs.map((r) => r.assigned)),
    late: median(rs.map((r) => r.late)),
    km: median(rs.map((r) => r.km)),
    workHours: median(rs.map((r) => r.workHours)),
    minHours: median(rs.map((r) => r.minHours)),
    maxHours: median(rs.map((r) => r.maxHours)),
    stdevHours: median(rs.map((r) => r.stdevHours)),
    cv: median(rs.map((r) => r.cv)),
    capMinutes: rs[0]?.capMinutes ?? null,
    solves: median(rs.map((r) => r.solves)),
  };
};
const out = [summary('cap'), summary('none')];
console.log('');
console.log('| balance | median time | assigned | late | km | work h | per technician (min–max) | σ h | cv | daily cap | solves |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const s of out) {
  console.log(`| ${s.balance} | ${(s.medianMs / 1000).toFixed(1)} s | ${String(s.assigned)}/${String(TASKS)} | ${String(s.late)} | ${String(s.km)} | ${String(s.workHours)} | ${String(s.minHours)}–${String(s.maxHours)} h | ${String(s.stdevHours)} | ${String(s.cv)} | ${s.capMinutes === null ? '—' : `${String(s.capMinutes)} min`} | ${String(s.solves)} |`);
}
console.log(`service ${serviceHours.toFixed(0)} h of work for ${capacityHours.toFixed(0)} h of available working time; ${String(cpus().length)} cpus, load ${rows.map((r) => r.load).join(', ')}`);
console.log(JSON.stringify({ bench: 'assignment', slack: SLACK ?? 'default', tasks: TASKS, technicians: TECHS, days: DAYS, timeLimitMs: TIME_LIMIT_MS, runs: RUNS, results: out, loads: rows.map((r) => r.load) }));
