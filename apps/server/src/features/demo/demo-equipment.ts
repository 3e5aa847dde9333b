import type { AnnounceRepository } from '@geocrm/db';

/**
 * The demo's equipment under preventive maintenance: each account of kind `equipment` (a machine at a
 * customer's site, with its model, serial and next maintenance date in its custom fields) gets its
 * row in `equipment`, so the urgent-call proposals (POST /announce/emergency) have something to find.
 * Deterministic: it only reads what the demo data generated.
 */
export const seedDemoEquipment = async (
  announce: AnnounceRepository,
  orgId: string,
  accounts: readonly { readonly kind: string; readonly customFields?: Readonly<Record<string, unknown>> }[],
  ids: readonly string[],
): Promise<number> => {
  const rows = accounts.flatMap((a, i) => {
    const id = ids[i];
    const f = a.customFields ?? {};
    const model = f['model'];
    const next = f['nextMaintenance'];
    if (a.kind !== 'equipment' || !id || typeof model !== 'string' || typeof next !== 'string') return [];
    return [{ accountId: id, name: model, serial: typeof f['serial'] === 'string' ? f['serial'] : '', nextMaintenanceOn: next, maintenanceMinutes: 90 }];
  });
  return announce.insertEquipmentMany(orgId, rows);
};
