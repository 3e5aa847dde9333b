import type { Kysely } from 'kysely';
import { createRepositories, type Database } from '@geocrm/db';
import { loadFrenchCommunes } from '@geocrm/geo';
import { hashPassword } from '../auth/password.ts';
import { todayIn } from '../tours/time.ts';
import { DEMO_DOMAIN, generateDemoData, type DemoPlace } from './demo-data.ts';
import { DEMO_VISIT_TYPES, demoProfiles, generateDemoVisits } from './demo-visits.ts';
import { seedDemoEquipment } from './demo-equipment.ts';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ORG_NAME = 'Durand Équipements (démo)';
const DEMO_TIME_ZONE = 'Europe/Paris';

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
    const org = await repos.orgs.create(DEMO_ORG_NAME, DEMO_TIME_ZONE);
    const userIds = new Map<string, string>();
    for (const u of data.users) {
      const user = await repos.users.insert({ orgId: org.id, email: u.email, name: u.name, role: u.role, passwordHash, ...(u.home ? { home: u.home } : {}) });
      userIds.set(u.key, user.id);
    }
    // The demo manager manages every field person (the team a published territory plan shows them).
    const demoManager = userIds.get('manager');
    if (demoManager) {
      for (const u of data.users) {
        const id = userIds.get(u.key);
        if (id && (u.role === 'rep' || u.role === 'technician')) await repos.users.update(org.id, id, { managerId: demoManager });
      }
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
    await seedDemoEquipment(repos.announce, org.id, data.accounts, ids);
    // Tours: visit types, the field people's profiles (their homes are on the users) and two weeks of open visits.
    const typeIds = new Map<string, string>();
    for (const t of DEMO_VISIT_TYPES) {
      const row = await repos.tours.insertVisitType(org.id, { name: t.name, durationMinutes: t.durationMinutes, requiredSkills: t.requiredSkills, defaultPriority: t.defaultPriority });
      typeIds.set(t.key, row.id);
    }
    for (const { userKey, ...profile } of demoProfiles(data)) {
      const userId = userIds.get(userKey);
      if (userId) await repos.tours.upsertProfile(org.id, userId, profile);
    }
    const managerId = userIds.get('manager') ?? '';
    for (const v of generateDemoVisits(data, todayIn(DEMO_TIME_ZONE), DEMO_TIME_ZONE)) {
      await repos.tours.insertVisit(org.id, {
        accountId: ids[v.accountIndex] ?? '',
        visitTypeId: typeIds.get(v.type) ?? '',
        assignedUserId: userIds.get(v.userKey) ?? null,
        appointmentAt: v.appointmentAt === null ? null : new Date(v.appointmentAt * 1000),
        windowFrom: v.window?.from ?? null,
        windowTo: v.window?.to ?? null,
        timeFrom: v.timeOfDay?.from ?? null,
        timeTo: v.timeOfDay?.to ?? null,
        priority: v.priority,
        notes: v.notes,
        createdBy: managerId,
      });
    }
  });
  return { adminEmail: `admin@${DEMO_DOMAIN}`, managerEmail: `manager@${DEMO_DOMAIN}`, repEmail: `rep01@${DEMO_DOMAIN}` };
};
