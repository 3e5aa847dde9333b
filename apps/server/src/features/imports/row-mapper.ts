import { ACCOUNT_KINDS, ACCOUNT_STATUSES, isValidLngLat, type AccountKind, type AccountStatus } from '@geocrm/domain';
import type { ImportField, ImportMapping } from '@geocrm/contracts';
import { normaliseHeader } from './columns.ts';

export type AddressPart = 'line1' | 'line2' | 'postcode' | 'city' | 'country';

/** A row of the file turned into account fields; a field is present only when its cell is not empty. */
export interface ImportRow {
  readonly externalId?: string;
  readonly name?: string;
  readonly kind?: AccountKind;
  readonly status?: AccountStatus;
  readonly address: Partial<Record<AddressPart, string>>;
  readonly phone?: string;
  readonly email?: string;
  readonly website?: string;
  readonly location?: { lng: number; lat: number };
  readonly tags?: string[];
  readonly notes?: string;
  readonly ownerId?: string;
}

export type MappedRow = { readonly ok: true; readonly row: ImportRow } | { readonly ok: false; readonly reason: string; /** The name cell as written, for the report. */ readonly name: string };

const KIND_WORDS: Record<string, AccountKind> = {
  client: 'client',
  clients: 'client',
  customer: 'client',
  prospect: 'prospect',
  prospects: 'prospect',
  fournisseur: 'supplier',
  supplier: 'supplier',
  partenaire: 'partner',
  partner: 'partner',
  'sous traitant': 'subcontractor',
  soustraitant: 'subcontractor',
  subcontractor: 'subcontractor',
  equipement: 'equipment',
  equipment: 'equipment',
  materiel: 'equipment',
  concurrent: 'competitor',
  competitor: 'competitor',
  chantier: 'job_site',
  'job site': 'job_site',
  job_site: 'job_site',
};
const STATUS_WORDS: Record<string, AccountStatus> = {
  actif: 'active',
  active: 'active',
  inactif: 'inactive',
  inactive: 'inactive',
  piste: 'lead',
  lead: 'lead',
  perdu: 'lost',
  lost: 'lost',
  archive: 'archived',
  archived: 'archived',
};
const COUNTRY_WORDS: Record<string, string> = {
  france: 'FR',
  belgique: 'BE',
  belgium: 'BE',
  suisse: 'CH',
  switzerland: 'CH',
  luxembourg: 'LU',
  monaco: 'MC',
  allemagne: 'DE',
  germany: 'DE',
  espagne: 'ES',
  spain: 'ES',
  italie: 'IT',
  italy: 'IT',
  andorre: 'AD',
  andorra: 'AD',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const quote = (s: string): string => `"${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`;

/** A number written either way: `48.85`, `48,85`. */
const parseCoordinate = (text: string): number => (/^[+-]?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN);

export interface MapContext {
  readonly mapping: ImportMapping;
  /** Active users of the organisation by lower-case e-mail (for an owner column). */
  readonly usersByEmail: ReadonlyMap<string, string>;
}

/** Reads one row: every problem is a reason in words that names the column and the value. */
export const mapRow = (cells: readonly string[], context: MapContext): MappedRow => {
  const { mapping } = context;
  const value: Partial<Record<ImportField, string>> = {};
  for (let i = 0; i < mapping.length; i++) {
    const field = mapping[i];
    if (!field) continue;
    const text = (cells[i] ?? '').trim();
    if (text !== '') value[field] = text;
  }
  const extra = cells.slice(mapping.length).filter((c) => c.trim() !== '');
  if (extra.length > 0) return { ok: false, name: (value.name ?? '').slice(0, 200), reason: `The row has ${cells.length} cells but the header names ${mapping.length} columns (a separator inside a cell that is not quoted?)` };

  const errors: string[] = [];
  const row: { -readonly [K in keyof ImportRow]: ImportRow[K] } = { address: {} };

  if (value.externalId !== undefined) {
    if (value.externalId.length > 200) errors.push('External id is longer than 200 characters');
    else row.externalId = value.externalId;
  }
  if (value.name !== undefined) {
    if (value.name.length > 200) errors.push(`Name is longer than 200 characters`);
    else row.name = value.name;
  }
  if (value.kind !== undefined) {
    const word = normaliseHeader(value.kind);
    const kind = KIND_WORDS[word] ?? KIND_WORDS[word.replace(/ /g, '_')];
    if (kind) row.kind = kind;
    else errors.push(`Kind ${quote(value.kind)} is unknown (expected one of ${ACCOUNT_KINDS.join(', ')}, or Client, Prospect, Fournisseur, Partenaire, Sous-traitant, Concurrent, Chantier)`);
  }
  if (value.status !== undefined) {
    const status = STATUS_WORDS[normaliseHeader(value.status)];
    if (status) row.status = status;
    else errors.push(`Status ${quote(value.status)} is unknown (expected one of ${ACCOUNT_STATUSES.join(', ')})`);
  }
  for (const part of ['line1', 'line2', 'city'] as const) {
    const text = value[part];
    if (text === undefined) continue;
    if (text.length > 200) errors.push(`${part === 'city' ? 'City' : 'Address'} is longer than 200 characters`);
    else row.address[part] = text;
  }
  if (value.country !== undefined) {
    const upper = value.country.toUpperCase();
    const code = /^[A-Z]{2}$/.test(upper) ? upper : COUNTRY_WORDS[normaliseHeader(value.country)];
    if (code) row.address.country = code;
    else errors.push(`Country ${quote(value.country)} is not a two-letter ISO code (FR, BE, CH…)`);
  }
  if (value.postcode !== undefined) {
    let postcode = value.postcode.replace(/\s+/g, ' ');
    // A French postcode read as a number by a spreadsheet loses its leading zero (01000 → 1000).
    const country = row.address.country ?? 'FR';
    if (country === 'FR' && /^\d{4}$/.test(postcode)) postcode = `0${postcode}`;
    if (postcode.length > 20) errors.push(`Postcode ${quote(postcode)} is longer than 20 characters`);
    else if (country === 'FR' && !/^\d{5}$/.test(postcode)) errors.push(`Postcode ${quote(value.postcode)} is not a French postcode (5 digits)`);
    else row.address.postcode = postcode;
  }
  if (value.phone !== undefined) {
    if (value.phone.length > 40) errors.push('Phone is longer than 40 characters');
    else row.phone = value.phone;
  }
  if (value.email !== undefined) {
    if (!EMAIL.test(value.email) || value.email.length > 254) errors.push(`Email ${quote(value.email)} is not an e-mail address`);
    else row.email = value.email;
  }
  if (value.website !== undefined) {
    if (value.website.length > 500) errors.push('Website is longer than 500 characters');
    else row.website = value.website;
  }
  if (value.lat !== undefined || value.lng !== undefined) {
    if (value.lat === undefined || value.lng === undefined) errors.push(value.lat === undefined ? 'Longitude is given without a latitude' : 'Latitude is given without a longitude');
    else {
      const lat = parseCoordinate(value.lat);
      const lng = parseCoordinate(value.lng);
      if (Number.isNaN(lat)) errors.push(`Latitude ${quote(value.lat)} is not a number`);
      else if (lat < -90 || lat > 90) errors.push(`Latitude ${value.lat} is out of range (−90 to 90)`);
      if (Number.isNaN(lng)) errors.push(`Longitude ${quote(value.lng)} is not a number`);
      else if (lng < -180 || lng > 180) errors.push(`Longitude ${value.lng} is out of range (−180 to 180)`);
      if (isValidLngLat(lng, lat)) row.location = { lng, lat };
    }
  }
  if (value.tags !== undefined) {
    const tags = [...new Set(value.tags.split(/[,;|]/).map((t) => t.trim()).filter(Boolean))];
    if (tags.some((t) => t.length > 50)) errors.push('A tag is longer than 50 characters');
    else if (tags.length > 50) errors.push('More than 50 tags');
    else row.tags = tags;
  }
  if (value.notes !== undefined) {
    if (value.notes.length > 20_000) errors.push('Notes are longer than 20,000 characters');
    else row.notes = value.notes;
  }
  if (value.ownerEmail !== undefined) {
    const ownerId = context.usersByEmail.get(value.ownerEmail.toLowerCase());
    if (ownerId) row.ownerId = ownerId;
    else errors.push(`Owner ${quote(value.ownerEmail)} is not the e-mail of a user of your organisation`);
  }
  if (errors.length > 0) return { ok: false, name: (value.name ?? '').slice(0, 200), reason: errors.join('; ') };
  return { ok: true, row };
};
