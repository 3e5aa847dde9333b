import type {
  CreateEquipmentBody,
  DirectionsDto,
  EmergencyBody,
  EmergencyDto,
  EquipmentDto,
  EquipmentListQuery,
  PresenceBody,
  PresencePreviewDto,
  PresenceResultDto,
  SendAppointmentsBody,
  SendResultDto,
  SentLogDto,
} from '@geocrm/contracts';
import type { AnnounceRepository, AnnounceTourDayRecord, CorridorAccountRecord, EquipmentRecord } from '@geocrm/db';
import { AppError, FIELD_ROLES, lngLat } from '@geocrm/domain';
import { estimateTrip } from '@geocrm/geo';
import type { Actor } from '../auth/auth.service.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { SmsSender } from '../mail/sms.ts';
import { renderCalendar } from './calendar.ts';
import { directionsFor } from './directions.ts';
import { hhmm, longDate } from './format.ts';
import { render } from './templates.ts';
import { renderTourSheet } from './tour-sheet.ts';

export interface AnnounceServiceDeps {
  readonly announce: AnnounceRepository;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
}

type Skipped = SendResultDto['skipped'][number];

/** The most accounts a presence notice reaches in one go. */
const MAX_PRESENCE = 500;
const DAY_MS = 86_400_000;

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const round1 = (n: number): number => Math.round(n * 10) / 10;
const isEmail = (s: string | null): s is string => s !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());

/**
 * Preparing and announcing tours (F-TOUR-5, F-TOUR-6): the tour sheet, the day's calendar and
 * directions, appointment e-mails to the visited accounts, presence notices along the route, and
 * preventive maintenance to pick up on the way to an urgent call. Field roles act on their own days only.
 */
export class AnnounceService {
  readonly #repo: AnnounceRepository;
  readonly #mailer: Mailer;
  readonly #sms: SmsSender;
  /** Sends for one tour day and kind run one after the other in this process (two clicks do not send twice). */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(deps: AnnounceServiceDeps) {
    this.#repo = deps.announce;
    this.#mailer = deps.mailer;
    this.#sms = deps.sms;
  }

  async sheet(actor: Actor, tourId: string, date: string): Promise<{ pdf: Buffer; filename: string }> {
    const t = await this.#day(actor, tourId, date);
    return { pdf: await renderTourSheet(t, t.locale), filename: `tour-${slug(t.userName)}-${date}.pdf` };
  }

  async calendar(actor: Actor, tourId: string, date: string): Promise<{ ics: string; filename: string }> {
    const t = await this.#day(actor, tourId, date);
    return { ics: renderCalendar(t), filename: `tour-${slug(t.userName)}-${date}.ics` };
  }

  async directions(actor: Actor, tourId: string, date: string): Promise<DirectionsDto> {
    const t = await this.#day(actor, tourId, date);
    return { date, ...directionsFor(t) };
  }

  async sentLog(actor: Actor, tourId: string, date: string): Promise<SentLogDto> {
    await this.#day(actor, tourId, date, { allowEmpty: true });
    const items = await this.#repo.sentLog(actor.orgId, tourId, date);
    return { items: items.map((i) => ({ ...i, sentAt: i.sentAt.toISOString() })) };
  }

  /**
   * Each visited account with an e-mail (its own, else its first contact's: primary first) gets its
   * appointment time. Sending twice sends nothing new unless `resend`; every message sent is logged.
   */
  async sendAppointments(actor: Actor, tourId: string, date: string, body: SendAppointmentsBody): Promise<SendResultDto> {
    if (body.dryRun) return this.#sendAppointments(actor, tourId, date, body);
    return this.#serial(`${actor.orgId}/${tourId}/${date}/appointment`, () => this.#sendAppointments(actor, tourId, date, body));
  }

  async #sendAppointments(actor: Actor, tourId: string, date: string, body: SendAppointmentsBody): Promise<SendResultDto> {
    const t = await this.#day(actor, tourId, date);
    const already = body.resend ? new Set<string>() : await this.#repo.sentAccounts(actor.orgId, tourId, date, 'appointment');
    const sent: SendResultDto['sent'] = [];
    const skipped: Skipped[] = [];
    const seen = new Set<string>();
    let transport: string = body.dryRun ? 'preview' : this.#mailer.kind;
    for (const s of t.stops) {
      const a = s.account;
      // an account visited twice the same day gets one message, with its first time
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      if (already.has(a.id)) {
        skipped.push({ accountId: a.id, accountName: a.name, reason: 'already_sent', message: `${a.name} already has this day's appointment time` });
        continue;
      }
      const values = {
        org: t.orgName,
        rep: t.userName,
        account: a.name,
        date: longDate(date, t.locale),
        time: hhmm(s.start, t.timeZone),
        minutes: String(Math.round((s.end.getTime() - s.start.getTime()) / 60_000)),
        visitType: s.visitType,
      };
      const email = isEmail(a.email) ? a.email.trim() : a.contacts.map((c) => c.email).find(isEmail)?.trim();
      try {
        const phone = body.sms ? (a.phone ?? a.contacts.map((c) => c.phone).find((p) => p !== null && p.trim() !== '')) : undefined;
        if (body.dryRun && (email ?? phone)) {
          sent.push({ accountId: a.id, accountName: a.name, channel: email ? 'email' : 'sms', recipient: email ?? phone ?? '', start: s.start.toISOString() });
          continue;
        }
        if (email) {
          const m = render('appointment', t.locale, values);
          const done = await this.#mailer.send({ to: email, subject: m.subject, text: m.text, replyTo: t.userEmail });
          await this.#repo.logSent(actor.orgId, { kind: 'appointment', channel: 'email', tourId, date, accountId: a.id, recipient: email, subject: m.subject, messageId: done.messageId, transport: done.transport, sentBy: actor.userId });
          sent.push({ accountId: a.id, accountName: a.name, channel: 'email', recipient: email, start: s.start.toISOString() });
          continue;
        }
        if (phone) {
          const m = render('appointmentSms', t.locale, values);
          const done = await this.#sms.send({ to: phone, text: m.text });
          transport = `${transport}+${done.transport} sms`;
          await this.#repo.logSent(actor.orgId, { kind: 'appointment', channel: 'sms', tourId, date, accountId: a.id, recipient: phone, subject: '', messageId: done.id, transport: done.transport, sentBy: actor.userId });
          sent.push({ accountId: a.id, accountName: a.name, channel: 'sms', recipient: phone, start: s.start.toISOString() });
          continue;
        }
        skipped.push({ accountId: a.id, accountName: a.name, reason: 'no_email', message: `${a.name} has no e-mail address (neither the account nor a contact)` });
      } catch (error) {
        skipped.push({ accountId: a.id, accountName: a.name, reason: 'failed', message: `Sending to ${a.name} failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return { transport, sent, skipped };
  }

  async presencePreview(actor: Actor, tourId: string, date: string, body: PresenceBody): Promise<PresencePreviewDto> {
    const { t, plan } = await this.#presencePlan(actor, tourId, date, body);
    const first = plan.recipients[0];
    const sample = render('presence', t.locale, this.#presenceValues(t, date, first?.accountName ?? '…', body.note));
    return { widthKm: body.widthKm, recipients: plan.recipients, skipped: plan.skipped, counts: plan.counts, subject: sample.subject, sample: sample.text };
  }

  /** Tells the accounts near the day's route that someone will be nearby: each account at most once per tour day, opt-outs respected. */
  async presenceSend(actor: Actor, tourId: string, date: string, body: PresenceBody): Promise<PresenceResultDto> {
    return this.#serial(`${actor.orgId}/${tourId}/${date}/presence`, () => this.#presenceSend(actor, tourId, date, body));
  }

  async #presenceSend(actor: Actor, tourId: string, date: string, body: PresenceBody): Promise<PresenceResultDto> {
    const { t, plan } = await this.#presencePlan(actor, tourId, date, body);
    const sent: SendResultDto['sent'] = [];
    const skipped = [...plan.skipped];
    for (const r of plan.recipients) {
      const m = render('presence', t.locale, this.#presenceValues(t, date, r.accountName, body.note));
      try {
        const done = await this.#mailer.send({ to: r.email, subject: m.subject, text: m.text, replyTo: t.userEmail });
        await this.#repo.logSent(actor.orgId, { kind: 'presence', channel: 'email', tourId, date, accountId: r.accountId, recipient: r.email, subject: m.subject, messageId: done.messageId, transport: done.transport, sentBy: actor.userId });
        sent.push({ accountId: r.accountId, accountName: r.accountName, channel: 'email', recipient: r.email });
      } catch (error) {
        skipped.push({ accountId: r.accountId, accountName: r.accountName, reason: 'failed', message: `Sending to ${r.accountName} failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return { transport: this.#mailer.kind, sent, skipped, counts: { ...plan.counts, recipients: sent.length } };
  }

  /**
   * An urgent call: the equipment whose preventive maintenance is due within N days of the call's date,
   * at accounts in a corridor around the trip (technician's position or home → the urgent account),
   * ranked by the extra driving a stop there costs.
   */
  async emergency(actor: Actor, body: EmergencyBody): Promise<EmergencyDto> {
    const tech = await this.#repo.person(actor.orgId, body.technicianId);
    if (!tech) throw new AppError('NOT_FOUND', 'Technician not found');
    if (actor.userId !== tech.id && FIELD_ROLES.includes(actor.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may only plan their own trips`);
    const target = await this.#repo.account(actor.orgId, body.accountId);
    if (!target) throw new AppError('NOT_FOUND', 'Account not found');
    if (!target.location) throw new AppError('VALIDATION', `The urgent account "${target.name}" has no location: place it on the map first`);
    const from = body.from ?? tech.home;
    if (!from) throw new AppError('VALIDATION', `${tech.name} has no home and no starting position was given (from)`);
    const to = target.location;
    const widthKm = body.widthKm ?? 5;
    const dueWithinDays = body.dueWithinDays ?? 30;
    const dueBy = addDays(body.date, dueWithinDays);
    const line = lineGeoJson([from, to]);
    const found = await this.#repo.equipmentDueAlong(actor.orgId, line, widthKm * 1000, dueBy);
    const trip = (a: { lng: number; lat: number }, b: { lng: number; lat: number }) => estimateTrip(lngLat(a.lng, a.lat), lngLat(b.lng, b.lat));
    const direct = trip(from, to);
    const proposals = found
      .filter((e): e is EquipmentRecord & { distanceMetres: number; location: { lng: number; lat: number }; nextMaintenanceOn: string } => e.location !== null && e.nextMaintenanceOn !== null)
      .map((e) => {
        const atTarget = e.accountId === target.id;
        const via1 = trip(from, e.location);
        const via2 = trip(e.location, to);
        const detourM = atTarget ? 0 : Math.max(0, via1.distanceM + via2.distanceM - direct.distanceM);
        const detourS = atTarget ? 0 : Math.max(0, via1.durationS + via2.durationS - direct.durationS);
        return {
          equipmentId: e.id,
          name: e.name,
          serial: e.serial,
          accountId: e.accountId,
          accountName: e.accountName,
          nextMaintenanceOn: e.nextMaintenanceOn,
          dueInDays: Math.round((Date.parse(`${e.nextMaintenanceOn}T00:00:00Z`) - Date.parse(`${body.date}T00:00:00Z`)) / DAY_MS),
          maintenanceMinutes: e.maintenanceMinutes,
          location: e.location,
          detourKm: round1(detourM / 1000),
          detourMinutes: round1(detourS / 60),
        };
      })
      .sort((a, b) => a.detourMinutes - b.detourMinutes || a.nextMaintenanceOn.localeCompare(b.nextMaintenanceOn) || a.equipmentId.localeCompare(b.equipmentId));
    return { from: { lng: from.lng, lat: from.lat }, to, directKm: round1(direct.distanceM / 1000), directMinutes: round1(direct.durationS / 60), dueBy, widthKm, proposals };
  }

  async listEquipment(actor: Actor, query: EquipmentListQuery): Promise<EquipmentDto[]> {
    return (await this.#repo.listEquipment(actor.orgId, query)).map(toEquipmentDto);
  }

  async createEquipment(actor: Actor, body: CreateEquipmentBody): Promise<EquipmentDto> {
    if (FIELD_ROLES.includes(actor.role) && actor.role !== 'technician') throw new AppError('FORBIDDEN', 'Only technicians, managers, admins and back-office register equipment');
    if (!(await this.#repo.account(actor.orgId, body.accountId))) throw new AppError('NOT_FOUND', 'Account not found');
    return toEquipmentDto(await this.#repo.insertEquipment(actor.orgId, { ...body, nextMaintenanceOn: body.nextMaintenanceOn }));
  }

  async setLocale(actor: Actor, locale: 'fr' | 'en'): Promise<{ locale: 'fr' | 'en' }> {
    if (actor.role !== 'manager' && actor.role !== 'admin') throw new AppError('FORBIDDEN', 'Only a manager or an admin may change the language of customer messages');
    await this.#repo.setOrgLocale(actor.orgId, locale);
    return { locale };
  }

  async setOptOut(actor: Actor, accountId: string, optOut: boolean): Promise<{ accountId: string; optOut: boolean }> {
    if (!(await this.#repo.setAccountOptOut(actor.orgId, accountId, optOut))) throw new AppError('NOT_FOUND', 'Account not found');
    return { accountId, optOut };
  }

  async #serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.#queues.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    }
  }

  async setContactOptOut(actor: Actor, accountId: string, contactId: string, optOut: boolean): Promise<{ accountId: string; contactId: string; optOut: boolean }> {
    if (!(await this.#repo.setContactOptOut(actor.orgId, accountId, contactId, optOut))) throw new AppError('NOT_FOUND', 'Contact not found');
    return { accountId, contactId, optOut };
  }

  #presenceValues(t: AnnounceTourDayRecord, date: string, account: string, note: string | undefined): Record<string, string> {
    return { org: t.orgName, rep: t.userName, account, date: longDate(date, t.locale), note: note ? `\n${note}\n` : '' };
  }

  async #presencePlan(actor: Actor, tourId: string, date: string, body: PresenceBody) {
    const t = await this.#day(actor, tourId, date);
    const points = [...(t.home ? [t.home] : []), ...t.stops.flatMap((s) => (s.account.location ? [s.account.location] : []))];
    if (points.length === 0) throw new AppError('INFEASIBLE', `The day ${date} has no placed stop and its rep no home: there is no route to search along`);
    const onRoute = [...new Set(t.stops.map((s) => s.account.id))];
    const found = await this.#repo.alongRoute(actor.orgId, lineGeoJson(points), body.widthKm * 1000, onRoute, MAX_PRESENCE * 2);
    const already = await this.#repo.sentAccounts(actor.orgId, tourId, date, 'presence');
    const recipients: PresencePreviewDto['recipients'] = [];
    const skipped: Skipped[] = [];
    const counts = { inCorridor: 0, recipients: 0, optedOut: 0, withoutEmail: 0, alreadySent: 0 };
    const seen = new Set<string>();
    for (const a of found) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      counts.inCorridor += 1;
      const verdict = presenceVerdict(a, already);
      if (verdict.reason === 'ok') {
        if (recipients.length < MAX_PRESENCE) recipients.push({ accountId: a.id, accountName: a.name, email: verdict.email, distanceKm: round1(a.distanceMetres / 1000), alongKm: round1(a.alongMetres / 1000) });
        continue;
      }
      if (verdict.reason === 'opted_out') counts.optedOut += 1;
      else if (verdict.reason === 'no_email') counts.withoutEmail += 1;
      else counts.alreadySent += 1;
      skipped.push({ accountId: a.id, accountName: a.name, reason: verdict.reason, message: verdict.message });
    }
    counts.recipients = recipients.length;
    return { t, plan: { recipients, skipped, counts } };
  }

  /** The tour's day, read by someone allowed to; refuses an unknown tour or date, a cancelled tour, and (unless allowed) a day without stops. */
  async #day(actor: Actor, tourId: string, date: string, options: { allowEmpty?: boolean } = {}): Promise<AnnounceTourDayRecord> {
    const t = await this.#repo.tourDay(actor.orgId, tourId, date);
    if (!t) throw new AppError('NOT_FOUND', 'Tour not found');
    if (t.userId !== actor.userId && FIELD_ROLES.includes(actor.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may only read their own days`);
    if (t.tourStatus === 'cancelled') throw new AppError('CONFLICT', 'This tour is cancelled');
    if (!t.day) throw new AppError('NOT_FOUND', `The tour has no day ${date}`);
    if (t.stops.length === 0 && !options.allowEmpty) throw new AppError('INFEASIBLE', `The tour's day ${date} has no stops: nothing to prepare or announce`);
    return t;
  }
}

const presenceVerdict = (
  a: CorridorAccountRecord,
  already: ReadonlySet<string>,
): { reason: 'ok'; email: string } | { reason: 'opted_out' | 'no_email' | 'already_sent'; message: string } => {
  if (a.optOut) return { reason: 'opted_out', message: `${a.name} asked not to receive notices` };
  if (already.has(a.id)) return { reason: 'already_sent', message: `${a.name} was already told about this day` };
  if (isEmail(a.email)) return { reason: 'ok', email: a.email.trim() };
  if (isEmail(a.contactEmail)) {
    if (a.contactOptOut) return { reason: 'opted_out', message: `${a.name}'s contact asked not to receive notices` };
    return { reason: 'ok', email: a.contactEmail.trim() };
  }
  return { reason: 'no_email', message: `${a.name} has no e-mail address` };
};

/** A GeoJSON LineString through the points (a single point is doubled: a corridor around it is a disc). */
const lineGeoJson = (points: readonly { lng: number; lat: number }[]): string => {
  const coords = points.map((p) => [p.lng, p.lat]);
  const first = coords[0];
  if (coords.length === 1 && first) coords.push([first[0] ?? 0, (first[1] ?? 0) + 1e-7]);
  return JSON.stringify({ type: 'LineString', coordinates: coords });
};

const slug = (s: string): string =>
  s
    .normalize('NFD')
    .replaceAll(/[\u0300-\u036F]/g, '')
    .replaceAll(/[^A-Za-z0-9]+/g, '-')
    .replaceAll(/^-|-$/g, '')
    .toLowerCase() || 'tour';

const toEquipmentDto = (e: EquipmentRecord): EquipmentDto => ({
  id: e.id,
  accountId: e.accountId,
  accountName: e.accountName,
  name: e.name,
  serial: e.serial,
  nextMaintenanceOn: e.nextMaintenanceOn,
  maintenanceMinutes: e.maintenanceMinutes,
});
