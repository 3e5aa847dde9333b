import { Type, type Static, type TSchema } from 'typebox';
import { ACCOUNT_KINDS } from '@geocrm/domain';
import { IsoDateTime, Uuid } from './common.ts';
import { AccountFilterQuery } from './accounts.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The account fields a column of an imported file can fill. */
export const IMPORT_FIELDS = [
  'externalId',
  'name',
  'kind',
  'status',
  'line1',
  'line2',
  'postcode',
  'city',
  'country',
  'phone',
  'email',
  'website',
  'lat',
  'lng',
  'tags',
  'notes',
  'ownerEmail',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const ImportFieldSchema = Type.Enum(IMPORT_FIELDS);

/** How an imported row finds the account it updates; `none` always creates. */
export const IMPORT_MATCH_MODES = ['externalId', 'namePostcode', 'none'] as const;
export type ImportMatchMode = (typeof IMPORT_MATCH_MODES)[number];

export const IMPORT_STATUSES = ['draft', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One entry per column of the file, in order: the field it fills, or null to ignore the column. */
export const ImportMapping = Type.Array(Nullable(ImportFieldSchema), { maxItems: 500 });
export type ImportMapping = Static<typeof ImportMapping>;

export const ImportOptions = Type.Object(
  {
    mapping: ImportMapping,
    matchBy: Type.Enum(IMPORT_MATCH_MODES),
    /** One bad row and nothing is imported; otherwise bad rows are skipped and reported. */
    allOrNothing: Type.Boolean(),
    /** The kind of a created account when no column gives it. */
    defaultKind: Type.Enum(ACCOUNT_KINDS),
  },
  { additionalProperties: false },
);
export type ImportOptions = Static<typeof ImportOptions>;

export const ImportPreviewBody = Type.Object(
  { mapping: ImportMapping, matchBy: Type.Optional(Type.Enum(IMPORT_MATCH_MODES)), defaultKind: Type.Optional(Type.Enum(ACCOUNT_KINDS)) },
  { additionalProperties: false },
);
export type ImportPreviewBody = Static<typeof ImportPreviewBody>;

export const ImportUploadQuery = Type.Object(
  { filename: Type.String({ minLength: 1, maxLength: 255, description: 'The name of the uploaded file (its extension tells CSV from XLSX)' }) },
  { additionalProperties: false },
);
export type ImportUploadQuery = Static<typeof ImportUploadQuery>;

export const ImportJobDto = Type.Object({
  id: Uuid,
  status: Type.Enum(IMPORT_STATUSES),
  fileName: Type.String(),
  fileSize: Type.Integer(),
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  /** `utf-8` or `windows-1252` (CSV only). */
  encoding: Nullable(Type.String()),
  /** The column separator found in a CSV file. */
  delimiter: Nullable(Type.String()),
  columns: Type.Array(Type.String()),
  /** Data rows in the file (the header not counted). */
  totalRows: Type.Integer(),
  processedRows: Type.Integer(),
  createdCount: Type.Integer(),
  updatedCount: Type.Integer(),
  skippedCount: Type.Integer(),
  error: Nullable(Type.String()),
  options: Nullable(ImportOptions),
  createdAt: IsoDateTime,
  startedAt: Nullable(IsoDateTime),
  finishedAt: Nullable(IsoDateTime),
  /** Why lines were skipped, most frequent first (when any were). */
  skippedReasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
});
export type ImportJobDto = Static<typeof ImportJobDto>;

export const ImportPreviewRow = Type.Object({
  /** The line of the file (1 = the header). */
  line: Type.Integer(),
  cells: Type.Array(Type.String()),
  errors: Type.Array(Type.String()),
});
export type ImportPreviewRow = Static<typeof ImportPreviewRow>;

export const ImportPreview = Type.Object({
  /** A field required by the options that no column fills, in words (empty when the mapping is complete). */
  mappingErrors: Type.Array(Type.String()),
  rows: Type.Array(ImportPreviewRow),
});
export type ImportPreview = Static<typeof ImportPreview>;

export const ImportUploadResult = Type.Object({
  job: ImportJobDto,
  /** The suggested field for each column (from its header), or null. */
  suggestions: ImportMapping,
  preview: ImportPreview,
});
export type ImportUploadResult = Static<typeof ImportUploadResult>;

export const ImportJobList = Type.Object({ items: Type.Array(ImportJobDto) });
export type ImportJobList = Static<typeof ImportJobList>;

export const ImportReportQuery = Type.Object({ format: Type.Optional(Type.Enum(['csv', 'json'])) }, { additionalProperties: false });
export type ImportReportQuery = Static<typeof ImportReportQuery>;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const AccountExportQuery = Type.Object({ ...AccountFilterQuery, format: Type.Enum(EXPORT_FORMATS) }, { additionalProperties: false });
export type AccountExportQuery = Static<typeof AccountExportQuery>;
