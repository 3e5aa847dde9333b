import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { VroomSolution } from '../src/index.ts';

const bin = fileURLToPath(new URL('../bin/geocrm-optimize.js', import.meta.url));

describe('geocrm-optimize CLI', () => {
  it('reads VROOM JSON on stdin and prints a VROOM solution', () => {
    const problem = {
      vehicles: [{ id: 1, start_index: 0, end_index: 0 }],
      jobs: [{ id: 7, location_index: 1, service: 5 }],
      matrices: { car: { durations: [[0, 10], [10, 0]] } },
    };
    const out = execFileSync(process.execPath, [bin, '--seed', '3'], { input: JSON.stringify(problem), encoding: 'utf8' });
    const sol = JSON.parse(out) as VroomSolution;
    expect(sol.code).toBe(0);
    expect(sol.summary.cost).toBe(20);
    expect(sol.routes[0]?.steps.map((s) => s.type)).toEqual(['start', 'job', 'end']);
  });

  it('exits with code 2 and names the field on a malformed problem', () => {
    const problem = { vehicles: [], jobs: [{ id: 1, location_index: 5 }], matrices: { car: { durations: [[0]] } } };
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [bin], { input: JSON.stringify(problem), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('jobs[0].location_index');
  });
});
