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

/** Free text (`q`) or fields; GeocodeJSON out, best candidate first. */
export const GeocodeQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    street: Type.Optional(Type.String({ maxLength: 200 })),
    postcode: Type.Optional(Type.String({ maxLength: 20 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
    country: Type.Optional(Type.String({ maxLength: 60 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5 })),
  },
  { additionalProperties: false },
);
export type GeocodeQuery = Static<typeof GeocodeQuery>;

export const ReverseGeocodeQuery = Type.Object(
  { lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) },
  { additionalProperties: false },
);
export type ReverseGeocodeQuery = Static<typeof ReverseGeocodeQuery>;

const GeocodeFeatureSchema = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Tuple([Type.Number(), Type.Number()]) }),
  properties: Type.Object(
    {
      label: Type.String(),
      score: Type.Number(),
      /** housenumber, street, locality, municipality, postcode, region or country. */
      precision: Type.String(),
      /** GeocodeJSON's name for the precision. */
      type: Type.String(),
      source: Type.String(),
      name: Type.Optional(Type.String()),
      postcode: Type.Optional(Type.String()),
      city: Type.Optional(Type.String()),
      citycode: Type.Optional(Type.String()),
      district: Type.Optional(Type.String()),
      context: Type.Optional(Type.String()),
      housenumber: Type.Optional(Type.String()),
      street: Type.Optional(Type.String()),
      /** Reverse geocoding: distance from the point asked to the place's reference point, metres. */
      distance: Type.Optional(Type.Number()),
    },
    { additionalProperties: true },
  ),
});

/** GeocodeJSON FeatureCollection (the format of BAN, Photon, Pelias). */
export const GeocodeCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  geocoding: Type.Object({ version: Type.String(), query: Type.Optional(Type.String()), provider: Type.String() }),
  features: Type.Array(GeocodeFeatureSchema),
});
export type GeocodeCollection = Static<typeof GeocodeCollection>;
