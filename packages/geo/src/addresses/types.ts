/** One address point of an address file (BAN, OpenAddresses), ready to store and match. */
export interface AddressPoint {
  /** House number with its suffix, lower case: '18', '18 bis', '3 b'. */
  readonly number: string;
  /** Street name as written in the file ('Rue Roger Salengro'). */
  readonly street: string;
  /** Five digits, or '' when the file has none. */
  readonly postcode: string;
  /** INSEE code of the commune (BAN only). */
  readonly cityInsee?: string;
  readonly city: string;
  /** Former (merged) commune the address is in, as BAN names it. */
  readonly oldCity?: string;
  readonly lng: number;
  readonly lat: number;
  /** normalizeStreetKey(street): what matching compares. */
  readonly streetKey: string;
  /** normalizePlaceName(city). */
  readonly cityKey: string;
  /** normalizePlaceName(oldCity), when there is one. */
  readonly oldCityKey?: string;
  /** The file's identifier of the address (BAN `id`, OpenAddresses `ID` or `HASH`). */
  readonly id?: string;
}

export const ADDRESS_FILE_FORMATS = ['ban', 'openaddresses'] as const;
export type AddressFileFormat = (typeof ADDRESS_FILE_FORMATS)[number];

/** What a reader yields, in file order: a point, or a row it could not read (reading goes on). */
export type AddressFileItem =
  | { readonly kind: 'point'; readonly line: number; readonly point: AddressPoint }
  | { readonly kind: 'error'; readonly line: number; readonly message: string; readonly column?: string };
