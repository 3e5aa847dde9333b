import { Type, type Static, type TSchema } from 'typebox';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES, GEO_PRECISIONS, GEO_SOURCES, type AccountKind, type AccountStatus } from '@geocrm/domain';
import { HourMinute, IsoDate, LngLatSchema, Uuid } from './common.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const AccountKindSchema = Type.Enum(ACCOUNT_KINDS);
export const AccountStatusSchema = Type.Enum(ACCOUNT_STATUSES);
export const GeoPrecisionSchema = Type.Enum(GEO_PRECISIONS);
export const GeoSourceSchema = Type.Enum(GEO_SOURCES);

const ShortText = (max = 200) => Type.String({ maxLength: max });

export const AddressSchema = Type.Object(
  {
    line1: ShortText(),
    line2: ShortText(),
    postcode: ShortText(20),
    city: ShortText(),
    /** ISO 3166-1 alpha-2. */
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
  },
  { additionalProperties: false },
);
export type AddressDto = Static<typeof AddressSchema>;

export const TimeIntervalSchema = Type.Object({ from: HourMinute, to: HourMinute }, { additionalProperties: false });
const Intervals = Type.Array(TimeIntervalSchema, { maxItems: 6 });
export const OpeningHoursSchema = Type.Object(
  {
    /** Keys are ISO weekdays "1" (Monday) … "7" (Sunday); a missing day is closed. */
    weekly: Type.Object(
      {
        '1': Type.Optional(Intervals),
        '2': Type.Optional(Intervals),
        '3': Type.Optional(Intervals),
        '4': Type.Optional(Intervals),
        '5': Type.Optional(Intervals),
        '6': Type.Optional(Intervals),
        '7': Type.Optional(Intervals),
      },
      { additionalProperties: false },
    ),
    exceptions: Type.Array(
      Type.Object(
        { date: IsoDate, intervals: Intervals, note: Type.Optional(ShortText()) },
        { additionalProperties: false },
      ),
      { maxItems: 366 },
    ),
  },
  { additionalProperties: false },
);
export type OpeningHoursDto = Static<typeof OpeningHoursSchema>;

export const WeekdaySchema = Type.Integer({ minimum: 1, maximum: 7 });

export const GeoInfoSchema = Type.Object({
  precision: Nullable(GeoPrecisionSchema),
  source: Nullable(GeoSourceSchema),
  /** A person placed the pin by hand: automatic geocoding never overwrites it. */
  manual: Type.Boolean(),
  score: Nullable(Type.Number()),
});

export const ContactDto = Type.Object({
  id: Uuid,
  accountId: Uuid,
  firstName: Type.String(),
  lastName: Type.String(),
  title: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
  notes: Type.String(),
});
export type ContactDto = Static<typeof ContactDto>;

const ContactFields = {
  firstName: ShortText(),
  lastName: ShortText(),
  title: ShortText(),
  email: Nullable(Type.String({ format: 'email', maxLength: 254 })),
  phone: Nullable(Type.String({ maxLength: 40 })),
  isPrimary: Type.Boolean(),
  notes: ShortText(4000),
};
export const CreateContactBody = Type.Object(
  {
    ...ContactFields,
    lastName: Type.String({ minLength: 1, maxLength: 200 }),
    firstName: Type.Optional(ContactFields.firstName),
    title: Type.Optional(ContactFields.title),
    email: Type.Optional(ContactFields.email),
    phone: Type.Optional(ContactFields.phone),
    isPrimary: Type.Optional(ContactFields.isPrimary),
    notes: Type.Optional(ContactFields.notes),
  },
  { additionalProperties: false },
);
export type CreateContactBody = Static<typeof CreateContactBody>;
export const UpdateContactBody = Type.Partial(Type.Object(ContactFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateContactBody = Static<typeof UpdateContactBody>;
export const ContactParams = Type.Object({ id: Uuid, contactId: Uuid }, { additionalProperties: false });
export type ContactParams = Static<typeof ContactParams>;

export const AccountDto = Type.Object({
  id: Uuid,
  kind: AccountKindSchema,
  status: AccountStatusSchema,
  name: Type.String(),
  ownerId: Nullable(Uuid),
  ownerName: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  customFields: Type.Record(Type.String(), Type.Unknown()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  website: Nullable(Type.String()),
  address: AddressSchema,
  location: Nullable(LngLatSchema),
  geo: GeoInfoSchema,
  openingHours: OpeningHoursSchema,
  preferredVisitDays: Type.Array(WeekdaySchema),
  notes: Type.String(),
  /** Last visit (ISO date-time), null = never visited. */
  lastVisitAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type AccountDto = Static<typeof AccountDto>;

export const AccountDetailDto = Type.Intersect([AccountDto, Type.Object({ contacts: Type.Array(ContactDto) })]);
export type AccountDetailDto = Static<typeof AccountDetailDto>;

const Tag = Type.String({ minLength: 1, maxLength: 50, pattern: '^[^,]+$' });
const AccountWritable = {
  kind: AccountKindSchema,
  status: AccountStatusSchema,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ownerId: Nullable(Uuid),
  tags: Type.Array(Tag, { maxItems: 50, uniqueItems: true }),
  customFields: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 100 }),
  phone: Nullable(Type.String({ maxLength: 40 })),
  email: Nullable(Type.String({ format: 'email', maxLength: 254 })),
  website: Nullable(Type.String({ maxLength: 500 })),
  address: AddressSchema,
  /** Setting a location places the pin by hand (geo.manual becomes true); null clears it. */
  location: Nullable(LngLatSchema),
  openingHours: OpeningHoursSchema,
  preferredVisitDays: Type.Array(WeekdaySchema, { maxItems: 7, uniqueItems: true }),
  notes: Type.String({ maxLength: 20000 }),
};

export const CreateAccountBody = Type.Object(
  {
    kind: AccountWritable.kind,
    name: AccountWritable.name,
    status: Type.Optional(AccountWritable.status),
    ownerId: Type.Optional(AccountWritable.ownerId),
    tags: Type.Optional(AccountWritable.tags),
    customFields: Type.Optional(AccountWritable.customFields),
    phone: Type.Optional(AccountWritable.phone),
    email: Type.Optional(AccountWritable.email),
    website: Type.Optional(AccountWritable.website),
    address: Type.Optional(AccountWritable.address),
    location: Type.Optional(AccountWritable.location),
    openingHours: Type.Optional(AccountWritable.openingHours),
    preferredVisitDays: Type.Optional(AccountWritable.preferredVisitDays),
    notes: Type.Optional(AccountWritable.notes),
    contacts: Type.Optional(Type.Array(CreateContactBody, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Partial(Type.Object(AccountWritable, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;

/** `relevance` (best text match first) applies when `q` is given, and is the default then. */
export const ACCOUNT_SORTS = ['name', '-name', 'city', '-city', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'relevance'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

/** Filters shared by the list and the map. Lists are comma-separated. */
export const AccountFilterQuery = {
  kind: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated kinds' })),
  status: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated statuses' })),
  ownerId: Type.Optional(Type.String({ maxLength: 40, description: 'A user id, or "none" for accounts without owner' })),
  tag: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated tags; an account matches if it has all of them' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text search on name and city (trigram similarity)' })),
  bbox: Type.Optional(Type.String({ maxLength: 100, description: 'minLng,minLat,maxLng,maxLat' })),
  geoPrecision: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated geocoding precisions; "none" = no location' })),
  geoScoreBelow: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Automatic placements scored below this' })),
  geoManual: Type.Optional(Type.Boolean({ description: 'Only pins placed by hand (true) or only automatic ones (false)' })),
  notVisitedDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Not visited for at least this many days (never visited included)' })),
  near: Type.Optional(Type.String({ maxLength: 80, description: 'lng,lat,radiusKm: within that distance of the point' })),
};
export const AccountListQuery = Type.Object(
  {
    ...AccountFilterQuery,
    sort: Type.Optional(Type.Enum(ACCOUNT_SORTS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AccountListQuery = Static<typeof AccountListQuery>;
export const AccountMapQuery = Type.Object(AccountFilterQuery, { additionalProperties: false });
export type AccountMapQuery = Static<typeof AccountMapQuery>;

export const AccountList = Type.Object({
  items: Type.Array(AccountDto),
  nextCursor: Nullable(Type.String()),
  total: Type.Integer(),
});
export type AccountList = Static<typeof AccountList>;

/** Compact rows for the map: `[id, name, kind, status, lng, lat]`. Accounts without location are left out. */
export const AccountMapPoint = Type.Tuple([Type.String(), Type.String(), Type.String(), Type.String(), Type.Number(), Type.Number()]);
export type AccountMapPoint = [id: string, name: string, kind: AccountKind, status: AccountStatus, lng: number, lat: number];
export const AccountMap = Type.Object({
  items: Type.Array(AccountMapPoint),
  /** Matching accounts including those without a location. */
  total: Type.Integer(),
  withoutLocation: Type.Integer(),
});
export interface AccountMap {
  items: AccountMapPoint[];
  total: number;
  withoutLocation: number;
}

export const TagList = Type.Object({ items: Type.Array(Type.Object({ tag: Type.String(), count: Type.Integer() })) });
export type TagList = Static<typeof TagList>;

export const GeoQualityDto = Type.Object({
  total: Type.Integer(),
  withoutLocation: Type.Integer(),
  manual: Type.Integer(),
  byPrecision: Type.Array(Type.Object({ precision: Type.String(), count: Type.Integer() })),
  bySource: Type.Array(Type.Object({ source: Type.String(), count: Type.Integer() })),
  /** Automatic placements scored below each threshold (cumulative). */
  scoreBuckets: Type.Array(Type.Object({ below: Type.Number(), count: Type.Integer() })),
});
export type GeoQualityDto = Static<typeof GeoQualityDto>;

export const RegeocodeBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000, uniqueItems: true }),
    /** `embedded` (the offline gazetteer; `gazetteer` is its former name) or the configured online geocoder. Default: the configured one. */
    provider: Type.Optional(Type.Enum(['gazetteer', 'embedded', 'nominatim', 'photon', 'ban', 'pelias'] as const)),
  },
  { additionalProperties: false },
);
export type RegeocodeBody = Static<typeof RegeocodeBody>;

export const RegeocodeResult = Type.Object({
  /** Placed (or moved) by the geocoder. */
  placed: Type.Integer(),
  /** The geocoder found no confident place: location cleared. */
  unplaced: Type.Integer(),
  /** Pins placed by hand are never moved. */
  skippedManual: Type.Integer(),
  /** Ids that are not accounts of the organisation, or that the caller may not change. */
  skipped: Type.Integer(),
});
export type RegeocodeResult = Static<typeof RegeocodeResult>;

const Longitude = Type.Number({ minimum: -180, maximum: 180 });
const Latitude = Type.Number({ minimum: -90, maximum: 90 });

/**
 * Around a centre — a point (`lng` + `lat`), an account (`accountId`) or an address or town (`address`,
 * geocoded) — within `radiusKm` or within `minutes` of estimated driving; with the list's filters.
 */
export const AccountAroundQuery = Type.Object(
  {
    ...AccountFilterQuery,
    lng: Type.Optional(Longitude),
    lat: Type.Optional(Latitude),
    accountId: Type.Optional(Uuid),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    radiusKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 500 })),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 200 })),
    countUpTo: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 2000, description: 'Count matching accounts up to this many (counting a dense area reads each one)' })),
  },
  { additionalProperties: false },
);
export type AccountAroundQuery = Static<typeof AccountAroundQuery>;

export const AccountNearDto = Type.Object({
  ...AccountDto.properties,
  /** Great-circle distance to the centre (around, polygon) or to the line (corridor), metres. */
  distanceMeters: Type.Number(),
  /** Estimated driving time from the centre (searches by minutes), seconds. */
  durationSeconds: Nullable(Type.Integer()),
  /** Position along the line from its start (corridor searches), metres. */
  alongMeters: Nullable(Type.Number()),
});
export type AccountNearDto = Static<typeof AccountNearDto>;

export const AccountAround = Type.Object({
  centre: Type.Object({ lng: Type.Number(), lat: Type.Number(), label: Type.String() }),
  /** The search radius, metres (for `minutes`, the farthest straight-line distance that can be within them). */
  radiusMeters: Type.Number(),
  minutes: Nullable(Type.Integer()),
  items: Type.Array(AccountNearDto),
  /** Matching accounts, beyond `limit` too, counted up to `countUpTo`. */
  total: Type.Integer(),
  /** More than `total` match (the count stopped at `countUpTo`). */
  totalCapped: Type.Boolean(),
});
export type AccountAround = Static<typeof AccountAround>;

const Position = Type.Tuple([Longitude, Latitude]);
const Ring = Type.Array(Position, { minItems: 4, maxItems: 10000 });
export const SearchGeometry = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring, { minItems: 1, maxItems: 100 }), { minItems: 1, maxItems: 100 }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position, { minItems: 2, maxItems: 20000 }) }, { additionalProperties: false }),
]);
export type SearchGeometry = Static<typeof SearchGeometry>;

/** Inside a polygon drawn on the map, or within `widthKm` of a line (a route's corridor). */
export const AccountWithinBody = Type.Object(
  {
    geometry: SearchGeometry,
    /** Corridor half-width for a line: an account at most this far from it is in. Required for a line. */
    widthKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    filter: Type.Optional(Type.Object(AccountFilterQuery, { additionalProperties: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
    countUpTo: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 2000 })),
  },
  { additionalProperties: false },
);
export type AccountWithinBody = Static<typeof AccountWithinBody>;

export const AccountWithin = Type.Object({ items: Type.Array(AccountNearDto), total: Type.Integer(), totalCapped: Type.Boolean() });
export type AccountWithin = Static<typeof AccountWithin>;

/** One change applied to a selection (e.g. made with the lasso): owner and/or tags. */
export const BulkAccountsBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 5000, uniqueItems: true }),
    ownerId: Type.Optional(Nullable(Uuid)),
    addTags: Type.Optional(Type.Array(Tag, { maxItems: 50, uniqueItems: true })),
    removeTags: Type.Optional(Type.Array(Tag, { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type BulkAccountsBody = Static<typeof BulkAccountsBody>;

export const BulkAccountsResult = Type.Object({
  updated: Type.Integer(),
  /** Ids that are not accounts of the organisation, or that the caller may not change. */
  skipped: Type.Integer(),
});
export type BulkAccountsResult = Static<typeof BulkAccountsResult>;
