import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type DbHandle } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import { generateDemoData } from './demo-data.ts';
import { demoPlaces } from './demo-seed.ts';
import { seedDemoEquipment } from './demo-equipment.ts';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle.close());

describe('demo equipment', () => {
  it('gives each equipment account of the demo its row, with the model, serial and next maintenance date', async () => {
    const repos = createRepositories(handle.db);
    const org = await repos.orgs.create('Demo');
    const data = generateDemoData(demoPlaces(), { accounts: 2000 });
    const accounts = data.accounts.filter((a) => a.kind === 'equipment').slice(0, 30);
    const ids = await repos.accounts.insertMany(
      org.id,
      accounts.map(({ ownerKey: _o, contacts: _c, lastVisitDaysAgo: _l, ...a }) => ({ ...a, ownerId: null, lastVisitAt: null })),
    );
    expect(await seedDemoEquipment(repos.announce, org.id, accounts, ids)).toBe(30);
    const rows = await repos.announce.listEquipment(org.id);
    expect(rows).toHaveLength(30);
    const first = accounts.findIndex((a) => a.customFields['serial'] === rows.find((r) => r.accountId === ids[0])?.serial);
    expect(first).toBe(0);
    for (const r of rows) expect(r.nextMaintenanceOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
