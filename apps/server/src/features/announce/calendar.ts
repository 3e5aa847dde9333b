import ical from 'ical-generator';
import type { AnnounceTourDayRecord } from '@geocrm/db';

/**
 * One rep's day as an iCalendar file (RFC 5545, by ical-generator: CRLF, lines folded at 75 octets,
 * escaped text): one VEVENT per stop, times in UTC, LOCATION = name + address, GEO = the account's
 * point. UIDs are stable (`<visit id>@geocrm`), so importing the day again updates the events.
 */
export const renderCalendar = (t: AnnounceTourDayRecord, stamp = new Date()): string => {
  const day = t.day;
  if (!day) throw new Error('renderCalendar needs a day');
  const cal = ical({ name: `${t.orgName} — ${t.userName} ${day.date}`, prodId: { company: 'GeoCRM', product: 'tours', language: 'EN' } });
  for (const s of t.stops) {
    const a = s.account;
    const contact = a.contacts[0];
    const description = [
      s.visitType + (s.appointment ? ' (RDV)' : ''),
      s.visitNotes,
      a.phone ? `Tel. ${a.phone}` : '',
      contact ? [contact.name, contact.phone, contact.email].filter(Boolean).join(' ') : '',
    ]
      .filter(Boolean)
      .join('\n');
    cal.createEvent({
      id: `${s.visitId}@geocrm`,
      stamp,
      start: s.start,
      end: s.end,
      summary: `${s.seq + 1}. ${a.name}`,
      description,
      location: a.location ? { title: a.name, address: a.address, geo: { lat: a.location.lat, lon: a.location.lng } } : `${a.name}${a.address ? `, ${a.address}` : ''}`,
    });
  }
  return cal.toString();
};
