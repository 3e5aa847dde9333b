/** On-disk layout of data/fr-communes.json: column arrays, one entry per commune (same index). */
export interface CommunesFile {
  readonly format: 'geocrm-fr-communes/1';
  readonly sources: Readonly<Record<string, { readonly version: string; readonly license: string }>>;
  /** [code, name] */
  readonly regions: [string, string][];
  /** [code, name, region code] */
  readonly departements: [string, string, string][];
  readonly communes: {
    insee: string[];
    name: string[];
    /** Space-separated postcodes. */
    postcodes: string[];
    departement: string[];
    population: number[];
    lng: (number | null)[];
    lat: (number | null)[];
    /** 0 = no location, 1 = GeoNames point, 2 = centre of the located communes sharing a postcode. */
    source: number[];
    /** 0 = commune, 1 = municipal arrondissement (Paris, Lyon, Marseille). */
    kind: number[];
  };
  readonly formerCommunes: {
    insee: string[];
    name: string[];
    /** INSEE code of the current commune it belongs to. */
    parent: string[];
    /** 0 = commune déléguée, 1 = commune associée. */
    kind: number[];
    lng: (number | null)[];
    lat: (number | null)[];
  };
}
