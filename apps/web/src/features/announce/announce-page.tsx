import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { useTour, useTourVisits } from './announce-api.ts';
import { TourDayActions } from './tour-day-actions.tsx';

const dayLabel = (date: string): string => new Date(`${date}T12:00:00Z`).toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/** `/tours/:id/announce`: a saved tour's days, and for the chosen one the actions to prepare and announce it. */
export const AnnouncePage = () => {
  const { id = '' } = useParams();
  const tour = useTour(id);
  const [picked, setPicked] = useState<string | undefined>();
  const visits = useTourVisits(tour.data);
  const names = new Map((visits.data?.items ?? []).map((v) => [v.id, v.accountName]));
  usePageTitle('Prepare and announce');
  if (tour.isPending) return <Spinner label="Loading the tour…" />;
  if (tour.isError) return <ErrorBanner error={tour.error} />;
  const t = tour.data;
  const withStops = t.days.filter((d) => d.stops.length > 0);
  const date = picked ?? withStops[0]?.date ?? t.days[0]?.date;
  const current = t.days.find((d) => d.date === date);
  return (
    <div className="page" data-testid="announce-page">
      <header className="page-header">
        <div>
          <p className="breadcrumbs">
            <Link to="/tours">Tours</Link>
          </p>
          <h1>Prepare and announce</h1>
          <p className="muted">
            Tour {t.from === t.to ? `of ${dayLabel(t.from)}` : `from ${dayLabel(t.from)} to ${dayLabel(t.to)}`} · {t.totals.visits} visits · {t.totals.km} km
          </p>
        </div>
      </header>
      <div className="segmented announce-days" aria-label="Day">
        {t.days.map((d) => (
          <button key={d.date} type="button" className={d.date === date ? 'active' : ''} onClick={() => setPicked(d.date)} data-testid={`announce-day-${d.date}`}>
            {dayLabel(d.date)} <span className="muted small">({d.stops.length})</span>
          </button>
        ))}
      </div>
      {current && date ? (
        <>
          <ol className="announce-stops card card-pad" data-testid="announce-stops">
            {current.stops.map((s) => (
              <li key={s.visitId}>
                {new Date(s.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}–{new Date(s.end).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}{' '}
                <strong>{names.get(s.visitId) ?? ''}</strong>
              </li>
            ))}
            {current.stops.length === 0 && <li className="muted">No stops this day.</li>}
          </ol>
          <TourDayActions tourId={t.id} date={date} />
        </>
      ) : (
        <p className="empty-state">This tour has no days.</p>
      )}
    </div>
  );
};
