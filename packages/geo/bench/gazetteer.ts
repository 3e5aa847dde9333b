// Timings of the offline gazetteer. Run: node --import tsx packages/geo/bench/gazetteer.ts
import { lngLat } from '@geocrm/domain';
import { findCommunes, loadFrenchCommunes, nearestCommune, straightLineMatrix } from '../src/index.ts';

const time = (label: string, runs: number, fn: (i: number) => void): void => {
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn(i);
  const ms = performance.now() - start;
  console.log(`${label}: ${((ms * 1000) / runs).toFixed(1)} µs/op (${runs} runs)`);
};

time('loadFrenchCommunes (first call: parse + build)', 1, () => loadFrenchCommunes());
time('findCommunes first call (builds the trigram index)', 1, () => findCommunes('Paris'));
const queries = ['Saint-Martin', 'catenieres 59217', 'Boulogne', 'Chalons en champagne', 'xyzzy', 'Le Mesnil'];
time('findCommunes', 600, (i) => findCommunes(queries[i % queries.length] ?? ''));
time('nearestCommune first call (builds the grid)', 1, () => nearestCommune(lngLat(2.35, 48.86)));
time('nearestCommune (random metropolitan points)', 20_000, (i) =>
  nearestCommune(lngLat(-4.5 + ((i * 7919) % 1000) * 0.0118, 42.5 + ((i * 104729) % 1000) * 0.0083)),
);
const points = loadFrenchCommunes()
  .filter((c) => c.location)
  .slice(0, 500)
  .flatMap((c) => (c.location ? [c.location] : []));
time('straightLineMatrix 500×500', 5, () => straightLineMatrix(points));
