import { parentPort } from 'node:worker_threads';
import type { AddressPointsRepository } from '@geocrm/db';
import { Geocoding, type AccountAddressInput } from '../geo/geocoding.ts';

/** An organisation without address files (the pool is used only for those). */
const NO_POINTS: Pick<AddressPointsRepository, 'hasPoints'> = { hasPoints: () => Promise.resolve(false) };

/**
 * Places batches of addresses off the main thread with the accounts API's own code path for an
 * organisation that has no address files and no online geocoder: the embedded gazetteer.
 */
const geocoding = new Geocoding({ config: { provider: 'embedded' }, points: NO_POINTS as AddressPointsRepository });

parentPort?.on('message', (message: { id: number; addresses: AccountAddressInput[] }) => {
  void (async () => {
    const results = [];
    for (const address of message.addresses) results.push(await geocoding.place('import', address));
    parentPort?.postMessage({ id: message.id, results });
  })();
});
