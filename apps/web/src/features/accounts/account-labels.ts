import type { AccountKind, AccountStatus, GeoPrecision, GeoSource, Role } from '@geocrm/domain';

export const KIND_LABELS: Record<AccountKind, string> = {
  client: 'Client',
  prospect: 'Prospect',
  supplier: 'Supplier',
  partner: 'Partner',
  subcontractor: 'Subcontractor',
  equipment: 'Equipment',
  competitor: 'Competitor',
  job_site: 'Job site',
};

export const STATUS_LABELS: Record<AccountStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  lead: 'Lead',
  lost: 'Lost',
  archived: 'Archived',
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  rep: 'Sales rep',
  technician: 'Technician',
  backoffice: 'Back office',
};

export const WEEKDAY_LABELS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export const PRECISION_LABELS: Record<GeoPrecision, string> = {
  housenumber: 'House number',
  street: 'Street',
  locality: 'Locality',
  municipality: 'Municipality',
  postcode: 'Postcode',
  region: 'Region',
  country: 'Country',
};

export const SOURCE_LABELS: Record<GeoSource, string> = {
  manual: 'Placed by hand',
  gazetteer: 'Built-in gazetteer',
  address_points: 'Address points',
  nominatim: 'Nominatim',
  photon: 'Photon',
  ban: 'BAN (Base Adresse Nationale)',
  pelias: 'Pelias',
  import: 'Import',
  demo: 'Demo data',
};
