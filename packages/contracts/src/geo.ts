import { Type, type Static } from 'typebox';

export const BOUNDARY_LAYERS = ['countries', 'fr-regions', 'fr-departements'] as const;
export type BoundaryLayer = (typeof BOUNDARY_LAYERS)[number];
export const BoundaryParams = Type.Object(
  { layer: Type.Enum(BOUNDARY_LAYERS) },
  { additionalProperties: false },
);
export type BoundaryParams = Static<typeof BoundaryParams>;

export const Attribution = Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), licence: Type.String(), url: Type.String() })) });
export type Attribution = Static<typeof Attribution>;
