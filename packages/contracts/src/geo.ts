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

export const GEOCODER_CHOICES = ['embedded', 'nominatim', 'photon', 'ban', 'pelias'] as const;

export const GeocoderList = Type.Object({
  /** The geocoders a person may choose: `embedded`, plus the configured online one. */
  items: Type.Array(Type.Enum(GEOCODER_CHOICES)),
  default: Type.Enum(GEOCODER_CHOICES),
});
export type GeocoderList = Static<typeof GeocoderList>;

/** Free text (`q`) or fields; GeocodeJSON out, best candidate first. */
export const GeocodeQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    street: Type.Optional(Type.String({ maxLength: 200 })),
    postcode: Type.Optional(Type.String({ maxLength: 20 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
    country: Type.Optional(Type.String({ maxLength: 60 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5 })),
    /** `embedded` (offline) or the configured online geocoder; default: the configured one. */
    provider: Type.Optional(Type.Enum(GEOCODER_CHOICES)),
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

export const AddressFileDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  format: Type.Enum(['ban', 'openaddresses'] as const),
  points: Type.Integer(),
  /** Rows that could not be read (bad coordinate, missing street…). */
  rejected: Type.Integer(),
  loadedBy: Type.Union([Type.String(), Type.Null()]),
  loadedByName: Type.Union([Type.String(), Type.Null()]),
  loadedAt: Type.String(),
});
export type AddressFileDto = Static<typeof AddressFileDto>;
export const AddressFileList = Type.Object({ items: Type.Array(AddressFileDto) });
export type AddressFileList = Static<typeof AddressFileList>;

export const AddressFileUploadQuery = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 300, description: 'The file name, e.g. adresses-59.csv' }) },
  { additionalProperties: false },
);
export type AddressFileUploadQuery = Static<typeof AddressFileUploadQuery>;

export const AddressFileLoadResult = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  format: Type.Enum(['ban', 'openaddresses'] as const),
  points: Type.Integer(),
  rejected: Type.Integer(),
  /** The first rejected rows with their line number and reason. */
  errors: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
});
export type AddressFileLoadResult = Static<typeof AddressFileLoadResult>;
