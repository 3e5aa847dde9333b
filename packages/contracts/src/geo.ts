import { Type, type Static } from 'typebox';
import { GEO_PRECISIONS } from '@geocrm/domain';
import { AccountFilterQuery, SearchGeometry } from './accounts.ts';
import { Uuid } from './common.ts';

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
  {
    name: Type.String({ minLength: 1, maxLength: 300, description: 'The file name, e.g. adresses-59.csv' }),
    /** An id the uploader chooses, to follow the load with GET /geo/address-files/loads/:loadId while it uploads. */
    loadId: Type.Optional(Type.String({ format: 'uuid' })),
  },
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

// ---- Background re-geocoding jobs ----

/** Which accounts a job geocodes again. Pins placed by hand are listed but never moved. */
export const GeocodeJobScope = Type.Union([
  Type.Object({ kind: Type.Literal('all') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('belowPrecision'),
      /** Accounts placed more coarsely than this (or not placed at all). */
      precision: Type.Enum(GEO_PRECISIONS),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('ids'), ids: Type.Array(Uuid, { minItems: 1, maxItems: 10_000, uniqueItems: true }) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('filter'),
      /** The account list's filters, as in its query string (kind, status, ownerId, tag, q, geoPrecision…). */
      filter: Type.Object(AccountFilterQuery, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
]);
export type GeocodeJobScope = Static<typeof GeocodeJobScope>;

export const GeocodeJobBody = Type.Object(
  {
    scope: GeocodeJobScope,
    /** `embedded` or the configured online geocoder; default: the configured one. */
    provider: Type.Optional(Type.Enum(GEOCODER_CHOICES)),
  },
  { additionalProperties: false },
);
export type GeocodeJobBody = Static<typeof GeocodeJobBody>;

export const GEOCODE_JOB_STATUS_CHOICES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;

export const GeocodeJobDto = Type.Object({
  id: Uuid,
  status: Type.Enum(GEOCODE_JOB_STATUS_CHOICES),
  provider: Type.String(),
  scope: GeocodeJobScope,
  /** Accounts the job covers (listed when it was started). */
  total: Type.Integer(),
  processed: Type.Integer(),
  /** Moved to the new answer. */
  placed: Type.Integer(),
  /** No confident answer: the account keeps its pin. */
  notFound: Type.Integer(),
  /** The geocoder failed (network, refusal): the account keeps its pin; `reason` per account. */
  failed: Type.Integer(),
  /** Pins placed by hand are never moved. */
  skippedManual: Type.Integer(),
  /** The address changed while the job ran (the new one was placed when typed). */
  skippedChanged: Type.Integer(),
  /** Deleted while the job ran. */
  skippedGone: Type.Integer(),
  /** Placed accounts by new precision. */
  placedByPrecision: Type.Array(Type.Object({ precision: Type.String(), count: Type.Integer() })),
  /** Estimated seconds left (from the pace so far); null when unknown. */
  etaSeconds: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdByName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
export type GeocodeJobDto = Static<typeof GeocodeJobDto>;
export const GeocodeJobList = Type.Object({ items: Type.Array(GeocodeJobDto) });
export type GeocodeJobList = Static<typeof GeocodeJobList>;

export const GEOCODE_ITEM_OUTCOME_CHOICES = ['placed', 'not_found', 'failed', 'skipped_manual', 'skipped_changed', 'skipped_gone'] as const;

export const GeocodeJobItemsQuery = Type.Object(
  {
    /** One outcome, or `problems` (not found and failed). Default: every account done so far. */
    outcome: Type.Optional(Type.Enum([...GEOCODE_ITEM_OUTCOME_CHOICES, 'problems'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    /** The `seq` of the last item of the previous page. */
    after: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type GeocodeJobItemsQuery = Static<typeof GeocodeJobItemsQuery>;

export const GeocodeJobItemDto = Type.Object({
  seq: Type.Integer(),
  accountId: Uuid,
  accountName: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Enum(GEOCODE_ITEM_OUTCOME_CHOICES),
  previousPrecision: Type.Union([Type.String(), Type.Null()]),
  precision: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type GeocodeJobItemDto = Static<typeof GeocodeJobItemDto>;
export const GeocodeJobItemList = Type.Object({ items: Type.Array(GeocodeJobItemDto), next: Type.Union([Type.Integer(), Type.Null()]) });
export type GeocodeJobItemList = Static<typeof GeocodeJobItemList>;

// ---- Address-file loads with progress ----

export const AddressFileLoadDto = Type.Object({
  id: Uuid,
  name: Type.String(),
  /** `loading` (reading the file), `saving` (the points go in, all at once), then `done` or `failed`. */
  status: Type.Enum(['loading', 'saving', 'done', 'failed'] as const),
  bytesRead: Type.Integer(),
  /** The file's size when the upload said it (Content-Length). */
  bytesTotal: Type.Union([Type.Integer(), Type.Null()]),
  points: Type.Integer(),
  rejected: Type.Integer(),
  fileId: Type.Union([Uuid, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});
export type AddressFileLoadDto = Static<typeof AddressFileLoadDto>;

// ---- Export of a drawn selection (lasso or corridor) ----

/**
 * Exactly what the Nearby list shows for a lasso or a corridor: the same body as `POST /accounts/within`
 * (same geometry, width, filters and limit, so the same accounts in the same order), and a format.
 */
export const SelectionExportBody = Type.Object(
  {
    format: Type.Enum(['csv', 'xlsx', 'geojson'] as const),
    geometry: SearchGeometry,
    widthKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    filter: Type.Optional(Type.Object(AccountFilterQuery, { additionalProperties: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  },
  { additionalProperties: false },
);
export type SelectionExportBody = Static<typeof SelectionExportBody>;
