import PDFDocument from 'pdfkit';
import type { AnnounceTourDayRecord } from '@geocrm/db';
import { loadBoundaries, type Position } from '@geocrm/geo';
import { duration, hhmm, km, longDate, type Locale } from './format.ts';

const LABELS = {
  fr: {
    title: 'Feuille de route',
    stops: 'Visites',
    departure: 'Départ',
    back: 'Retour',
    lunch: 'Déjeuner',
    arrival: 'arrivée',
    drive: 'de route',
    appointment: 'RDV fixe',
    contacts: 'Contacts',
    objectives: 'Objectifs',
    notes: 'Notes',
    noLocation: 'sans position (absent de la carte)',
    totals: 'Total',
    night: { home: 'Nuit à domicile', hotel: "Nuit à l'hôtel" },
    home: 'Domicile',
    generated: 'Édité le',
  },
  en: {
    title: 'Tour sheet',
    stops: 'Visits',
    departure: 'Leave',
    back: 'Back',
    lunch: 'Lunch',
    arrival: 'arrive',
    drive: 'driving',
    appointment: 'Fixed appointment',
    contacts: 'Contacts',
    objectives: 'Objectives',
    notes: 'Notes',
    noLocation: 'no location (not on the map)',
    totals: 'Total',
    night: { home: 'Night at home', hotel: 'Night at a hotel' },
    home: 'Home',
    generated: 'Printed on',
  },
} as const;

interface Pt {
  readonly lng: number;
  readonly lat: number;
}

const NICE_KM = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500];
const MARGIN = 40;
const ACCENT = '#1d4ed8';

/**
 * The printable sheet of one tour day (A4, PDF): header with the day's times and totals, a drawing of
 * the route (stops projected and joined, numbered, a scale, the départements' outlines shipped with the
 * geo package as the background — no tile server is needed), then each stop with its times, address,
 * contacts, visit type, objectives and notes.
 */
export const renderTourSheet = async (t: AnnounceTourDayRecord, locale: Locale): Promise<Buffer> => {
  const day = t.day;
  if (!day) throw new Error('renderTourSheet needs a day');
  const L = LABELS[locale];
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${L.title} ${t.userName} ${day.date}`, Author: t.orgName, Creator: 'GeoCRM' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const tz = t.timeZone;
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(`${L.title} — ${t.userName}`);
  doc.font('Helvetica').fontSize(11).text(`${longDate(day.date, locale)} · ${t.orgName}`);
  const lunch = day.lunch ? ` · ${L.lunch} ${hhmm(day.lunch.start, tz)}–${hhmm(day.lunch.end, tz)}` : '';
  doc.text(
    `${L.departure} ${hhmm(day.start, tz)} · ${L.back} ${hhmm(day.end, tz)}${lunch} · ${t.stops.length} ${L.stops.toLowerCase()} · ${km(day.distanceMetres, locale)} · ${duration(day.drivingSeconds)} ${L.drive} · ${L.night[day.night]}`,
  );
  doc.moveDown(0.5);

  const mapTop = doc.y;
  const mapHeight = 270;
  drawRouteMap(doc, t, { x: MARGIN, y: mapTop, w: width, h: mapHeight }, L.home);
  doc.y = mapTop + mapHeight + 12;
  doc.x = MARGIN;

  doc.font('Helvetica-Bold').fontSize(13).fillColor('black').text(L.stops);
  doc.moveDown(0.3);
  for (const [i, s] of t.stops.entries()) {
    const a = s.account;
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(11).fillColor(ACCENT).text(`${i + 1}. ${hhmm(s.start, tz)}–${hhmm(s.end, tz)}  ${a.name}${s.appointment ? `  [${L.appointment}]` : ''}`, { width });
    doc.font('Helvetica').fontSize(9.5).fillColor('black');
    doc.text(`${a.address || '—'}${a.location ? '' : ` (${L.noLocation})`}${a.phone ? ` · ${a.phone}` : ''}`, { width });
    doc.fillColor('#444').text(`${L.arrival} ${hhmm(s.arrival, tz)} · ${km(s.driveMetres, locale)} · ${duration(s.driveSeconds)} ${L.drive} · ${s.visitType}`, { width });
    doc.fillColor('black');
    if (s.visitNotes) doc.text(`${L.objectives}: ${s.visitNotes}`, { width });
    if (a.contacts.length > 0) {
      const contacts = a.contacts
        .slice(0, 3)
        .map((c) => [c.name + (c.title ? ` (${c.title})` : ''), c.phone, c.email].filter(Boolean).join(' '))
        .join(' · ');
      doc.text(`${L.contacts}: ${contacts}`, { width });
    }
    if (a.notes) doc.fillColor('#444').text(`${L.notes}: ${a.notes}`, { width });
    doc.fillColor('black').moveDown(0.5);
  }
  doc.moveDown(0.5);
  doc.fontSize(8).fillColor('#666').text(`${L.generated} ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
};

/** Equirectangular projection around the points' middle latitude, fitted to the box; a scale bar in a corner. */
const drawRouteMap = (doc: PDFKit.PDFDocument, t: AnnounceTourDayRecord, box: { x: number; y: number; w: number; h: number }, homeLabel: string): void => {
  const placed = t.stops.flatMap((s, i) => (s.account.location ? [{ n: i + 1, ...s.account.location }] : []));
  const ends: Pt[] = t.home ? [t.home] : [];
  const all: Pt[] = [...ends, ...placed];
  doc.save();
  doc.rect(box.x, box.y, box.w, box.h).fillAndStroke('#f4f6f8', '#9aa5b1');
  doc.restore();
  if (all.length === 0) return;
  const lat0 = all.reduce((sum, p) => sum + p.lat, 0) / all.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  let minX = Math.min(...all.map((p) => p.lng * k));
  let maxX = Math.max(...all.map((p) => p.lng * k));
  let minY = Math.min(...all.map((p) => p.lat));
  let maxY = Math.max(...all.map((p) => p.lat));
  // at least ~2 km across, and 10 % of room around the points
  const span = Math.max(maxX - minX, maxY - minY, 0.02);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  minX = cx - span * 0.6;
  maxX = cx + span * 0.6;
  minY = cy - span * 0.6;
  maxY = cy + span * 0.6;
  const scale = Math.min(box.w / (maxX - minX), box.h / (maxY - minY));
  const ox = box.x + box.w / 2;
  const oy = box.y + box.h / 2;
  const project = (p: Pt): [number, number] => [ox + (p.lng * k - cx) * scale, oy - (p.lat - cy) * scale];

  // background: départements' outlines crossing the view (shipped boundaries)
  doc.save();
  doc.rect(box.x, box.y, box.w, box.h).clip();
  const view = { minLng: (cx - box.w / 2 / scale) / k, maxLng: (cx + box.w / 2 / scale) / k, minLat: cy - box.h / 2 / scale, maxLat: cy + box.h / 2 / scale };
  const ringInView = (ring: readonly Position[]): boolean => {
    let a = Infinity;
    let b = -Infinity;
    let c = Infinity;
    let d = -Infinity;
    for (const [lng = 0, lat = 0] of ring) {
      a = Math.min(a, lng);
      b = Math.max(b, lng);
      c = Math.min(c, lat);
      d = Math.max(d, lat);
    }
    return !(b < view.minLng || a > view.maxLng || d < view.minLat || c > view.maxLat);
  };
  doc.lineWidth(0.6).strokeColor('#c3cbd4');
  for (const f of loadBoundaries('fr-departements').features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const ring of polygons.flat()) {
      if (!ringInView(ring)) continue;
      ring.forEach(([lng = 0, lat = 0], i) => {
        const [x, y] = project({ lng, lat });
        if (i === 0) doc.moveTo(x, y);
        else doc.lineTo(x, y);
      });
      doc.stroke();
    }
  }
  // the route: home → stops → home (or the night's place)
  const back = t.day?.nightLocation ?? t.home;
  const path: Pt[] = [...ends, ...placed, ...(back ? [back] : [])];
  doc.lineWidth(2.2).strokeColor(ACCENT).lineJoin('round');
  path.forEach((p, i) => {
    const [x, y] = project(p);
    if (i === 0) doc.moveTo(x, y);
    else doc.lineTo(x, y);
  });
  if (path.length > 1) doc.stroke();
  if (t.home) {
    const [x, y] = project(t.home);
    doc.rect(x - 5, y - 5, 10, 10).fillAndStroke('#111827', 'white');
    doc.fillColor('#111827').fontSize(8).text(homeLabel, x + 8, y - 4, { lineBreak: false });
  }
  for (const p of placed) {
    const [x, y] = project(p);
    doc.circle(x, y, 8).lineWidth(1).fillAndStroke(ACCENT, 'white');
    const label = String(p.n);
    doc.font('Helvetica-Bold').fontSize(8).fillColor('white');
    doc.text(label, x - doc.widthOfString(label) / 2, y - 3.2, { lineBreak: false });
  }
  doc.restore();

  // scale bar: a round distance about a quarter of the box
  const metresPerPoint = (111_320 * 1) / scale;
  const target = (box.w / 4) * metresPerPoint / 1000;
  const kmBar = NICE_KM.reduce((best, n) => (Math.abs(n - target) < Math.abs(best - target) ? n : best), 1);
  const barW = (kmBar * 1000) / metresPerPoint;
  const bx = box.x + 10;
  const by = box.y + box.h - 14;
  doc.save();
  doc.lineWidth(2).strokeColor('#111827').moveTo(bx, by).lineTo(bx + barW, by).stroke();
  doc.lineWidth(1).moveTo(bx, by - 4).lineTo(bx, by + 2).moveTo(bx + barW, by - 4).lineTo(bx + barW, by + 2).stroke();
  doc.font('Helvetica').fontSize(8).fillColor('#111827').text(`${kmBar} km`, bx + barW + 5, by - 4, { lineBreak: false });
  doc.restore();
};
