import type { Kysely } from 'kysely';
import { createRepositories, type Database } from '@geocrm/db';
import { loadFrenchCommunes } from '@geocrm/geo';
import { hashPassword } from '../auth/password.ts';
import { DEMO_DOMAIN, generateDemoData, type DemoPlace } from './demo-data.ts';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ORG_NAME = 'Durand Équipements (démo)';

/** Metropolitan French communes with a point; Paris, Lyon and Marseille by arrondissement. */
export const demoPlaces = (): DemoPlace[] => {
  const places: DemoPlace[] = [];
  const split = new Set(['75056', '69123', '13055']);
  for (const c of loadFrenchCommunes()) {
    if (!c.location || c.departement.length > 2) continue;
    const [lng, lat] = c.location;
    // The split communes stay findable by name (rep bases) but accounts go to their arrondissements.
    const population = split.has(c.insee) ? 0 : c.population;
    places.push({ name: c.name, postcode: c.postcodes[0] ?? '', departement: c.departement, population, lng, lat });
  }
  return places;
};

/**
 * Creates the demo organisation in one transaction: an interrupted seed leaves nothing, and the
 * next start seeds again.
 */
export const seedDemo = async (db: Kysely<Database>): Promise<{ adminEmail: string; managerEmail: string; repEmail: string }> => {
  const data = generateDemoData(demoPlaces());
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    const repos = createRepositories(trx);
    const org = await repos.orgs.create(DEMO_ORG_NAME, 'Europe/Paris');
    const userIds = new Map<string, string>();
    for (const u of data.users) {
      const user = await repos.users.insert({ orgId: org.id, email: u.email, name: u.name, role: u.role, passwordHash, ...(u.home ? { home: u.home } : {}) });
      userIds.set(u.key, user.id);
    }
    // visits happened in working hours: 10:00 UTC on the day
    const today = new Date(new Date().toISOString().slice(0, 10) + 'T10:00:00Z');
    const ids = await repos.accounts.insertMany(
      org.id,
      data.accounts.map(({ ownerKey, contacts: _contacts, lastVisitDaysAgo, ...a }) => ({
        ...a,
        ownerId: ownerKey === null ? null : (userIds.get(ownerKey) ?? null),
        lastVisitAt: lastVisitDaysAgo === null ? null : new Date(today.getTime() - lastVisitDaysAgo * 86_400_000),
      })),
    );
    await repos.contacts.insertMany(
      org.id,
      data.accounts.flatMap((a, i) => a.contacts.map((c) => ({ ...c, accountId: ids[i] ?? '' }))),
    );
  });
  return { adminEmail: `admin@${DEMO_DOMAIN}`, managerEmail: `manager@${DEMO_DOMAIN}`, repEmail: `rep01@${DEMO_DOMAIN}` };
};
