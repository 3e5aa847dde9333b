// Travel matrices: estimated-matrix timings, calibration error on French reference trips, and the
// OSRM client's block overhead against a local stub server.
// Run: npm run bench:matrix [-- --runs 7]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { haversineMeters, type LngLat } from '@geocrm/domain';
import {
  createEstimatedMatrixProvider,
  createOsrmMatrixProvider,
  estimatedMatrix,
  estimateTrip,
  FRENCH_REFERENCE_TRIPS,
  loadFrenchCommunes,
  straightLineMatrix,
} from '../src/index.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/** Median wall and CPU (user + system) milliseconds of `runs` runs after one warm-up. */
const measure = async (runs: number, fn: () => unknown): Promise<{ wallMs: number; cpuMs: number }> => {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
};

const round1 = (v: number): number => Math.round(v * 10) / 10;

// Deterministic sample of located communes, spread over France.
const located = loadFrenchCommunes().flatMap((c) => (c.location ? [c.location] : []));
const sample = (n: number): LngLat[] => Array.from({ length: n }, (_, k) => located[(k * 7919) % located.length] as LngLat);

// 1. Estimated matrix timings.
console.log(`## Estimated matrix (n × n, median of ${RUNS} runs after a warm-up)\n`);
console.log('| points | cells | wall ms | CPU ms | ns / cell | straightLineMatrix CPU ms |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
const timings: Record<string, { wallMs: number; cpuMs: number; legacyCpuMs: number }> = {};
const provider = createEstimatedMatrixProvider();
for (const n of [100, 1000, 2000]) {
  const points = sample(n);
  const t = await measure(n >= 1000 ? RUNS : RUNS * 5, () => provider.matrix(points));
  const legacy = await measure(n >= 1000 ? RUNS : RUNS * 5, () => straightLineMatrix(points));
  timings[n] = { wallMs: round1(t.wallMs), cpuMs: round1(t.cpuMs), legacyCpuMs: round1(legacy.cpuMs) };
  console.log(`| ${n.toLocaleString('en')} | ${(n * n).toLocaleString('en')} | ${t.wallMs.toFixed(1)} | ${t.cpuMs.toFixed(1)} | ${((t.cpuMs * 1e6) / (n * n)).toFixed(0)} | ${legacy.cpuMs.toFixed(1)} |`);
}

// 2. Calibration against the reference trips.
console.log('\n## Calibration: estimated vs commonly published driving times (approximate, see calibration.ts)\n');
console.log('| trip | crow km | road km ref / est | minutes ref / est | error | straightLineMatrix (60 km/h × 1.3) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const rel: number[] = [];
const absMin: number[] = [];
const relDist: number[] = [];
const legacyRel: number[] = [];
for (const trip of FRENCH_REFERENCE_TRIPS) {
  const est = estimateTrip(trip.a, trip.b);
  const minutes = est.durationS / 60;
  const legacyMinutes = (straightLineMatrix([trip.a, trip.b]).durations[0]?.[1] ?? NaN) / 60;
  const e = minutes / trip.minutes - 1;
  rel.push(Math.abs(e));
  absMin.push(Math.abs(minutes - trip.minutes));
  relDist.push(Math.abs(est.distanceM / 1000 / trip.roadKm - 1));
  legacyRel.push(Math.abs(legacyMinutes / trip.minutes - 1));
  const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)} %`;
  console.log(
    `| ${trip.from} → ${trip.to} | ${(haversineMeters(trip.a, trip.b) / 1000).toFixed(1)} | ${trip.roadKm} / ${(est.distanceM / 1000).toFixed(1)} | ${trip.minutes} / ${minutes.toFixed(0)} | ${pct(e)} | ${pct(legacyMinutes / trip.minutes - 1)} |`,
  );
}
const calibration = {
  trips: FRENCH_REFERENCE_TRIPS.length,
  medianAbsErrorPct: round1(median(rel) * 100),
  medianAbsErrorMin: round1(median(absMin)),
  maxAbsErrorPct: round1(Math.max(...rel) * 100),
  medianAbsDistanceErrorPct: round1(median(relDist) * 100),
  legacyMedianAbsErrorPct: round1(median(legacyRel) * 100),
};
console.log(
  `\nmedian |error| ${calibration.medianAbsErrorPct} % (${calibration.medianAbsErrorMin} min), worst ${calibration.maxAbsErrorPct} %, road distance median |error| ${calibration.medianAbsDistanceErrorPct} %; straightLineMatrix defaults: ${calibration.legacyMedianAbsErrorPct} %`,
);

// 3. OSRM client overhead: 1,000 points against a local stub answering in OSRM's format
//    (synthetic values), so this times block planning, HTTP, JSON and assembly, not routing.
const stub = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const coords = decodeURIComponent(url.pathname.split('/')[4] ?? '').split(';').map((c) => c.split(',').map(Number) as [number, number]);
  const table = coords.map((a) => coords.map((b) => Math.round(haversineMeters(a, b) * 1.3 * 10) / 10));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code: 'Ok', durations: table.map((row) => row.map((m) => m / 20)), distances: table }));
});
await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
const { port } = stub.address() as AddressInfo;
let requests = 0;
const countingFetch: typeof fetch = (input, init) => {
  requests++;
  return fetch(input, init);
};
const osrm = createOsrmMatrixProvider({ baseUrl: `http://127.0.0.1:${port}`, fetch: countingFetch, concurrency: 2 });
const osrmPoints = sample(1000);
requests = 0;
const osrmTime = await measure(3, () => osrm.matrix(osrmPoints));
const requestsPerMatrix = requests / 4;
stub.close();
console.log(`\n## OSRM client, 1,000 points, local stub (max 100 coordinates per request)\n`);
console.log(`${requestsPerMatrix} requests per matrix; median ${osrmTime.wallMs.toFixed(0)} ms wall, ${osrmTime.cpuMs.toFixed(0)} ms CPU (client and stub share this process)`);

const check = estimatedMatrix(sample(3), undefined);
if (check.durations[0]?.[0] !== 0) throw new Error('diagonal should be 0');

console.log(
  JSON.stringify({
    bench: 'matrix',
    runs: RUNS,
    estimated: timings,
    calibration,
    osrmStub1000: { requests: requestsPerMatrix, wallMs: Math.round(osrmTime.wallMs), cpuMs: Math.round(osrmTime.cpuMs) },
  }),
);
