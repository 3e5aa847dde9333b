import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection } from 'geojson';
import type { Attribution, BoundaryLayer } from '../../api/types.ts';
import { api } from '../../api/client.ts';

const useBoundary = (layer: BoundaryLayer, enabled = true) =>
  useQuery({
    queryKey: ['geo', 'boundaries', layer],
    queryFn: ({ signal }) => api<FeatureCollection>(`/geo/boundaries/${layer}`, { signal }),
    staleTime: Infinity,
    gcTime: Infinity,
    enabled,
  });

/** The three boundary layers of the offline base map, as they arrive. */
export const useBoundaries = ({ regions = true }: { regions?: boolean } = {}) => {
  const countries = useBoundary('countries');
  const regionLayer = useBoundary('fr-regions', regions);
  const departements = useBoundary('fr-departements');
  const boundaries = useMemo(
    () => ({ countries: countries.data, regions: regionLayer.data, departements: departements.data }),
    [countries.data, regionLayer.data, departements.data],
  );
  return { boundaries, error: countries.error ?? departements.error ?? regionLayer.error };
};

export const useAttribution = () =>
  useQuery({
    queryKey: ['geo', 'attribution'],
    queryFn: ({ signal }) => api<Attribution>('/geo/attribution', { signal }),
    staleTime: Infinity,
  });
