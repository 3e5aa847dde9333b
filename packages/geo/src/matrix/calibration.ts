import { lngLat, type LngLat } from '@geocrm/domain';

export interface ReferenceTrip {
  readonly from: string;
  readonly to: string;
  readonly a: LngLat;
  readonly b: LngLat;
  /** Road distance, km. */
  readonly roadKm: number;
  /** Driving time without traffic, minutes. */
  readonly minutes: number;
}

/**
 * Driving trips between French city centres (town hall, main square or station), with the road
 * distance and free-flow driving time **as commonly published by route planners** (Google Maps,
 * ViaMichelin, Mappy: the usual figure quoted for the trip, no traffic), rounded to 5 km / 5 min
 * for long trips. They are approximate (±10 % between planners and start points) and were not
 * measured by us; they calibrate the estimated matrix, they do not validate a router.
 * Chosen to mix what a field sales rep drives: intra-city, suburban, 20–80 km regional trips on
 * expressways, and long motorway trips.
 */
export const FRENCH_REFERENCE_TRIPS: readonly ReferenceTrip[] = [
  // Intra-city (dense centres, traffic lights).
  { from: 'Lyon Part-Dieu', to: 'Lyon Perrache', a: lngLat(4.859, 45.7606), b: lngLat(4.8262, 45.7485), roadKm: 3.5, minutes: 10 },
  { from: 'Paris Gare du Nord', to: 'Paris Montparnasse', a: lngLat(2.3553, 48.8809), b: lngLat(2.3212, 48.8412), roadKm: 6, minutes: 20 },
  { from: 'Toulouse Capitole', to: 'Toulouse-Blagnac airport', a: lngLat(1.4437, 43.6045), b: lngLat(1.3676, 43.6293), roadKm: 11, minutes: 20 },
  // Suburban.
  { from: 'Lille', to: 'Roubaix', a: lngLat(3.063, 50.6367), b: lngLat(3.1746, 50.6942), roadKm: 14, minutes: 22 },
  { from: 'Marseille', to: 'Aubagne', a: lngLat(5.374, 43.2951), b: lngLat(5.5706, 43.2927), roadKm: 18, minutes: 20 },
  { from: 'Paris', to: 'Versailles', a: lngLat(2.3522, 48.8566), b: lngLat(2.1204, 48.8049), roadKm: 21, minutes: 30 },
  // Regional.
  { from: 'Marseille', to: 'Aix-en-Provence', a: lngLat(5.374, 43.2951), b: lngLat(5.4474, 43.5263), roadKm: 31, minutes: 30 },
  { from: 'Nice', to: 'Cannes', a: lngLat(7.262, 43.7102), b: lngLat(7.0174, 43.5528), roadKm: 33, minutes: 35 },
  { from: 'Clermont-Ferrand', to: 'Vichy', a: lngLat(3.0863, 45.7772), b: lngLat(3.4264, 46.1277), roadKm: 55, minutes: 45 },
  { from: 'Montpellier', to: 'Nîmes', a: lngLat(3.8797, 43.6086), b: lngLat(4.3601, 43.8367), roadKm: 55, minutes: 45 },
  { from: 'Grenoble', to: 'Chambéry', a: lngLat(5.7245, 45.1885), b: lngLat(5.9178, 45.5646), roadKm: 57, minutes: 45 },
  { from: 'Nantes', to: 'Saint-Nazaire', a: lngLat(-1.5536, 47.2184), b: lngLat(-2.2139, 47.2736), roadKm: 60, minutes: 45 },
  { from: 'Bordeaux', to: 'Arcachon', a: lngLat(-0.5792, 44.8378), b: lngLat(-1.168, 44.6586), roadKm: 65, minutes: 50 },
  { from: 'Rennes', to: 'Saint-Malo', a: lngLat(-1.6778, 48.1173), b: lngLat(-2.0075, 48.6493), roadKm: 72, minutes: 55 },
  { from: 'Strasbourg', to: 'Colmar', a: lngLat(7.7521, 48.5734), b: lngLat(7.3585, 48.0794), roadKm: 75, minutes: 50 },
  // Long, mostly motorway.
  { from: 'Lyon', to: 'Grenoble', a: lngLat(4.832, 45.7578), b: lngLat(5.7245, 45.1885), roadKm: 110, minutes: 75 },
  { from: 'Nantes', to: 'Rennes', a: lngLat(-1.5536, 47.2184), b: lngLat(-1.6778, 48.1173), roadKm: 110, minutes: 75 },
  { from: 'Lille', to: 'Paris', a: lngLat(3.063, 50.6367), b: lngLat(2.3522, 48.8566), roadKm: 225, minutes: 135 },
  { from: 'Toulouse', to: 'Montpellier', a: lngLat(1.4437, 43.6045), b: lngLat(3.8797, 43.6086), roadKm: 245, minutes: 150 },
  { from: 'Paris', to: 'Lyon', a: lngLat(2.3522, 48.8566), b: lngLat(4.832, 45.7578), roadKm: 465, minutes: 270 },
  { from: 'Paris', to: 'Bordeaux', a: lngLat(2.3522, 48.8566), b: lngLat(-0.5792, 44.8378), roadKm: 585, minutes: 340 },
  { from: 'Paris', to: 'Marseille', a: lngLat(2.3522, 48.8566), b: lngLat(5.374, 43.2951), roadKm: 775, minutes: 450 },
];
