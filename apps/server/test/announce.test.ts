import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectionsDto, EmergencyDto, EquipmentDto, PresencePreviewDto, PresenceResultDto, SendResultDto, SentLogDto, TourDto } from '@geocrm/contracts';
import { startTestSmtp, type TestSmtp } from '../src/features/mail/test-smtp.ts';
import { startHarness, type Harness } from './harness.ts';
import { addDays, local, setUpLyon, type Fixture } from './slots-fixture.ts';

let h: Harness;
let f: Fixture;
let smtp: TestSmtp;
let dataDir: string;

const day = (path = '', tourId = f.tour.id, date = f.monday) => `/api/v1/tours/${tourId}/days/${date}${path}`;

beforeAll(async () => {
  smtp = await startTestSmtp();
  dataDir = await mkdtemp(join(tmpdir(), 'geocrm-announce-'));
  h = await startHarness({ config: { dataDir, mail: { smtpUrl: smtp.url, from: 'Org A <tours@a.test>' } } });
  f = await setUpLyon(h);
  const patch = async (name: string, payload: Record<string, unknown>) => {
    const res = await h.request(f.manager, { method: 'PATCH', url: `/api/v1/accounts/${f.accounts[name] ?? ''}`, payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const contact = async (name: string, payload: Record<string, unknown>) => {
    const res = await h.request(f.manager, { method: 'POST', url: `/api/v1/accounts/${f.accounts[name] ?? ''}/contacts`, payload });
    expect(res.statusCode, res.body).toBe(201);
  };
  // the day's stops: an account e-mail; only a contact's e-mail (the primary one wins); none at all
  await patch('Bakery Part-Dieu', { email: 'bakery@example.com', phone: '04 78 00 00 01' });
  await contact('Bakery Part-Dieu', { lastName: 'Boulanger', firstName: 'Paul', phone: '06 11 22 33 44', isPrimary: true });
  await contact('Garage Vaise', { lastName: 'Other', email: 'other@garage.example.com' });
  await contact('Garage Vaise', { lastName: 'Mécano', firstName: 'Élise', email: 'elise@garage.example.com', isPrimary: true });
  await patch('Pharmacy Gerland', { phone: '04 78 00 00 03' });
  // around the route
  await patch('Florist Croix-Rousse', { email: 'florist@example.com' });
  await patch('Cafe Perrache', { email: 'cafe@example.com' });
  await patch('Competitor Nearby', { email: 'spy@example.com' });
  await contact('Closed Mondays', { lastName: 'Ferme', email: 'closed@example.com' });
});
afterAll(async () => {
  await h.close();
  await smtp.close();
  await rm(dataDir, { recursive: true, force: true });
});

const stopsOf = (tour: TourDto) => tour.days[0]?.stops ?? [];

describe('tour sheet (PDF)', () => {
  it('prints the day: the stops in order with their times, addresses, contacts and the route drawing', async () => {
    const res = await h.request(f.rep, { method: 'GET', url: day('/sheet.pdf') });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="tour-rep-a-\d{4}-\d{2}-\d{2}\.pdf"/);
    const bytes = new Uint8Array(res.rawPayload);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    const names = ['Bakery Part-Dieu', 'Garage Vaise', 'Pharmacy Gerland'];
    const positions = names.map((n) => text.indexOf(n));
    for (const p of positions) expect(p).toBeGreaterThan(-1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // French by default (the organisation's language), with times, the contact's phone, the scale
    expect(text).toContain('Feuille de route');
    for (const s of stopsOf(f.tour)) expect(text).toContain(local(s.start).time);
    expect(text).toContain('06 11 22 33 44');
    expect(text).toContain('Paul Boulanger');
    expect(text).toMatch(/\d+(\.\d+)? km/);
  });
});

describe('calendar (.ics)', () => {
  it('is valid iCalendar: one event per stop with UID, DTSTAMP, times, LOCATION and GEO; CRLF; lines folded at 75 octets', async () => {
    const res = await h.request(f.rep, { method: 'GET', url: day('/calendar.ics') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const ics = res.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    const lines = ics.split('\r\n');
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    for (const l of lines) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    const cal = new ICAL.Component(ICAL.parse(ics) as unknown[]);
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBeTruthy();
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const stops = stopsOf(f.tour);
    expect(events).toHaveLength(stops.length);
    for (const [i, e] of events.entries()) {
      const s = stops[i];
      expect(e.uid).toBe(`${s?.visitId ?? ''}@geocrm`);
      expect(e.startDate.toJSDate().toISOString()).toBe(s?.start);
      expect(e.endDate.toJSDate().toISOString()).toBe(s?.end);
      expect(e.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
      const geo = e.component.getFirstPropertyValue('geo') as number[] | null;
      expect(geo?.length).toBe(2);
    }
    expect(events.map((e) => e.location)).toEqual([expect.stringContaining('Bakery Part-Dieu'), expect.stringContaining('Garage Vaise'), expect.stringContaining('Pharmacy Gerland')]);
  });
});

describe('directions', () => {
  it('gives a Google Maps link home → stops → home and one Waze link per stop', async () => {
    const res = await h.request(f.rep, { method: 'GET', url: day('/directions') });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<DirectionsDto>();
    expect(body.google).toHaveLength(1);
    const url = new URL(body.google[0] ?? '');
    expect(url.origin + url.pathname).toBe('https://www.google.com/maps/dir/');
    expect(url.searchParams.get('api')).toBe('1');
    expect(url.searchParams.get('origin')).toBe('45.757800,4.846700');
    expect(url.searchParams.get('destination')).toBe('45.757800,4.846700');
    expect(url.searchParams.get('waypoints')?.split('|')).toHaveLength(3);
    expect(body.waze.map((w) => w.accountName)).toEqual(['Bakery Part-Dieu', 'Garage Vaise', 'Pharmacy Gerland']);
    expect(body.waze[0]?.url).toBe('https://waze.com/ul?ll=45.760600%2C4.857500&navigate=yes');
  });
});

describe('appointment e-mails', () => {
  it('sends each visited account with an e-mail its time through the SMTP server; one without is reported; logged', async () => {
    const before = smtp.received.length;
    const dry = (await h.request(f.rep, { method: 'POST', url: day('/appointment-emails'), payload: { dryRun: true } })).json<SendResultDto>();
    expect(dry.transport).toBe('preview');
    expect(dry.sent.map((s) => s.recipient)).toEqual(['bakery@example.com', 'elise@garage.example.com']);
    expect(smtp.received.length).toBe(before);
    const res = await h.request(f.rep, { method: 'POST', url: day('/appointment-emails'), payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<SendResultDto>();
    expect(body.transport).toBe('smtp');
    expect(body.sent.map((s) => [s.accountName, s.recipient])).toEqual([
      ['Bakery Part-Dieu', 'bakery@example.com'],
      ['Garage Vaise', 'elise@garage.example.com'],
    ]);
    expect(body.skipped).toEqual([expect.objectContaining({ accountName: 'Pharmacy Gerland', reason: 'no_email' })]);
    const got = smtp.received.slice(before);
    expect(got).toHaveLength(2);
    const stops = stopsOf(f.tour);
    const bakery = got.find((m) => m.envelopeTo.includes('bakery@example.com'));
    const time = local(stops[0]?.start ?? '').time;
    expect(bakery?.subject).toContain(time);
    expect(bakery?.subject).toMatch(/^Votre rendez-vous du /);
    expect(bakery?.text).toContain(`à ${time}`);
    expect(bakery?.text).toContain('Bakery Part-Dieu');
    expect(bakery?.from?.text).toBe('"Org A" <tours@a.test>');
    expect(bakery?.replyTo?.text).toBe('rep@a.test');
    expect(got.find((m) => m.envelopeTo.includes('elise@garage.example.com'))?.text).toContain(local(stops[1]?.start ?? '').time);
  });

  it('is idempotent: sending twice sends nothing new, unless asked', async () => {
    const before = smtp.received.length;
    const again = (await h.request(f.rep, { method: 'POST', url: day('/appointment-emails'), payload: {} })).json<SendResultDto>();
    expect(again.sent).toEqual([]);
    expect(again.skipped.map((s) => s.reason).sort()).toEqual(['already_sent', 'already_sent', 'no_email']);
    expect(smtp.received.length).toBe(before);
    const forced = (await h.request(f.rep, { method: 'POST', url: day('/appointment-emails'), payload: { resend: true } })).json<SendResultDto>();
    expect(forced.sent).toHaveLength(2);
    expect(smtp.received.length).toBe(before + 2);
    const log = (await h.request(f.rep, { method: 'GET', url: day('/messages') })).json<SentLogDto>();
    expect(log.items.filter((i) => i.kind === 'appointment')).toHaveLength(4);
  });

  it("writes in the organisation's language (English once set; only managers and admins set it)", async () => {
    expect((await h.request(f.rep, { method: 'PUT', url: '/api/v1/announce/settings', payload: { locale: 'en' } })).statusCode).toBe(403);
    expect((await h.request(f.manager, { method: 'PUT', url: '/api/v1/announce/settings', payload: { locale: 'en' } })).statusCode).toBe(200);
    const before = smtp.received.length;
    await h.request(f.rep, { method: 'POST', url: day('/appointment-emails'), payload: { resend: true } });
    const got = smtp.received.slice(before);
    expect(got).toHaveLength(2);
    expect(got[0]?.subject).toMatch(/^Your appointment on Monday,? \d+ \w+ \d{4} at \d\d:\d\d/);
    const pdf = await h.request(f.rep, { method: 'GET', url: day('/sheet.pdf') });
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true });
    expect(text).toContain('Tour sheet');
    await h.request(f.manager, { method: 'PUT', url: '/api/v1/announce/settings', payload: { locale: 'fr' } });
  });

  it('sends an SMS to an account without e-mail when asked (through the SMS sender)', async () => {
    const res = await h.request(f.rep, { method: 'POST', url: day('/appointment-emails'), payload: { sms: true } });
    const body = res.json<SendResultDto>();
    expect(body.sent).toEqual([expect.objectContaining({ accountName: 'Pharmacy Gerland', channel: 'sms', recipient: '04 78 00 00 03' })]);
    expect(await readdir(join(dataDir, 'outbox'))).toContain('sms.jsonl');
  });
});

describe('presence notice', () => {
  it('previews the accounts near the route (not the stops, not competitors), counts opt-outs, then sends each once', async () => {
    const optOut = await h.request(f.manager, { method: 'PUT', url: `/api/v1/announce/opt-outs/${f.accounts['Cafe Perrache'] ?? ''}`, payload: { optOut: true } });
    expect(optOut.statusCode, optOut.body).toBe(200);
    const preview = await h.request(f.rep, { method: 'POST', url: day('/presence-notices/preview'), payload: { widthKm: 3 } });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json<PresencePreviewDto>();
    const names = p.recipients.map((r) => r.accountName);
    expect(names).toEqual(expect.arrayContaining(['Florist Croix-Rousse', 'Closed Mondays']));
    for (const n of ['Bakery Part-Dieu', 'Garage Vaise', 'Pharmacy Gerland', 'Cafe Perrache', 'Competitor Nearby', 'Marseille Far']) expect(names).not.toContain(n);
    expect(p.recipients.find((r) => r.accountName === 'Closed Mondays')?.email).toBe('closed@example.com');
    expect(p.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ accountName: 'Cafe Perrache', reason: 'opted_out' })]));
    // a machine is not told (its site is)
    expect([...p.skipped, ...p.recipients].map((x) => x.accountName)).not.toContain('Boiler Brotteaux');
    expect(p.counts.optedOut).toBe(1);
    expect(p.counts.withoutEmail).toBeGreaterThanOrEqual(1);
    expect(p.counts.inCorridor).toBe(p.counts.recipients + p.counts.optedOut + p.counts.withoutEmail + p.counts.alreadySent);
    expect(new Set(p.recipients.map((r) => r.accountId)).size).toBe(p.recipients.length);
    for (const r of p.recipients) expect(r.distanceKm).toBeLessThanOrEqual(3);
    expect(p.subject).toMatch(/sera près de chez vous/);

    const before = smtp.received.length;
    const sent = (await h.request(f.rep, { method: 'POST', url: day('/presence-notices'), payload: { widthKm: 3, note: 'Démonstration du nouveau modèle.' } })).json<PresenceResultDto>();
    expect(sent.sent.map((s) => s.accountName).sort()).toEqual([...names].sort());
    const got = smtp.received.slice(before);
    expect(got.map((m) => m.envelopeTo[0]).sort()).toEqual(p.recipients.map((r) => r.email).sort());
    expect(got[0]?.text).toContain('Démonstration du nouveau modèle.');
    // a wider second pass tells only the newcomers; nobody twice
    const wider = (await h.request(f.rep, { method: 'POST', url: day('/presence-notices'), payload: { widthKm: 10 } })).json<PresenceResultDto>();
    for (const s of wider.sent) expect(names).not.toContain(s.accountName);
    expect(wider.counts.alreadySent).toBe(names.length);
  });
});

describe('presence notice sent twice at the same moment', () => {
  it('tells a newcomer once', async () => {
    const res = await h.request(f.manager, {
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { kind: 'client', name: 'Newcomer Vénissieux', email: 'new@example.com', address: { line1: '', line2: '', postcode: '69200', city: 'Vénissieux', country: 'FR' }, location: { lng: 4.886, lat: 45.697 } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const before = smtp.received.length;
    const [a, b] = await Promise.all([0, 1].map(() => h.request(f.rep, { method: 'POST', url: day('/presence-notices'), payload: { widthKm: 15 } })));
    const sent = [...(a?.json<PresenceResultDto>().sent ?? []), ...(b?.json<PresenceResultDto>().sent ?? [])].map((s) => s.accountName);
    expect(sent).toEqual(['Newcomer Vénissieux']);
    expect(smtp.received.length - before).toBe(1);
  });

  it("respects a contact's opt-out when that contact is the address", async () => {
    const res = await h.request(f.manager, {
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        kind: 'client',
        name: 'Quiet Bron',
        address: { line1: '', line2: '', postcode: '69500', city: 'Bron', country: 'FR' },
        location: { lng: 4.909, lat: 45.735 },
        contacts: [{ lastName: 'Silence', email: 'quiet@example.com', isPrimary: true }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const account = res.json<{ id: string; contacts: { id: string }[] }>();
    const url = `/api/v1/announce/opt-outs/${account.id}/contacts/${account.contacts[0]?.id ?? ''}`;
    expect((await h.request(f.rep, { method: 'PUT', url, payload: { optOut: true } })).statusCode).toBe(200);
    expect((await h.request(f.rep, { method: 'PUT', url: `/api/v1/announce/opt-outs/${f.accounts['Bakery Part-Dieu'] ?? ''}/contacts/${account.contacts[0]?.id ?? ''}`, payload: { optOut: true } })).statusCode).toBe(404);
    const p = (await h.request(f.rep, { method: 'POST', url: day('/presence-notices/preview'), payload: { widthKm: 15 } })).json<PresencePreviewDto>();
    expect(p.recipients.map((r) => r.accountName)).not.toContain('Quiet Bron');
    expect(p.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ accountName: 'Quiet Bron', reason: 'opted_out' })]));
  });
});

describe('emergency: maintenance along the way', () => {
  it('proposes the equipment due within N days in the corridor, ranked by detour', async () => {
    const add = async (account: string, name: string, nextMaintenanceOn: string | null) => {
      const res = await h.request(f.manager, { method: 'POST', url: '/api/v1/announce/equipment', payload: { accountId: f.accounts[account], name, nextMaintenanceOn } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<EquipmentDto>();
    };
    await add('Boiler Brotteaux', 'Chaudière Viessmann', addDays(f.monday, 10));
    await add('Garage Vaise', 'Compresseur', addDays(f.monday, 3));
    await add('Bakery Part-Dieu', 'Four', addDays(f.monday, -5));
    await add('Florist Croix-Rousse', 'Chambre froide', addDays(f.monday, 100));
    await add('Marseille Far', 'Far away boiler', addDays(f.monday, 1));
    await add('Cafe Perrache', 'Percolateur', null);
    // the technician from home (Bron) to an urgent call at Garage Vaise
    const res = await h.request(f.backoffice, { method: 'POST', url: '/api/v1/announce/emergency', payload: { accountId: f.accounts['Garage Vaise'], technicianId: f.techId, date: f.monday, dueWithinDays: 30, widthKm: 3 } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<EmergencyDto>();
    expect(body.dueBy).toBe(addDays(f.monday, 30));
    expect(body.proposals.map((p) => p.name)).toEqual(['Compresseur', 'Four', 'Chaudière Viessmann']);
    expect(body.proposals[0]?.detourMinutes).toBe(0);
    const minutes = body.proposals.map((p) => p.detourMinutes);
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    expect(body.proposals.find((p) => p.name === 'Four')?.dueInDays).toBe(-5);
    // a narrower, shorter look finds less
    const narrow = (await h.request(f.backoffice, { method: 'POST', url: '/api/v1/announce/emergency', payload: { accountId: f.accounts['Garage Vaise'], technicianId: f.techId, date: f.monday, dueWithinDays: 5 } })).json<EmergencyDto>();
    expect(narrow.proposals.map((p) => p.name)).not.toContain('Chaudière Viessmann');
    // from a given position instead of home (there already: a disc of 1 km around it)
    const fromHere = await h.request(f.backoffice, {
      method: 'POST',
      url: '/api/v1/announce/emergency',
      payload: { accountId: f.accounts['Garage Vaise'], technicianId: f.techId, date: f.monday, widthKm: 1, from: { lng: 4.8047, lat: 45.7745 } },
    });
    expect(fromHere.json<EmergencyDto>().proposals.map((p) => p.name)).toEqual(['Compresseur']);
  });

  it('says what is wrong: unknown technician or account, an account without a pin, a technician without home or position', async () => {
    const post = (payload: Record<string, unknown>) => h.request(f.backoffice, { method: 'POST', url: '/api/v1/announce/emergency', payload });
    const base = { accountId: f.accounts['Garage Vaise'], technicianId: f.techId, date: f.monday };
    expect((await post({ ...base, technicianId: h.users.b.technician.id })).statusCode).toBe(404);
    expect((await post({ ...base, accountId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    const noPin = await post({ ...base, accountId: f.accounts['No Pin'] });
    expect(noPin.statusCode).toBe(400);
    expect(noPin.json<{ message: string }>().message).toMatch(/No Pin.*no location/);
    const noHome = await post({ ...base, technicianId: h.users.a.manager.id });
    expect(noHome.statusCode).toBe(400);
    expect(noHome.json<{ message: string }>().message).toMatch(/no home/);
  });
});

describe('bad input and access', () => {
  it('answers 404 for an unknown tour or a date not in it, 422 for a day without stops, 403 for another rep', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of ['/sheet.pdf', '/calendar.ics', '/directions']) {
      expect((await h.request(f.rep, { method: 'GET', url: day(path, unknown) })).statusCode).toBe(404);
      const wrongDate = await h.request(f.rep, { method: 'GET', url: day(path, f.tour.id, addDays(f.monday, 1)) });
      expect(wrongDate.statusCode).toBe(404);
      expect(wrongDate.json<{ message: string }>().message).toMatch(/no day/);
    }
    expect((await h.request(f.rep, { method: 'GET', url: day('/sheet.pdf', f.tour.id, 'not-a-date') })).statusCode).toBe(400);
    // another organisation's user does not see it
    expect((await h.request(await h.login(h.users.b.manager), { method: 'GET', url: day('/directions') })).statusCode).toBe(404);
    // the technician is not the rep: field roles read their own days only
    expect((await h.request(await h.login(h.users.a.technician), { method: 'GET', url: day('/directions') })).statusCode).toBe(403);
    // a saved day without stops
    const empty = await h.request(f.manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: f.techId, days: [{ date: addDays(f.monday, 2), visitIds: [] }] } });
    expect(empty.statusCode, empty.body).toBe(201);
    const emptyId = empty.json<TourDto>().id;
    for (const [method, path, payload] of [
      ['GET', '/sheet.pdf', undefined],
      ['GET', '/calendar.ics', undefined],
      ['POST', '/appointment-emails', {}],
      ['POST', '/presence-notices/preview', { widthKm: 2 }],
    ] as const) {
      const res = await h.request(f.manager, { method, url: day(path, emptyId, addDays(f.monday, 2)), ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${path} ${res.body}`).toBe(422);
      expect(res.json<{ message: string }>().message).toMatch(/has no stops/);
    }
    // a width out of range is refused at the boundary
    expect((await h.request(f.rep, { method: 'POST', url: day('/presence-notices/preview'), payload: { widthKm: 0 } })).statusCode).toBe(400);
  });
});
