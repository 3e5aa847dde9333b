import { readFileSync } from 'node:fs';
import type { Problem } from '../src/types.ts';

export interface SolomonInstance {
  readonly name: string;
  readonly problem: Problem;
  readonly vehicles: number;
}

/** Parses a Solomon file into a Problem: double-precision Euclidean matrix, distance objective. */
export const parseSolomon = (path: string): SolomonInstance => {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const name = lines[0] ?? '';
  const vIdx = lines.findIndex((l) => /^NUMBER/.test(l));
  const [K = 0, Q = 0] = (lines[vIdx + 1] ?? '').split(/\s+/).map(Number);
  const cIdx = lines.findIndex((l) => /^CUST/.test(l));
  const rows = lines.slice(cIdx + 1).map((l) => l.split(/\s+/).map(Number)).filter((r) => r.length >= 7 && r.every((x) => Number.isFinite(x)));
  const xy = rows.map((r) => [r[1] ?? 0, r[2] ?? 0] as const);
  const m = rows.length;
  const d: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) {
      const a = xy[i] ?? [0, 0];
      const b = xy[j] ?? [0, 0];
      row.push(Math.hypot(a[0] - b[0], a[1] - b[1]));
    }
    d.push(row);
  }
  const depot = rows[0] ?? [];
  const horizon = [depot[4] ?? 0, depot[5] ?? 0] as const;
  const vehicles = Array.from({ length: K }, (_, k) => ({
    id: k + 1,
    start: 0,
    end: 0,
    capacity: [Q],
    timeWindow: horizon,
    costs: { perHour: 0, perKm: 1000 },
  }));
  const jobs = rows.slice(1).map((r, i) => ({
    id: r[0] ?? i + 1,
    location: i + 1,
    delivery: [r[3] ?? 0],
    timeWindows: [[r[4] ?? 0, r[5] ?? 0] as const],
    service: r[6] ?? 0,
  }));
  return { name, vehicles: K, problem: { vehicles, jobs, matrices: { car: { durations: d, distances: d } } } };
};
