import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerritoryAreaCollection, TerritoryPlanDto, TerritoryPlanList } from '@geocrm/contracts';
import { createRepositories } from '@geocrm/db';
import { loadFrenchCommunes } from '@geocrm/geo';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;
let admin: string;
let rep: string;
let managerB: string;

/** Demo-like accounts: one per commune of 4,000+ inhabitants in metropolitan France (a few hundred per région). */
const seedAccounts = async (orgId: string): Promise<number> => {
  const rows = loadFrenchCommunes()
    .filter((c) => c.kind === 'commune' && c.population >= 4000 && c.location !== null && !c.departement.startsWith('97'))
    .map((c) => ({
      kind: 'client' as const,
      name: `Client ${c.name}`,
      address: { line1: '1 place de la Mairie', line2: '', postcode: c.postcodes[0] ?? '', city: c.name, country: 'FR' },
      location: { lng: c.location?.[0] ?? 0, lat: c.location?.[1] ?? 0 },
    }));
  await createRepositories(h.handle.db).accounts.insertMany(orgId, rows);
  return rows.length;
};

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
  admin = await h.login(h.users.a.admin);
  rep = await h.login(h.users.a.rep);
  managerB = await h.login(h.users.b.manager);
  await seedAccounts(h.users.a.manager.orgId);
}, 120_000);
afterAll(async () => {
  await h.close();
});

const design = (cookie: string, payload: Record<string, unknown>) => h.request(cookie, { method: 'POST', url: '/api/v1/territories/design', payload });

describe('territory design on départements', () => {
  let plan: TerritoryPlanDto;

  it('designs 8 balanced, contiguous territories on the accounts', async () => {
    const res = await design(manager, { k: 8, measure: 'accounts', tolerance: 0.05 });
    expect(res.statusCode, res.body).toBe(200);
    plan = res.json<TerritoryPlanDto>();
    expect(plan.areas).toHaveLength(96);
    expect(plan.territories).toHaveLength(8);
    expect(new Set(plan.areas.map((a) => a.territory))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(plan.metrics.maxDeviation).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(plan.metrics.contiguityViolations).toBe(0);
    expect(plan.metrics.outside.pct5).toBe(0);
    expect(plan.metrics.cutEdges).toBeGreaterThan(0);
    expect(plan.metrics.polsbyPopperMean).toBeGreaterThan(0);
    expect(plan.violations).toEqual([]);
    expect(plan.stats?.timeMs).toBeGreaterThan(0);
    const total = plan.areas.reduce((s, a) => s + a.load, 0);
    expect(plan.territories.reduce((s, t) => s + t.load, 0)).toBeCloseTo(total, 6);
    for (const t of plan.territories) expect(Math.abs(t.deviation)).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('runs to convergence over a real HTTP connection (a finished request body is not a disconnection)', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/api/v1/territories/design`, { method: 'POST', headers: { cookie: manager, 'content-type': 'application/json' }, body: JSON.stringify({ k: 8, measure: 'population' }) });
    expect(res.status).toBe(200);
    const p = (await res.json()) as TerritoryPlanDto;
    expect(p.stats?.stoppedBy).toBe('converged');
    expect(p.metrics.maxDeviation).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('balances on population too, and anchors territories at reps’ homes', async () => {
    const repos = createRepositories(h.handle.db);
    const homes = [
      { label: 'Lille', lng: 3.06, lat: 50.63 },
      { label: 'Marseille', lng: 5.37, lat: 43.3 },
    ];
    const ids: string[] = [];
    for (const [i, home] of homes.entries()) {
      const u = await repos.users.insert({ orgId: h.users.a.manager.orgId, email: `terr-rep${String(i)}@a.test`, name: `Rep ${home.label}`, role: 'rep', passwordHash: 'x', home });
      ids.push(u.id);
    }
    const res = await design(admin, { repIds: ids, measure: 'population', tolerance: 0.1 });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<TerritoryPlanDto>();
    expect(p.k).toBe(2);
    expect(p.metrics.maxDeviation).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(p.territories.map((t) => t.repName)).toEqual(['Rep Lille', 'Rep Marseille']);
    const of = (code: string) => p.areas.find((a) => a.code === code)?.territory;
    expect(of('59')).toBe(0); // Nord: Lille's rep
    expect(of('13')).toBe(1); // Bouches-du-Rhône: Marseille's rep
  });

  it('keeps locked areas and reports a weighted mix', async () => {
    const res = await design(manager, { k: 4, measure: { accounts: 1, population: 1 }, locked: { '29': 2, '67': 2 } });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<TerritoryPlanDto>();
    const of = (code: string) => p.areas.find((a) => a.code === code)?.territory;
    expect(of('29')).toBe(2);
    expect(of('67')).toBe(2);
    // Brittany and Alsace in one territory cannot be contiguous with a balanced load: named, not a crash.
    expect(p.violations.length).toBeGreaterThan(0);
  });

  it('saves, lists, reads, edits by hand and deletes a plan', async () => {
    const assignment = Object.fromEntries(plan.areas.map((a) => [a.code, a.territory]));
    // Evaluate a hand edit without saving: Paris alone in Corsica's territory is named.
    const corseT = plan.areas.find((a) => a.code === '2A')?.territory ?? 0;
    const parisT = plan.areas.find((a) => a.code === '75')?.territory ?? 0;
    const edited = { ...assignment, '75': corseT === parisT ? (parisT + 1) % 8 : corseT };
    const evaluated = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/territories/evaluate',
      payload: { measure: 'accounts', assignment: edited, territories: plan.territories.map((t) => ({ name: t.name })) },
    });
    expect(evaluated.statusCode, evaluated.body).toBe(200);
    expect(evaluated.json<TerritoryPlanDto>().metrics.contiguityViolations).toBeGreaterThan(0);
    expect(evaluated.json<TerritoryPlanDto>().violations.some((v) => v.includes('not contiguous'))).toBe(true);
    expect((await h.request(rep, { method: 'POST', url: '/api/v1/territories/evaluate', payload: { assignment: edited, territories: [{}] } })).statusCode).toBe(403);

    const save = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/territories/plans',
      payload: { name: 'Plan 8', measure: 'accounts', tolerance: 0.05, assignment, territories: plan.territories.map((t) => ({ name: t.name, colour: t.colour })) },
    });
    expect(save.statusCode, save.body).toBe(201);
    const saved = save.json<TerritoryPlanDto>();
    expect(saved.id).toBeTruthy();
    expect(saved.name).toBe('Plan 8');
    expect(saved.metrics.maxDeviation).toBeCloseTo(plan.metrics.maxDeviation, 9);
    expect(saved.areas.map((a) => a.territory)).toEqual(plan.areas.map((a) => a.territory));
    const id = saved.id ?? '';

    const list = await h.request(manager, { method: 'GET', url: '/api/v1/territories/plans' });
    expect(list.statusCode).toBe(200);
    expect(list.json<TerritoryPlanList>().items.map((p) => p.id)).toContain(id);

    // Move Paris into a territory far away: balance shifts, contiguity breaks, both named.
    const paris = saved.areas.find((a) => a.code === '75');
    const corse = saved.areas.find((a) => a.code === '2A');
    const target = (corse?.territory ?? 0) === (paris?.territory ?? 0) ? ((paris?.territory ?? 0) + 1) % 8 : (corse?.territory ?? 0);
    const patch = await h.request(manager, { method: 'PATCH', url: `/api/v1/territories/plans/${id}/areas`, payload: { moves: [{ area: '75', territory: target }] } });
    expect(patch.statusCode, patch.body).toBe(200);
    const moved = patch.json<TerritoryPlanDto>();
    expect(moved.areas.find((a) => a.code === '75')?.territory).toBe(target);
    expect(moved.metrics.contiguityViolations).toBeGreaterThan(0);
    expect(moved.violations.some((v) => v.includes('not contiguous'))).toBe(true);
    const name = moved.territories[target]?.name ?? '';
    expect(moved.violations.some((v) => v.startsWith(name))).toBe(true);

    const repUser = h.users.a.rep;
    const renamed = await h.request(manager, {
      method: 'PATCH',
      url: `/api/v1/territories/plans/${id}`,
      payload: { name: 'Plan eight', territories: [{ index: 0, name: 'North', repId: repUser.id }] },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<TerritoryPlanDto>().name).toBe('Plan eight');
    expect(renamed.json<TerritoryPlanDto>().territories[0]).toMatchObject({ name: 'North', repId: repUser.id, repName: 'rep a' });
    const foreignRep = await h.request(manager, { method: 'PATCH', url: `/api/v1/territories/plans/${id}`, payload: { territories: [{ index: 1, repId: h.users.b.rep.id }] } });
    expect(foreignRep.statusCode).toBe(400);
    expect((await h.request(managerB, { method: 'PATCH', url: `/api/v1/territories/plans/${id}`, payload: { name: 'x' } })).statusCode).toBe(404);

    const get = await h.request(manager, { method: 'GET', url: `/api/v1/territories/plans/${id}` });
    expect(get.json<TerritoryPlanDto>().areas.find((a) => a.code === '75')?.territory).toBe(target);
    const listed = (await h.request(manager, { method: 'GET', url: '/api/v1/territories/plans' })).json<TerritoryPlanList>().items.find((p) => p.id === id);
    expect(listed?.contiguityViolations).toBe(moved.metrics.contiguityViolations);

    expect((await h.request(managerB, { method: 'GET', url: `/api/v1/territories/plans/${id}` })).statusCode).toBe(404);
    expect((await h.request(managerB, { method: 'PATCH', url: `/api/v1/territories/plans/${id}/areas`, payload: { moves: [{ area: '75', territory: 0 }] } })).statusCode).toBe(404);
    expect((await h.request(managerB, { method: 'DELETE', url: `/api/v1/territories/plans/${id}` })).statusCode).toBe(404);
    expect((await h.request(managerB, { method: 'GET', url: '/api/v1/territories/plans' })).json<TerritoryPlanList>().items).toEqual([]);
    expect((await h.request(rep, { method: 'GET', url: `/api/v1/territories/plans/${id}` })).statusCode).toBe(403);

    const bad = await h.request(manager, { method: 'PATCH', url: `/api/v1/territories/plans/${id}/areas`, payload: { moves: [{ area: '75', territory: 8 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(/Territory 8 does not exist/);

    // Redesign close to the saved plan: disruption is reported.
    const re = await design(manager, { k: 8, currentPlanId: id, disruptionWeight: 5 });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json<TerritoryPlanDto>().metrics.disruption).not.toBeNull();

    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/territories/plans/${id}` })).statusCode).toBe(204);
    expect((await h.request(manager, { method: 'GET', url: `/api/v1/territories/plans/${id}` })).statusCode).toBe(404);
  });

  it('serves the départements as GeoJSON with the organisation’s account counts', async () => {
    const res = await h.request(rep, { method: 'GET', url: '/api/v1/territories/areas?level=departement' });
    expect(res.statusCode).toBe(200);
    const fc = res.json<TerritoryAreaCollection>();
    expect(fc.features).toHaveLength(96);
    const props = fc.features.map((f) => (f as { properties: { code: string; accounts: number; population: number } }).properties);
    expect(props.reduce((s, p) => s + p.accounts, 0)).toBeGreaterThan(500);
    expect(props.every((p) => p.population > 0)).toBe(true);
    const other = (await h.request(managerB, { method: 'GET', url: '/api/v1/territories/areas' })).json<TerritoryAreaCollection>();
    expect(other.features.every((f) => (f as { properties: { accounts: number } }).properties.accounts === 0)).toBe(true);
  });
});

describe('roles and bad input', () => {
  it('refuses reps and anonymous callers', async () => {
    expect((await design(rep, { k: 8 })).statusCode).toBe(403);
    expect((await h.request(rep, { method: 'POST', url: '/api/v1/territories/plans', payload: { name: 'x', assignment: {}, territories: [{}] } })).statusCode).toBe(403);
    expect((await h.request(undefined, { method: 'POST', url: '/api/v1/territories/design', payload: { k: 8 } })).statusCode).toBe(401);
  });

  it('names what is wrong', async () => {
    const tooMany = await design(manager, { k: 97 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<{ message: string }>().message).toMatch(/more territories than there are areas \(96\)/);
    const noAccounts = await design(managerB, { k: 8, measure: 'accounts' });
    expect(noAccounts.statusCode).toBe(400);
    expect(noAccounts.json<{ message: string }>().message).toMatch(/balance on population/);
    const noK = await design(manager, {});
    expect(noK.statusCode).toBe(400);
    expect(noK.json<{ message: string }>().message).toMatch(/Give k/);
    expect((await design(manager, { k: 4, locked: { '999': 0 } })).statusCode).toBe(400);
    expect((await design(manager, { k: 4, locked: { '29': 7 } })).statusCode).toBe(400);
    expect((await design(manager, { k: 4, tolerance: 1 })).statusCode).toBe(400);
    expect((await design(manager, { k: 4, level: 'commune' })).statusCode).toBe(400);
    const mix = await design(manager, { k: 4, measure: { accounts: 0 } });
    expect(mix.statusCode).toBe(400);
    const missing = await h.request(manager, { method: 'POST', url: '/api/v1/territories/plans', payload: { name: 'x', assignment: { '75': 0 }, territories: [{}] } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toMatch(/Every area needs a territory/);
  });
});
