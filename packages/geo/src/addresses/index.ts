export { createMemoryAddressPointSource, withAddressPoints, type AddressPointSource, type AddressPointsOptions } from './geocoder.ts';
export { addressMatchToFeature, matchAddressPoints, parseStreetAddress, splitHouseNumber, type AddressMatch, type AddressMatchMethod, type MatchAddressOptions, type ParsedStreetAddress } from './match.ts';
export { BAN_COLUMNS, OPENADDRESSES_COLUMNS, detectAddressFileFormat, readAddressFile, readBanCsv, readOpenAddressesCsv, type AddressFileInput } from './read.ts';
export { normalizeStreetKey, streetComparer, streetSimilarity } from './street-key.ts';
export * from './types.ts';
