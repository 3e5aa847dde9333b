import { Type, type Static } from 'typebox';
import { IsoDateTime, Uuid } from './common.ts';

const strict = { additionalProperties: false } as const;

export const TerritoryLevel = Type.Union([Type.Literal('departement'), Type.Literal('commune')]);
export type TerritoryLevel = Static<typeof TerritoryLevel>;
/** `accounts`: number of the organisation's located accounts in the area; `population`: inhabitants (INSEE). */
export const TerritoryMeasureName = Type.Union([Type.Literal('accounts'), Type.Literal('population')]);
export type TerritoryMeasureName = Static<typeof TerritoryMeasureName>;
/** One measure, or a weighted mix (each measure's share of its total, weighted). */
export const TerritoryMeasure = Type.Union([
  TerritoryMeasureName,
  Type.Object({ accounts: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })), population: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })) }, strict),
]);
export type TerritoryMeasure = Static<typeof TerritoryMeasure>;

const AreaCode = Type.String({ minLength: 1, maxLength: 32 });
const TerritoryIndex = Type.Integer({ minimum: 0, maximum: 999 });
/** area code → territory index (0-based). */
export const AreaAssignment = Type.Record(Type.String({ pattern: '^[0-9A-Za-z]{1,32}$' }), TerritoryIndex);
export type AreaAssignment = Static<typeof AreaAssignment>;

export const DesignTerritoriesBody = Type.Object(
  {
    level: Type.Optional(TerritoryLevel),
    /** Number of territories; defaults to the number of `repIds` when they are given. */
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    measure: Type.Optional(TerritoryMeasure),
    tolerance: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    /** One rep per territory: territory i is anchored at rep i's home (users.home_location) when known. */
    repIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 1000, uniqueItems: true })),
    /** Areas whose territory is fixed. */
    locked: Type.Optional(AreaAssignment),
    /** A saved plan to stay close to (disruption is then reported and limited). */
    currentPlanId: Type.Optional(Uuid),
    /** How much moving load away from the current plan costs (1 = as much as the whole dispersion). Default 1 with a current plan. */
    disruptionWeight: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  },
  strict,
);
export type DesignTerritoriesBody = Static<typeof DesignTerritoriesBody>;

export const TerritoryDto = Type.Object({
  index: Type.Integer(),
  name: Type.String(),
  colour: Type.String(),
  repId: Type.Union([Uuid, Type.Null()]),
  repName: Type.Union([Type.String(), Type.Null()]),
  areas: Type.Integer(),
  load: Type.Number(),
  /** (load − mean) / mean. */
  deviation: Type.Number(),
  dispersion: Type.Number(),
  pieces: Type.Integer(),
  cutEdges: Type.Integer(),
  polsbyPopper: Type.Union([Type.Number(), Type.Null()]),
});
export type TerritoryDto = Static<typeof TerritoryDto>;

export const TerritoryPlanMetrics = Type.Object({
  meanLoad: Type.Number(),
  maxDeviation: Type.Number(),
  outside: Type.Object({ pct5: Type.Integer(), pct10: Type.Integer(), pct20: Type.Integer() }),
  dispersion: Type.Number(),
  cutEdges: Type.Integer(),
  polsbyPopperMean: Type.Union([Type.Number(), Type.Null()]),
  contiguityViolations: Type.Integer(),
  islands: Type.Integer(),
  disruption: Type.Union([Type.Object({ areasMoved: Type.Integer(), loadMoved: Type.Number(), loadMovedShare: Type.Number() }), Type.Null()]),
});
export type TerritoryPlanMetrics = Static<typeof TerritoryPlanMetrics>;

export const TerritoryAreaDto = Type.Object({ code: Type.String(), name: Type.String(), territory: Type.Integer(), load: Type.Number() });
export type TerritoryAreaDto = Static<typeof TerritoryAreaDto>;

/** A designed (or saved) plan: areas with their territory, territories with their load, metrics, violations in words. */
export const TerritoryPlanDto = Type.Object({
  id: Type.Union([Uuid, Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  level: TerritoryLevel,
  k: Type.Integer(),
  measure: TerritoryMeasure,
  tolerance: Type.Number(),
  areas: Type.Array(TerritoryAreaDto),
  territories: Type.Array(TerritoryDto),
  metrics: TerritoryPlanMetrics,
  violations: Type.Array(Type.String()),
  /** Design statistics (null for a saved plan). */
  stats: Type.Union([Type.Object({ timeMs: Type.Number(), cpuMs: Type.Number(), stoppedBy: Type.String(), starts: Type.Integer(), rounds: Type.Integer() }), Type.Null()]),
  createdAt: Type.Union([IsoDateTime, Type.Null()]),
  publishedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type TerritoryPlanDto = Static<typeof TerritoryPlanDto>;

export const SaveTerritoryPlanBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    level: Type.Optional(TerritoryLevel),
    measure: Type.Optional(TerritoryMeasure),
    tolerance: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    /** Every area of the level → its territory. */
    assignment: AreaAssignment,
    territories: Type.Array(
      Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          colour: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
          repId: Type.Optional(Type.Union([Uuid, Type.Null()])),
        },
        strict,
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  strict,
);
export type SaveTerritoryPlanBody = Static<typeof SaveTerritoryPlanBody>;
/** A hand-edited (unsaved) plan to measure: same as a save without the name. */
export const EvaluateTerritoryPlanBody = Type.Omit(SaveTerritoryPlanBody, ['name']);
export type EvaluateTerritoryPlanBody = Static<typeof EvaluateTerritoryPlanBody>;

/** Rename a plan, rename / recolour its territories, give them reps. */
export const UpdateTerritoryPlanBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    territories: Type.Optional(
      Type.Array(
        Type.Object(
          {
            index: TerritoryIndex,
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            colour: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
            repId: Type.Optional(Type.Union([Uuid, Type.Null()])),
          },
          strict,
        ),
        { maxItems: 1000 },
      ),
    ),
  },
  strict,
);
export type UpdateTerritoryPlanBody = Static<typeof UpdateTerritoryPlanBody>;

export const MoveTerritoryAreasBody = Type.Object(
  { moves: Type.Array(Type.Object({ area: AreaCode, territory: TerritoryIndex }, strict), { minItems: 1, maxItems: 5000 }) },
  strict,
);
export type MoveTerritoryAreasBody = Static<typeof MoveTerritoryAreasBody>;

export const TerritoryPlanSummaryDto = Type.Object({
  id: Uuid,
  name: Type.String(),
  level: TerritoryLevel,
  k: Type.Integer(),
  measure: TerritoryMeasure,
  tolerance: Type.Number(),
  maxDeviation: Type.Union([Type.Number(), Type.Null()]),
  contiguityViolations: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: IsoDateTime,
  publishedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type TerritoryPlanSummaryDto = Static<typeof TerritoryPlanSummaryDto>;
export const TerritoryPlanList = Type.Object({ items: Type.Array(TerritoryPlanSummaryDto) });
export type TerritoryPlanList = Static<typeof TerritoryPlanList>;

export const TerritoryAreasQuery = Type.Object({ level: Type.Optional(TerritoryLevel) }, strict);
export type TerritoryAreasQuery = Static<typeof TerritoryAreasQuery>;

/** GeoJSON FeatureCollection of the areas; properties `{ code, name, accounts, population }`. */
export const TerritoryAreaCollection = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) });
export type TerritoryAreaCollection = Static<typeof TerritoryAreaCollection>;

/** Publishing a saved plan (manager, admin). `setOwners`: also make each territory's rep the owner of its accounts. */
export const PublishTerritoryPlanBody = Type.Object({ setOwners: Type.Optional(Type.Boolean()) }, strict);
export type PublishTerritoryPlanBody = Static<typeof PublishTerritoryPlanBody>;

export const PublishTerritoryPlanResult = Type.Object({
  planId: Uuid,
  publishedAt: IsoDateTime,
  territories: Type.Array(
    Type.Object({
      index: TerritoryIndex,
      id: Uuid,
      name: Type.String(),
      repId: Type.Union([Uuid, Type.Null()]),
      repName: Type.Union([Type.String(), Type.Null()]),
      accounts: Type.Integer({ minimum: 0 }),
    }),
  ),
  /** Accounts now in a territory. */
  assigned: Type.Integer({ minimum: 0 }),
  /** Not assigned: no location. */
  withoutLocation: Type.Integer({ minimum: 0 }),
  /** Not assigned: located outside every area of the plan (e.g. overseas). */
  outsideAreas: Type.Integer({ minimum: 0 }),
  /** Accounts whose territory changed. */
  changed: Type.Integer({ minimum: 0 }),
  /** Accounts given their territory's rep as owner (setOwners). */
  ownersSet: Type.Integer({ minimum: 0 }),
});
export type PublishTerritoryPlanResult = Static<typeof PublishTerritoryPlanResult>;

/** Coverage of the published plan (or of `planId`, to look at a saved plan before publishing it). */
export const TerritoryCoverageQuery = Type.Object(
  {
    /** Accounts nobody visited for at least this many days (never visited included); default 90. */
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    planId: Type.Optional(Uuid),
    /** How many of those accounts to list (all are counted); default 2000. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  strict,
);
export type TerritoryCoverageQuery = Static<typeof TerritoryCoverageQuery>;

const CoverageArea = Type.Object({ code: AreaCode, name: Type.String(), accounts: Type.Integer({ minimum: 0 }) });

export const TerritoryCoverageDto = Type.Object({
  plan: Type.Union([Type.Object({ id: Uuid, name: Type.String(), publishedAt: Type.Union([IsoDateTime, Type.Null()]) }), Type.Null()]),
  days: Type.Integer(),
  /** Areas no territory covers (every area when there is no plan). */
  areasWithoutTerritory: Type.Array(CoverageArea),
  /** Areas whose territory has no rep. */
  areasWithoutRep: Type.Array(
    Type.Object({ code: AreaCode, name: Type.String(), accounts: Type.Integer({ minimum: 0 }), territory: TerritoryIndex, territoryName: Type.String() }),
  ),
  territoriesWithoutRep: Type.Array(Type.Object({ index: TerritoryIndex, name: Type.String(), areas: Type.Integer({ minimum: 0 }) })),
  notVisited: Type.Object({
    total: Type.Integer({ minimum: 0 }),
    /** Per territory of the plan (-1: outside every territory, or no location). */
    byTerritory: Type.Array(Type.Object({ territory: Type.Integer({ minimum: -1 }), count: Type.Integer({ minimum: 0 }) })),
    items: Type.Array(
      Type.Object({
        id: Uuid,
        name: Type.String(),
        location: Type.Union([Type.Object({ lng: Type.Number(), lat: Type.Number() }), Type.Null()]),
        lastVisitAt: Type.Union([IsoDateTime, Type.Null()]),
        ownerName: Type.Union([Type.String(), Type.Null()]),
        territory: Type.Integer({ minimum: -1 }),
      }),
    ),
  }),
});
export type TerritoryCoverageDto = Static<typeof TerritoryCoverageDto>;
