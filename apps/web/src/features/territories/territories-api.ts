import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type {
  DesignTerritoriesBody,
  EvaluateTerritoryPlanBody,
  MoveTerritoryAreasBody,
  PublishTerritoryPlanBody,
  PublishTerritoryPlanResult,
  SaveTerritoryPlanBody,
  TerritoryCoverageDto,
  TerritoryPlanDto,
  TerritoryPlanList,
  UpdateTerritoryPlanBody,
} from '../../api/types.ts';
import { api } from '../../api/client.ts';

export interface AreaProperties {
  readonly code: string;
  readonly name: string;
  readonly accounts: number;
  readonly population: number;
}
export type AreaCollection = FeatureCollection<Polygon | MultiPolygon, AreaProperties>;

const keys = {
  areas: ['territories', 'areas'] as const,
  plans: ['territories', 'plans'] as const,
  plan: (id: string) => ['territories', 'plans', id] as const,
  coverage: (days: number) => ['territories', 'coverage', days] as const,
};

/** The départements with the organisation's account counts and population. */
export const useTerritoryAreas = () =>
  useQuery({ queryKey: keys.areas, queryFn: ({ signal }) => api<AreaCollection>('/territories/areas?level=departement', { signal }), staleTime: 60_000 });

export const useDesignTerritories = () => useMutation({ mutationFn: (body: DesignTerritoriesBody) => api<TerritoryPlanDto>('/territories/design', { method: 'POST', body }) });

/** Metrics of a hand-edited plan that is not saved. */
export const useEvaluatePlan = () => useMutation({ mutationFn: (body: EvaluateTerritoryPlanBody) => api<TerritoryPlanDto>('/territories/evaluate', { method: 'POST', body }) });

export const useTerritoryPlans = () => useQuery({ queryKey: keys.plans, queryFn: ({ signal }) => api<TerritoryPlanList>('/territories/plans', { signal }) });

export const useLoadPlan = () => useMutation({ mutationFn: (id: string) => api<TerritoryPlanDto>(`/territories/plans/${encodeURIComponent(id)}`) });

export const useSavePlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SaveTerritoryPlanBody) => api<TerritoryPlanDto>('/territories/plans', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.plans }),
  });
};

export const useMovePlanAreas = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MoveTerritoryAreasBody }) => api<TerritoryPlanDto>(`/territories/plans/${encodeURIComponent(id)}/areas`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.plans }),
  });
};

export const useUpdatePlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateTerritoryPlanBody }) => api<TerritoryPlanDto>(`/territories/plans/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.plans }),
  });
};

export const useDeletePlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<null>(`/territories/plans/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.plans }),
  });
};

/** Publishing changes who sees which account: every account query is stale afterwards. */
export const usePublishPlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PublishTerritoryPlanBody }) =>
      api<PublishTerritoryPlanResult>(`/territories/plans/${encodeURIComponent(id)}/publish`, { method: 'POST', body }),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['territories'] }), client.invalidateQueries({ queryKey: ['accounts'] })]),
  });
};

export const useUnpublishPlan = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TerritoryPlanDto>(`/territories/plans/${encodeURIComponent(id)}/publish`, { method: 'DELETE' }),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['territories'] }), client.invalidateQueries({ queryKey: ['accounts'] })]),
  });
};

/** Coverage of the published plan: areas without territory or rep, accounts not visited in `days` days. */
export const useCoverage = (days: number, enabled: boolean) =>
  useQuery({
    queryKey: keys.coverage(days),
    queryFn: ({ signal }) => api<TerritoryCoverageDto>(`/territories/coverage?days=${String(days)}&limit=3000`, { signal }),
    enabled,
  });
