import type { ImportField, ImportMatchMode } from '@geocrm/contracts';

/** The fields a column can fill, in the order the mapping menu shows them. */
export const FIELD_OPTIONS: readonly { value: ImportField; label: string }[] = [
  { value: 'name', label: 'Name' },
  { value: 'externalId', label: 'External id' },
  { value: 'kind', label: 'Kind' },
  { value: 'status', label: 'Status' },
  { value: 'line1', label: 'Address' },
  { value: 'line2', label: 'Address line 2' },
  { value: 'postcode', label: 'Postcode' },
  { value: 'city', label: 'City' },
  { value: 'country', label: 'Country' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'website', label: 'Website' },
  { value: 'lat', label: 'Latitude' },
  { value: 'lng', label: 'Longitude' },
  { value: 'tags', label: 'Tags' },
  { value: 'notes', label: 'Notes' },
  { value: 'ownerEmail', label: 'Owner (user e-mail)' },
];

export const MATCH_OPTIONS: readonly { value: ImportMatchMode; label: string; hint: string }[] = [
  { value: 'externalId', label: 'External id', hint: 'A row whose external id is already known updates that account; others are created.' },
  { value: 'namePostcode', label: 'Name + postcode', hint: 'A row with the name (any case) and postcode of an account updates it; others are created.' },
  { value: 'none', label: 'Always create', hint: 'Every row creates a new account.' },
];

export const ENCODING_LABELS: Record<string, string> = { 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252 (Excel, Western Europe)', 'utf-16le': 'UTF-16' };
export const DELIMITER_LABELS: Record<string, string> = { ';': 'semicolon ;', ',': 'comma ,', '\t': 'tab', '|': 'pipe |' };

export const formatBytes = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
