import type { ImportField, ImportMapping, ImportMatchMode } from '@geocrm/contracts';

/** Header words (French and English) for each field; compared without case, accents or punctuation. */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  externalId: ['id', 'identifiant', 'external id', 'externalid', 'id externe', 'reference', 'ref', 'reference client', 'ref client', 'code client', 'numero client', 'n client', 'no client', 'siret', 'siren', 'code'],
  name: ['raison sociale', 'nom', 'societe', 'entreprise', 'name', 'company', 'company name', 'account', 'account name', 'compte', 'nom du compte', 'enseigne', 'denomination', 'etablissement', 'client'],
  kind: ['type', 'kind', 'type de compte', 'nature', 'categorie', 'category'],
  status: ['statut', 'status', 'etat', 'state'],
  line1: ['adresse', 'rue', 'address', 'adresse 1', 'adresse ligne 1', 'address 1', 'address line 1', 'line1', 'voie', 'street', 'numero et rue', 'adresse postale'],
  line2: ['complement', 'complement d adresse', 'complement adresse', 'adresse 2', 'adresse ligne 2', 'address 2', 'address line 2', 'line2', 'batiment'],
  postcode: ['cp', 'code postal', 'codepostal', 'postcode', 'post code', 'postal code', 'zip', 'zip code', 'zipcode'],
  city: ['ville', 'commune', 'city', 'localite', 'town', 'municipality'],
  country: ['pays', 'country', 'code pays', 'country code'],
  phone: ['tel', 'telephone', 'tel fixe', 'phone', 'phone number', 'portable', 'mobile', 'standard', 'numero de telephone'],
  email: ['email', 'e mail', 'mail', 'courriel', 'adresse email', 'adresse e mail', 'adresse mail', 'email address'],
  website: ['site', 'site web', 'site internet', 'website', 'web', 'url'],
  lat: ['latitude', 'lat', 'y'],
  lng: ['longitude', 'lng', 'lon', 'long', 'x'],
  tags: ['tags', 'tag', 'etiquettes', 'etiquette', 'labels', 'mots cles', 'segments'],
  notes: ['notes', 'note', 'commentaire', 'commentaires', 'remarques', 'remarque', 'observations', 'comments', 'comment'],
  ownerEmail: ['commercial', 'email commercial', 'proprietaire', 'owner', 'owner email', 'responsable', 'responsable du compte', 'account owner'],
};

/** Lower case, no accents, words separated by single spaces. */
export const normaliseHeader = (header: string): string =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const LOOKUP = new Map<string, ImportField>(
  (Object.entries(SYNONYMS) as [ImportField, readonly string[]][]).flatMap(([field, words]) => words.map((w) => [normaliseHeader(w), field] as const)),
);

/** The field each column most likely fills (each field at most once, the first column wins). */
export const suggestMapping = (columns: readonly string[]): ImportMapping => {
  const used = new Set<ImportField>();
  return columns.map((column) => {
    const key = normaliseHeader(column);
    const field = LOOKUP.get(key) ?? LOOKUP.get(key.replace(/ s$/, ''));
    if (!field || used.has(field)) return null;
    used.add(field);
    return field;
  });
};

/** The natural match mode for a mapping: by external id when a column gives one, else name + postcode. */
export const defaultMatchMode = (mapping: ImportMapping): ImportMatchMode => {
  if (mapping.includes('externalId')) return 'externalId';
  if (mapping.includes('name') && mapping.includes('postcode')) return 'namePostcode';
  return 'none';
};

const FIELD_LABELS: Record<ImportField, string> = {
  externalId: 'External id',
  name: 'Name',
  kind: 'Kind',
  status: 'Status',
  line1: 'Address',
  line2: 'Address line 2',
  postcode: 'Postcode',
  city: 'City',
  country: 'Country',
  phone: 'Phone',
  email: 'Email',
  website: 'Website',
  lat: 'Latitude',
  lng: 'Longitude',
  tags: 'Tags',
  notes: 'Notes',
  ownerEmail: 'Owner email',
};
export const fieldLabel = (field: ImportField): string => FIELD_LABELS[field];

/** What is wrong with a mapping for these options, in words; empty when it can run. */
export const mappingErrors = (columns: readonly string[], mapping: ImportMapping, matchBy: ImportMatchMode): string[] => {
  const errors: string[] = [];
  if (mapping.length !== columns.length) errors.push(`The mapping has ${mapping.length} entries but the file has ${columns.length} columns.`);
  const counts = new Map<ImportField, number>();
  for (const field of mapping) if (field) counts.set(field, (counts.get(field) ?? 0) + 1);
  for (const [field, n] of counts) if (n > 1) errors.push(`${n} columns are mapped to ${fieldLabel(field)}: map it to one column only.`);
  if (!counts.has('name')) errors.push('Required column missing: no column is mapped to Name (e.g. "Raison sociale" or "Nom").');
  if (matchBy === 'externalId' && !counts.has('externalId')) errors.push('Matching by external id needs a column mapped to External id.');
  if (matchBy === 'namePostcode' && !counts.has('postcode')) errors.push('Matching by name + postcode needs a column mapped to Postcode.');
  if (counts.has('lat') !== counts.has('lng')) errors.push('Map both Latitude and Longitude, or neither.');
  return errors;
};
