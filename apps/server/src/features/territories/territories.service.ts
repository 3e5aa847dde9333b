import { AppError } from '@geocrm/domain';
import type {
  DesignTerritoriesBody,
  EvaluateTerritoryPlanBody,
  MoveTerritoryAreasBody,
  PublishTerritoryPlanBody,
  PublishTerritoryPlanResult,
  SaveTerritoryPlanBody,
  TerritoryCoverageDto,
  TerritoryCoverageQuery,
  TerritoryLevel,
  TerritoryMeasure,
  TerritoryPlanDto,
  TerritoryPlanList,
  TerritoryPlanMetrics,
  UpdateTerritoryPlanBody,
} from '@geocrm/contracts';
import type { TerritoriesRepository, Transactor, UsersRepository } from '@geocrm/db';
import { loadBoundaries } from '@geocrm/geo';
import { areaLoads, departementAreas, designTerritoriesAsync, planMetrics, type Anchor, type AreaGraph, type MeasureSpec, type PlanMetrics } from '@geocrm/territory';
import type { Actor } from '../auth/auth.service.ts';
import type { AccountScopes } from '../access/account-scope.ts';
import { assertManager } from '../tours/access.ts';

/** Twelve distinct colours (Tableau 10 + 2), repeated beyond. */
export const TERRITORY_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#8c564b'] as const;
const colourOf = (i: number): string => TERRITORY_COLOURS[i % TERRITORY_COLOURS.length] ?? '#888888';

export interface TerritoriesServiceDeps {
  readonly territories: TerritoriesRepository;
  readonly users: UsersRepository;
  readonly transaction: Transactor;
  /** The access rule (coverage lists only the accounts the caller may read). */
  readonly scopes: AccountScopes;
  /** Wall-clock limit of one design (default 20 s): the best plan so far is returned. */
  readonly timeLimitMs?: number;
}

interface LevelGraph {
  readonly graph: AreaGraph;
  readonly loads: Float64Array;
}

const pct = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`;

/** The measure asked → the package's measure on the areas (count = accounts, potential = population). */
const measureSpec = (m: TerritoryMeasure): MeasureSpec => {
  if (m === 'accounts') return 'count';
  if (m === 'population') return 'potential';
  const spec = { count: m.accounts ?? 0, potential: m.population ?? 0 };
  if (spec.count <= 0 && spec.potential <= 0) throw new AppError('VALIDATION', 'A measure mix needs at least one positive weight (accounts or population)');
  return spec;
};
const usesAccounts = (m: TerritoryMeasure): boolean => m === 'accounts' || (typeof m === 'object' && (m.accounts ?? 0) > 0);

const assertLevel = (level: TerritoryLevel): void => {
  if (level !== 'departement') throw new AppError('VALIDATION', 'Only départements can be designed on in this version; communes come next');
};

const metricsDto = (m: PlanMetrics): TerritoryPlanMetrics => ({
  meanLoad: m.meanLoad,
  maxDeviation: m.maxDeviation,
  outside: { pct5: m.outside.pct5, pct10: m.outside.pct10, pct20: m.outside.pct20 },
  dispersion: m.dispersion,
  cutEdges: m.cutEdges,
  polsbyPopperMean: m.polsbyPopperMean,
  contiguityViolations: m.contiguityViolations,
  islands: m.islands,
  disruption: m.disruption ? { areasMoved: m.disruption.areasMoved, loadMoved: m.disruption.loadMoved, loadMovedShare: m.disruption.loadMovedShare } : null,
});

interface TerritoryInfo {
  readonly name: string;
  readonly colour: string;
  readonly repId: string | null;
  readonly repName: string | null;
}

/**
 * Territory design on the organisation's data: départements weighted by its accounts (point in
 * polygon) or by population, designed by `@geocrm/territory` off the request path's hot loop
 * (`designTerritoriesAsync` yields every ~25 ms; time limit 20 s), saved as plans.
 */
export class TerritoriesService {
  readonly #deps: TerritoriesServiceDeps;
  #base: AreaGraph | undefined;
  #geometries: Map<string, string> | undefined;

  constructor(deps: TerritoriesServiceDeps) {
    this.#deps = deps;
  }

  /** Départements with population as `potential` (built once, ~0.2 s). */
  #baseGraph(): AreaGraph {
    this.#base ??= departementAreas();
    return this.#base;
  }

  /** Accounts per area (point in polygon against the départements' polygons). */
  async #accountCounts(orgId: string): Promise<number[]> {
    const points = await this.#deps.territories.accountPoints(orgId);
    if (points.length === 0) return this.#baseGraph().areas.map(() => 0);
    return departementAreas({ accounts: points }).areas.map((a) => a.measures.count);
  }

  async #graph(orgId: string, level: TerritoryLevel, measure: TerritoryMeasure): Promise<LevelGraph> {
    assertLevel(level);
    const base = this.#baseGraph();
    const counts = usesAccounts(measure) ? await this.#accountCounts(orgId) : undefined;
    if (counts && measure === 'accounts' && counts.every((c) => c === 0)) {
      throw new AppError('VALIDATION', 'None of your accounts has a position in a metropolitan département: geocode them first, or balance on population');
    }
    const areas = base.areas.map((a, i) => ({ ...a, measures: { count: counts?.[i] ?? 0, potential: a.measures.potential, revenue: 0, workload: 0 } }));
    const graph: AreaGraph = { ...base, areas };
    return { graph, loads: areaLoads(areas, measureSpec(measure)) };
  }

  #dto(
    lg: LevelGraph,
    assignment: ArrayLike<number>,
    k: number,
    metrics: PlanMetrics,
    info: readonly TerritoryInfo[],
    extra: Pick<TerritoryPlanDto, 'id' | 'name' | 'level' | 'measure' | 'tolerance' | 'stats' | 'createdAt' | 'publishedAt'> & { violations?: readonly string[] },
  ): TerritoryPlanDto {
    const nameOf = (t: number): string => info[t]?.name ?? `Territory ${String(t + 1)}`;
    const violations =
      extra.violations ??
      metrics.territories.flatMap((t) => [
        ...(Math.abs(t.deviation) > extra.tolerance + 1e-9 ? [`${nameOf(t.territory)} is ${pct(t.deviation)} from the mean load, outside ±${(extra.tolerance * 100).toFixed(0)} %`] : []),
        ...(t.pieces > 1 ? [`${nameOf(t.territory)} is not contiguous: ${String(t.pieces)} pieces`] : []),
        ...(t.areas === 0 ? [`${nameOf(t.territory)} has no area`] : []),
      ]);
    return {
      id: extra.id,
      name: extra.name,
      level: extra.level,
      k,
      measure: extra.measure,
      tolerance: extra.tolerance,
      areas: lg.graph.areas.map((a, i) => ({ code: a.id, name: a.name ?? a.id, territory: assignment[i] ?? -1, load: lg.loads[i] ?? 0 })),
      territories: metrics.territories.map((t) => ({
        index: t.territory,
        name: nameOf(t.territory),
        colour: info[t.territory]?.colour ?? colourOf(t.territory),
        repId: info[t.territory]?.repId ?? null,
        repName: info[t.territory]?.repName ?? null,
        areas: t.areas,
        load: t.load,
        deviation: t.deviation,
        dispersion: t.dispersion,
        pieces: t.pieces,
        cutEdges: t.cutEdges,
        polsbyPopper: t.polsbyPopper,
      })),
      metrics: metricsDto(metrics),
      violations: [...violations],
      stats: extra.stats,
      createdAt: extra.createdAt,
      publishedAt: extra.publishedAt,
    };
  }

  async design(actor: Actor, body: DesignTerritoriesBody, signal?: AbortSignal): Promise<TerritoryPlanDto> {
    assertManager(actor, 'design territories');
    const level = body.level ?? 'departement';
    const measure = body.measure ?? 'accounts';
    const tolerance = body.tolerance ?? 0.05;
    const repIds = body.repIds ?? [];
    if (body.k !== undefined && repIds.length > 0 && body.k !== repIds.length) {
      throw new AppError('VALIDATION', `k (${String(body.k)}) and the number of reps (${String(repIds.length)}) differ: one territory per rep`);
    }
    const k = body.k ?? (repIds.length > 0 ? repIds.length : undefined);
    if (k === undefined) throw new AppError('VALIDATION', 'Give k (the number of territories) or the reps (one territory each)');
    const lg = await this.#graph(actor.orgId, level, measure);
    if (k > lg.graph.areas.length) throw new AppError('VALIDATION', `k = ${String(k)} is more territories than there are areas (${String(lg.graph.areas.length)})`);
    const info: TerritoryInfo[] = [];
    const anchors: (Anchor | null)[] = [];
    for (const [i, id] of repIds.entries()) {
      const u = await this.#deps.users.get(actor.orgId, id);
      if (!u) throw new AppError('VALIDATION', `Unknown rep ${id}`, { details: { field: 'repIds' } });
      info.push({ name: u.name, colour: colourOf(i), repId: u.id, repName: u.name });
      anchors.push(u.home_lng !== null && u.home_lat !== null ? { lng: u.home_lng, lat: u.home_lat } : null);
    }
    let current: Map<string, number> | undefined;
    if (body.currentPlanId) {
      const saved = await this.#deps.territories.get(actor.orgId, body.currentPlanId);
      if (!saved) throw new AppError('NOT_FOUND', 'Current plan not found');
      if (saved.level !== level) throw new AppError('VALIDATION', `The current plan is on ${saved.level}s, not ${level}s`);
      current = new Map([...saved.areas].filter(([, t]) => t < k));
    }
    const plan = await designTerritoriesAsync(lg.graph, {
      k,
      measure: measureSpec(measure),
      tolerance,
      ...(anchors.some((a) => a !== null) ? { anchors } : {}),
      ...(body.locked ? { locked: body.locked } : {}),
      ...(current ? { current, disruption: { weight: body.disruptionWeight ?? 1 } } : {}),
      seed: body.seed ?? 1,
      timeLimitMs: this.#deps.timeLimitMs ?? 20_000,
      ...(signal ? { signal } : {}),
    });
    return this.#dto(lg, plan.assignment, k, plan.metrics, info, {
      id: null,
      name: null,
      level,
      measure,
      tolerance,
      stats: { timeMs: plan.stats.timeMs, cpuMs: plan.stats.cpuMs, stoppedBy: plan.stats.stoppedBy, starts: plan.stats.starts, rounds: plan.stats.rounds },
      createdAt: null,
      publishedAt: null,
      violations: plan.violations.map((v) => v.message),
    });
  }

  /** Assignment in graph order from area code → territory; every area must be there, every index < k. */
  #assignment(graph: AreaGraph, byCode: Readonly<Record<string, number>> | ReadonlyMap<string, number>, k: number): Int32Array {
    const map: ReadonlyMap<string, number> = byCode instanceof Map ? (byCode as ReadonlyMap<string, number>) : new Map(Object.entries(byCode as Readonly<Record<string, number>>));
    const known = new Set(graph.areas.map((a) => a.id));
    const unknown = [...map.keys()].filter((c) => !known.has(c));
    if (unknown.length > 0) throw new AppError('VALIDATION', `Unknown area code(s): ${unknown.slice(0, 10).join(', ')}`, { details: { field: 'assignment' } });
    const missing = graph.areas.filter((a) => !map.has(a.id)).map((a) => a.id);
    if (missing.length > 0) throw new AppError('VALIDATION', `Every area needs a territory; missing: ${missing.slice(0, 10).join(', ')}`, { details: { field: 'assignment' } });
    const out = new Int32Array(graph.areas.length);
    graph.areas.forEach((a, i) => {
      const t = map.get(a.id) ?? -1;
      if (t < 0 || t >= k) throw new AppError('VALIDATION', `Area ${a.id} is given territory ${String(t)}, outside 0..${String(k - 1)}`, { details: { field: 'assignment' } });
      out[i] = t;
    });
    return out;
  }

  async save(actor: Actor, body: SaveTerritoryPlanBody): Promise<TerritoryPlanDto> {
    assertManager(actor, 'save territory plans');
    const level = body.level ?? 'departement';
    const measure = body.measure ?? 'accounts';
    const tolerance = body.tolerance ?? 0.05;
    const k = body.territories.length;
    const lg = await this.#graph(actor.orgId, level, measure);
    const assignment = this.#assignment(lg.graph, body.assignment, k);
    for (const t of body.territories) {
      if (t.repId && !(await this.#deps.users.get(actor.orgId, t.repId))) throw new AppError('VALIDATION', `Unknown rep ${t.repId}`, { details: { field: 'territories' } });
    }
    const metrics = planMetrics(lg.graph, assignment, k, { loads: lg.loads });
    const id = await this.#deps.transaction((repos) =>
      repos.territories.insert(actor.orgId, {
        name: body.name,
        level,
        k,
        measure,
        tolerance,
        options: {},
        metrics: metricsDto(metrics),
        createdBy: actor.userId,
        territories: body.territories.map((t, i) => ({ index: i, name: t.name ?? `Territory ${String(i + 1)}`, colour: t.colour ?? colourOf(i), repUserId: t.repId ?? null })),
        areas: new Map(lg.graph.areas.map((a, i) => [a.id, assignment[i] ?? 0])),
      }),
    );
    return this.get(actor, id);
  }

  /** Metrics and violations of a hand-edited plan that is not saved (nothing is stored). */
  async evaluate(actor: Actor, body: EvaluateTerritoryPlanBody): Promise<TerritoryPlanDto> {
    assertManager(actor, 'evaluate territory plans');
    const level = body.level ?? 'departement';
    const measure = body.measure ?? 'accounts';
    const tolerance = body.tolerance ?? 0.05;
    const k = body.territories.length;
    const lg = await this.#graph(actor.orgId, level, measure);
    const assignment = this.#assignment(lg.graph, body.assignment, k);
    const metrics = planMetrics(lg.graph, assignment, k, { loads: lg.loads });
    const info = body.territories.map((t, i) => ({ name: t.name ?? `Territory ${String(i + 1)}`, colour: t.colour ?? colourOf(i), repId: t.repId ?? null, repName: null }));
    return this.#dto(lg, assignment, k, metrics, info, { id: null, name: null, level, measure, tolerance, stats: null, createdAt: null, publishedAt: null });
  }

  async list(actor: Actor): Promise<TerritoryPlanList> {
    assertManager(actor, 'read territory plans');
    const rows = await this.#deps.territories.list(actor.orgId);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        level: r.level,
        k: r.k,
        measure: r.measure as TerritoryMeasure,
        tolerance: r.tolerance,
        maxDeviation: typeof r.metrics['maxDeviation'] === 'number' ? r.metrics['maxDeviation'] : null,
        contiguityViolations: typeof r.metrics['contiguityViolations'] === 'number' ? r.metrics['contiguityViolations'] : null,
        createdAt: r.createdAt.toISOString(),
        publishedAt: r.publishedAt?.toISOString() ?? null,
      })),
    };
  }

  /** A saved plan, its metrics recomputed on today's accounts. */
  async get(actor: Actor, id: string): Promise<TerritoryPlanDto> {
    assertManager(actor, 'read territory plans');
    const saved = await this.#deps.territories.get(actor.orgId, id);
    if (!saved) throw new AppError('NOT_FOUND', 'Territory plan not found');
    const measure = saved.measure as TerritoryMeasure;
    const lg = await this.#graph(actor.orgId, saved.level, measure);
    const assignment = this.#assignment(lg.graph, saved.areas, saved.k);
    const metrics = planMetrics(lg.graph, assignment, saved.k, { loads: lg.loads });
    const info = saved.territories.map((t) => ({ name: t.name, colour: t.colour, repId: t.repUserId, repName: t.repName }));
    return this.#dto(lg, assignment, saved.k, metrics, info, {
      id: saved.id,
      name: saved.name,
      level: saved.level,
      measure,
      tolerance: saved.tolerance,
      stats: null,
      createdAt: saved.createdAt.toISOString(),
      publishedAt: saved.publishedAt?.toISOString() ?? null,
    });
  }

  /** Renames the plan, renames / recolours its territories, gives them reps. */
  async update(actor: Actor, id: string, body: UpdateTerritoryPlanBody): Promise<TerritoryPlanDto> {
    assertManager(actor, 'edit territory plans');
    const saved = await this.#deps.territories.get(actor.orgId, id);
    if (!saved) throw new AppError('NOT_FOUND', 'Territory plan not found');
    for (const t of body.territories ?? []) {
      if (t.index >= saved.k) throw new AppError('VALIDATION', `Territory ${String(t.index)} does not exist (the plan has ${String(saved.k)})`, { details: { field: 'territories' } });
      if (t.repId && !(await this.#deps.users.get(actor.orgId, t.repId))) throw new AppError('VALIDATION', `Unknown rep ${t.repId}`, { details: { field: 'territories' } });
    }
    await this.#deps.transaction((repos) =>
      repos.territories.update(actor.orgId, id, {
        ...(body.name === undefined ? {} : { name: body.name }),
        territories: (body.territories ?? []).map((t) => ({
          index: t.index,
          ...(t.name === undefined ? {} : { name: t.name }),
          ...(t.colour === undefined ? {} : { colour: t.colour }),
          ...(t.repId === undefined ? {} : { repUserId: t.repId }),
        })),
      }),
    );
    return this.get(actor, id);
  }

  /** Moves areas between the plan's territories by hand; metrics are recomputed, stored and returned. */
  async moveAreas(actor: Actor, id: string, body: MoveTerritoryAreasBody): Promise<TerritoryPlanDto> {
    assertManager(actor, 'edit territory plans');
    const saved = await this.#deps.territories.get(actor.orgId, id);
    if (!saved) throw new AppError('NOT_FOUND', 'Territory plan not found');
    for (const m of body.moves) {
      if (!saved.areas.has(m.area)) throw new AppError('VALIDATION', `Area ${m.area} is not in this plan`, { details: { field: 'moves' } });
      if (m.territory >= saved.k) throw new AppError('VALIDATION', `Territory ${String(m.territory)} does not exist (the plan has ${String(saved.k)})`, { details: { field: 'moves' } });
    }
    const moved = new Map(saved.areas);
    for (const m of body.moves) moved.set(m.area, m.territory);
    const measure = saved.measure as TerritoryMeasure;
    const lg = await this.#graph(actor.orgId, saved.level, measure);
    const metrics = planMetrics(lg.graph, this.#assignment(lg.graph, moved, saved.k), saved.k, { loads: lg.loads });
    await this.#deps.transaction(async (repos) => {
      await repos.territories.moveAreas(actor.orgId, id, body.moves);
      await repos.territories.setMetrics(actor.orgId, id, metricsDto(metrics));
      // On the published plan, the accounts of the moved areas change territory (and visibility) with them.
      if (saved.publishedAt) await repos.territories.assignAccounts(actor.orgId);
    });
    return this.get(actor, id);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    assertManager(actor, 'delete territory plans');
    const saved = await this.#deps.territories.get(actor.orgId, id);
    if (!saved) throw new AppError('NOT_FOUND', 'Territory plan not found');
    if (saved.publishedAt) throw new AppError('CONFLICT', 'This plan is published: withdraw its publication first (visibility follows it)');
    if (!(await this.#deps.territories.delete(actor.orgId, id))) throw new AppError('NOT_FOUND', 'Territory plan not found');
  }

  /** The areas' polygons in the database (point in polygon for publishing and for new or moved accounts), stored once. */
  async #ensureShapes(level: TerritoryLevel): Promise<void> {
    assertLevel(level);
    if (await this.#deps.territories.hasAreaShapes(level)) return;
    const codes = new Set(this.#baseGraph().areas.map((a) => a.id));
    const areas = loadBoundaries('fr-departements')
      .features.filter((f) => codes.has(f.properties.code))
      .map((f) => ({ code: f.properties.code, geometry: JSON.stringify(f.geometry) }));
    await this.#deps.transaction((repos) => repos.territories.storeAreaShapes(level, areas));
  }

  /**
   * Publishes a saved plan: the organisation's only published plan from now on. In one transaction
   * (all or nothing): the previous plan is withdrawn, every account gets the territory whose area
   * contains it (accounts without a location, or outside every area, get none and are counted) and,
   * with `setOwners`, the territory's rep as owner. Visibility follows at once.
   */
  async publish(actor: Actor, id: string, body: PublishTerritoryPlanBody): Promise<PublishTerritoryPlanResult> {
    assertManager(actor, 'publish territory plans');
    const saved = await this.#deps.territories.get(actor.orgId, id);
    if (!saved) throw new AppError('NOT_FOUND', 'Territory plan not found');
    await this.#ensureShapes(saved.level);
    const outcome = await this.#deps.transaction((repos) => repos.territories.publish(actor.orgId, id, { setOwners: body.setOwners === true }));
    if (!outcome) throw new AppError('NOT_FOUND', 'Territory plan not found');
    const published = await this.#deps.territories.get(actor.orgId, id);
    const byIndex = new Map(saved.territories.map((t) => [t.index, t]));
    const territories = outcome.perTerritory.map((t) => ({
      index: t.index,
      id: t.id,
      name: byIndex.get(t.index)?.name ?? `Territory ${String(t.index + 1)}`,
      repId: byIndex.get(t.index)?.repUserId ?? null,
      repName: byIndex.get(t.index)?.repName ?? null,
      accounts: t.accounts,
    }));
    return {
      planId: id,
      publishedAt: (published?.publishedAt ?? new Date()).toISOString(),
      territories,
      assigned: territories.reduce((sum, t) => sum + t.accounts, 0),
      withoutLocation: outcome.withoutLocation,
      outsideAreas: outcome.outsideAreas,
      changed: outcome.changed,
      ownersSet: outcome.ownersSet,
    };
  }

  /** Withdraws the publication: accounts lose their territory and the rule without territories applies again. */
  async unpublish(actor: Actor, id: string): Promise<TerritoryPlanDto> {
    assertManager(actor, 'publish territory plans');
    const saved = await this.#deps.territories.get(actor.orgId, id);
    if (!saved) throw new AppError('NOT_FOUND', 'Territory plan not found');
    if (!saved.publishedAt) throw new AppError('CONFLICT', 'This plan is not published');
    await this.#deps.transaction((repos) => repos.territories.unpublish(actor.orgId, id));
    return this.get(actor, id);
  }

  /**
   * Coverage (F-TER-3) of the published plan, or of a saved plan given by id: areas no territory
   * covers, areas whose territory has no rep, and the accounts nobody visited for `days` days (those
   * the caller may read), with the territory they lie in.
   */
  async coverage(actor: Actor, query: TerritoryCoverageQuery): Promise<TerritoryCoverageDto> {
    assertManager(actor, 'read territory coverage');
    const days = query.days ?? 90;
    const planId = query.planId ?? (await this.#deps.territories.publishedPlanId(actor.orgId));
    const plan = planId === undefined ? undefined : await this.#deps.territories.get(actor.orgId, planId);
    if (query.planId !== undefined && !plan) throw new AppError('NOT_FOUND', 'Territory plan not found');
    const level = plan?.level ?? 'departement';
    await this.#ensureShapes(level);
    const base = this.#baseGraph();
    const counts = await this.#accountCounts(actor.orgId);
    const territories = new Map((plan?.territories ?? []).map((t) => [t.index, t]));
    const areasWithoutTerritory: TerritoryCoverageDto['areasWithoutTerritory'] = [];
    const areasWithoutRep: TerritoryCoverageDto['areasWithoutRep'] = [];
    base.areas.forEach((a, i) => {
      const area = { code: a.id, name: a.name ?? a.id, accounts: counts[i] ?? 0 };
      const t = plan?.areas.get(a.id);
      const territory = t === undefined ? undefined : territories.get(t);
      if (t === undefined || !territory) areasWithoutTerritory.push(area);
      else if (territory.repUserId === null) areasWithoutRep.push({ ...area, territory: t, territoryName: territory.name });
    });
    const { read } = await this.#deps.scopes.of(actor);
    const notVisited = await this.#deps.territories.notVisited(actor.orgId, plan?.id ?? null, level, days, read, query.limit ?? 2000, Boolean(plan?.publishedAt));
    return {
      plan: plan ? { id: plan.id, name: plan.name, publishedAt: plan.publishedAt?.toISOString() ?? null } : null,
      days,
      areasWithoutTerritory,
      areasWithoutRep,
      territoriesWithoutRep: (plan?.territories ?? [])
        .filter((t) => t.repUserId === null)
        .map((t) => ({ index: t.index, name: t.name, areas: [...(plan?.areas.values() ?? [])].filter((x) => x === t.index).length })),
      notVisited: {
        total: notVisited.total,
        byTerritory: [...notVisited.byTerritory].sort(([a], [b]) => a - b).map(([territory, count]) => ({ territory, count })),
        items: notVisited.items.map((a) => ({
          id: a.id,
          name: a.name,
          location: a.lng === null || a.lat === null ? null : { lng: a.lng, lat: a.lat },
          lastVisitAt: a.lastVisitAt?.toISOString() ?? null,
          ownerName: a.ownerName,
          territory: a.territory,
        })),
      },
    };
  }

  /**
   * The areas as a GeoJSON FeatureCollection (JSON text): polygons (cached once) with `code`, `name`,
   * `accounts` (the organisation's located accounts inside) and `population`.
   */
  async areasJson(actor: Actor, level: TerritoryLevel): Promise<string> {
    assertLevel(level);
    this.#geometries ??= new Map(loadBoundaries('fr-departements').features.map((f) => [f.properties.code, JSON.stringify(f.geometry)]));
    const base = this.#baseGraph();
    const counts = await this.#accountCounts(actor.orgId);
    const features = base.areas.map(
      (a, i) =>
        `{"type":"Feature","id":${String(i)},"properties":${JSON.stringify({ code: a.id, name: a.name ?? a.id, accounts: counts[i] ?? 0, population: a.measures.potential })},"geometry":${this.#geometries?.get(a.id) ?? 'null'}}`,
    );
    return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
  }
}
