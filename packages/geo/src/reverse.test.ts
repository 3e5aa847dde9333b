import { lngLat } from '@geocrm/domain';
import { describe, expect, it } from 'vitest';
import { loadFrenchCommunes } from './communes.ts';
import { nearestCommune } from './reverse.ts';

describe('nearestCommune', () => {
  it('finds the commune of a town centre with its postcode', () => {
    const paris = nearestCommune(lngLat(2.3522, 48.8566));
    expect(paris?.commune.insee).toBe('75056');
    expect(paris?.arrondissement).toBeNull();
    expect(paris?.distanceMeters).toBeLessThan(1_000);
    expect(paris?.approximate).toBe(false);
    const cattenieres = nearestCommune(lngLat(3.3275, 50.1356));
    expect(cattenieres?.commune.name).toBe('Cattenières');
    expect(cattenieres?.postcode).toBe('59217');
  });

  it('returns Lyon and Marseille with the arrondissement and its postcode', () => {
    const vieuxPort = nearestCommune(lngLat(5.3745, 43.2951));
    expect(vieuxPort?.commune.insee).toBe('13055');
    expect(vieuxPort?.arrondissement?.kind).toBe('arrondissement');
    expect(vieuxPort?.postcode).toMatch(/^130\d\d$/);
    const croixRousse = nearestCommune(lngLat(4.8272, 45.7749));
    expect(croixRousse?.commune.name).toBe('Lyon');
    expect(croixRousse?.arrondissement?.insee).toBe('69384');
    expect(croixRousse?.postcode).toBe('69004');
  });

  it('returns every GeoNames-located commune for its own point', () => {
    const sample = loadFrenchCommunes().filter((c, i) => c.kind === 'commune' && c.locationSource === 'geonames' && i % 97 === 0);
    expect(sample.length).toBeGreaterThan(100);
    const wrong = sample.filter((c) => c.location && nearestCommune(c.location)?.commune.insee !== c.insee);
    // Only exact duplicates of another commune's point may differ.
    expect(wrong.length).toBeLessThanOrEqual(1);
  });

  it('returns null at sea or abroad beyond maxDistanceMeters', () => {
    expect(nearestCommune(lngLat(-8, 46))).toBeNull();
    expect(nearestCommune(lngLat(13.4, 52.5))).toBeNull(); // Berlin
    expect(nearestCommune(lngLat(2.3522, 48.8566), { maxDistanceMeters: 10 })).toBeNull();
  });

  it('works in the overseas départements', () => {
    expect(nearestCommune(lngLat(55.45, -20.88))?.commune.departement).toBe('974');
    expect(nearestCommune(lngLat(-52.33, 4.93))?.commune.name).toBe('Cayenne');
  });
});
