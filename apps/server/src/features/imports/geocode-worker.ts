import { parentPort } from 'node:worker_threads';
import { gazetteerGeocoder } from '../geo/address-geocoder.ts';

type Address = Parameters<typeof gazetteerGeocoder>[0];

/** Geocodes batches of addresses off the main thread: the same function the API uses, nothing else. */
parentPort?.on('message', (message: { id: number; addresses: Address[] }) => {
  parentPort?.postMessage({ id: message.id, results: message.addresses.map((a) => gazetteerGeocoder(a)) });
});
