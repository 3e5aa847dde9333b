import type { AnnounceTourDayRecord } from '@geocrm/db';

interface Pt {
  readonly lng: number;
  readonly lat: number;
}

/** Google Maps takes at most 9 waypoints in a directions URL (fewer on some phones): longer days become consecutive legs. */
const GOOGLE_MAX_WAYPOINTS = 9;
const coord = (p: Pt): string => `${p.lat.toFixed(6)},${p.lng.toFixed(6)}`;

const googleUrl = (points: readonly Pt[]): string => {
  const origin = points[0];
  const destination = points.at(-1);
  if (!origin || !destination) return '';
  const params = new URLSearchParams({ api: '1', origin: coord(origin), destination: coord(destination), travelmode: 'driving' });
  const waypoints = points.slice(1, -1);
  if (waypoints.length > 0) params.set('waypoints', waypoints.map(coord).join('|'));
  return `https://www.google.com/maps/dir/?${params.toString()}`;
};

/** Links for the day: Google Maps directions home → stops → home (or the night's place), and one Waze link per stop. */
export const directionsFor = (t: AnnounceTourDayRecord): { google: string[]; waze: { seq: number; accountName: string; url: string }[]; unplaced: string[] } => {
  const stops = t.stops.flatMap((s) => (s.account.location ? [{ seq: s.seq, name: s.account.name, ...s.account.location }] : []));
  const back = t.day?.nightLocation ?? t.home;
  const route: Pt[] = [...(t.home ? [t.home] : []), ...stops, ...(back ? [back] : [])];
  const google: string[] = [];
  if (route.length >= 2) {
    // each link covers origin + up to 9 waypoints + destination; the next starts where the previous ended
    const step = GOOGLE_MAX_WAYPOINTS + 1;
    for (let from = 0; from < route.length - 1; from += step) google.push(googleUrl(route.slice(from, Math.min(route.length, from + step + 1))));
  }
  return {
    google,
    waze: stops.map((s) => ({ seq: s.seq, accountName: s.name, url: `https://waze.com/ul?${new URLSearchParams({ ll: coord(s), navigate: 'yes' }).toString()}` })),
    unplaced: t.stops.filter((s) => !s.account.location).map((s) => s.account.name),
  };
};
