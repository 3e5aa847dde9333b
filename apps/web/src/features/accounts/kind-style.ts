import type { AccountKind, AccountStatus } from '@geocrm/domain';

export type MarkerShape = 'circle' | 'diamond' | 'square' | 'triangle' | 'hexagon' | 'pentagon' | 'cross' | 'star';

export interface KindStyle {
  readonly color: string;
  readonly shape: MarkerShape;
}

/** One colour and one shape per kind, so kinds stay distinguishable for colour-blind users too. */
export const KIND_STYLES: Record<AccountKind, KindStyle> = {
  client: { color: '#2563eb', shape: 'circle' },
  prospect: { color: '#f59e0b', shape: 'diamond' },
  supplier: { color: '#059669', shape: 'square' },
  partner: { color: '#7c3aed', shape: 'triangle' },
  subcontractor: { color: '#0891b2', shape: 'hexagon' },
  equipment: { color: '#64748b', shape: 'pentagon' },
  competitor: { color: '#dc2626', shape: 'cross' },
  job_site: { color: '#db2777', shape: 'star' },
};

export interface StatusStyle {
  /** Fill opacity of the symbol. */
  readonly opacity: number;
  readonly ring: 'solid' | 'dashed' | 'dark';
}

export const STATUS_STYLES: Record<AccountStatus, StatusStyle> = {
  active: { opacity: 1, ring: 'solid' },
  lead: { opacity: 0.9, ring: 'dashed' },
  inactive: { opacity: 0.45, ring: 'solid' },
  lost: { opacity: 0.45, ring: 'dark' },
  archived: { opacity: 0.2, ring: 'dark' },
};

const polygon = (sides: number, radius: number, rotation = -Math.PI / 2): string => {
  const points: string[] = [];
  for (let i = 0; i < sides; i += 1) {
    const angle = rotation + (i * 2 * Math.PI) / sides;
    points.push(`${(Math.cos(angle) * radius).toFixed(3)} ${(Math.sin(angle) * radius).toFixed(3)}`);
  }
  return `M${points.join(' L')} Z`;
};

const star = (outer: number, inner: number): string => {
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 === 0 ? outer : inner;
    points.push(`${(Math.cos(angle) * r).toFixed(3)} ${(Math.sin(angle) * r).toFixed(3)}`);
  }
  return `M${points.join(' L')} Z`;
};

/** SVG path data of a shape centred on (0, 0) within radius 1: used by the legend (SVG) and the map (Path2D). */
export const SHAPE_PATHS: Record<MarkerShape, string> = {
  circle: 'M1 0 A1 1 0 1 1 -1 0 A1 1 0 1 1 1 0 Z',
  diamond: 'M0 -1 L1 0 L0 1 L-1 0 Z',
  square: 'M-0.82 -0.82 L0.82 -0.82 L0.82 0.82 L-0.82 0.82 Z',
  triangle: 'M0 -1 L0.95 0.75 L-0.95 0.75 Z',
  hexagon: polygon(6, 1, 0),
  pentagon: polygon(5, 1),
  cross: 'M-0.35 -1 L0.35 -1 L0.35 -0.35 L1 -0.35 L1 0.35 L0.35 0.35 L0.35 1 L-0.35 1 L-0.35 0.35 L-1 0.35 L-1 -0.35 L-0.35 -0.35 Z',
  star: star(1, 0.45),
};
