/**
 * `TourDayActions` — prepare and announce one day of a saved tour (F-TOUR-5, F-TOUR-6).
 *
 * Props: `{ tourId: string; date: string }` — a saved tour's id and one of its days (`YYYY-MM-DD`).
 *
 * Buttons: Tour sheet (PDF download), Calendar (.ics download), Directions (Google Maps legs and a
 * Waze link per stop), Notify customers (who would get their appointment time → send → what was sent
 * and skipped), Presence notice (distance → preview of the accounts near the route → send → result).
 * Every panel resets when `tourId` or `date` change (the parent keys nothing).
 */
import { useState } from 'react';
import type { PresencePreviewDto, PresenceResultDto, SendResultDto } from '@geocrm/contracts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { tourDayFileUrl, useAppointmentEmails, useDirections, usePresencePreview, usePresenceSend } from './announce-api.ts';
import './announce.css';

export interface TourDayActionsProps {
  readonly tourId: string;
  readonly date: string;
}

type Panel = 'none' | 'directions' | 'notify' | 'presence';

const time = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const TRANSPORT: Record<string, string> = { outbox: 'written to the outbox (data/outbox)', smtp: 'sent by SMTP', preview: 'preview' };

export const TourDayActions = (props: TourDayActionsProps) => <TourDayActionsFor key={`${props.tourId}/${props.date}`} {...props} />;

const TourDayActionsFor = ({ tourId, date }: TourDayActionsProps) => {
  const [panel, setPanel] = useState<Panel>('none');
  const toggle = (p: Panel) => setPanel((current) => (current === p ? 'none' : p));
  return (
    <section className="announce card card-pad" aria-label="Prepare and announce the day" data-testid="tour-day-actions">
      <div className="announce-buttons">
        <a className="btn btn-secondary" href={tourDayFileUrl(tourId, date, 'sheet.pdf')} download data-testid="announce-sheet">
          Tour sheet (PDF)
        </a>
        <a className="btn btn-secondary" href={tourDayFileUrl(tourId, date, 'calendar.ics')} download data-testid="announce-calendar">
          Calendar (.ics)
        </a>
        <button type="button" className={`btn btn-secondary${panel === 'directions' ? ' active' : ''}`} onClick={() => toggle('directions')} data-testid="announce-directions">
          Directions
        </button>
        <button type="button" className={`btn btn-secondary${panel === 'notify' ? ' active' : ''}`} onClick={() => toggle('notify')} data-testid="announce-notify">
          Notify customers
        </button>
        <button type="button" className={`btn btn-secondary${panel === 'presence' ? ' active' : ''}`} onClick={() => toggle('presence')} data-testid="announce-presence">
          Presence notice
        </button>
      </div>
      {panel === 'directions' && <DirectionsPanel tourId={tourId} date={date} />}
      {panel === 'notify' && <NotifyPanel tourId={tourId} date={date} />}
      {panel === 'presence' && <PresencePanel tourId={tourId} date={date} />}
    </section>
  );
};

const DirectionsPanel = ({ tourId, date }: TourDayActionsProps) => {
  const directions = useDirections(tourId, date, true);
  if (directions.isPending) return <p className="muted small">Building the links…</p>;
  if (directions.isError) return <ErrorBanner error={directions.error} testId="announce-error" />;
  const d = directions.data;
  return (
    <div className="announce-panel" data-testid="announce-directions-panel">
      <h4 className="subsection-title">Google Maps</h4>
      {d.google.length === 0 ? (
        <p className="muted small">No placed stop: nothing to drive to.</p>
      ) : (
        <ul className="announce-links">
          {d.google.map((url, i) => (
            <li key={url}>
              <a href={url} target="_blank" rel="noreferrer" data-testid="announce-google">
                {d.google.length === 1 ? 'The whole day in Google Maps' : `Leg ${i + 1} of ${d.google.length} in Google Maps`}
              </a>
            </li>
          ))}
        </ul>
      )}
      <h4 className="subsection-title">Waze (one destination at a time)</h4>
      <ol className="announce-links">
        {d.waze.map((w) => (
          <li key={w.url}>
            <a href={w.url} target="_blank" rel="noreferrer" data-testid="announce-waze">
              {w.accountName}
            </a>
          </li>
        ))}
      </ol>
      {d.unplaced.length > 0 && <p className="muted small">Not on the map (no location): {d.unplaced.join(', ')}</p>}
    </div>
  );
};

const SendSummary = ({ result, testId }: { result: SendResultDto; testId: string }) => (
  <div className="announce-result" data-testid={testId}>
    <p className={result.transport === 'preview' ? 'banner banner-info' : 'banner banner-success'}>
      {result.transport === 'preview' ? `${plural(result.sent.length, 'message')} would go out` : `${plural(result.sent.length, 'message')} ${TRANSPORT[result.transport] ?? `sent (${result.transport})`}`}
      {result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : ''}.
    </p>
    {result.sent.length > 0 && (
      <ul className="announce-list" data-testid={`${testId}-sent`}>
        {result.sent.map((s) => (
          <li key={`${s.accountId}-${s.channel}`}>
            <strong>{s.accountName}</strong> <span className="muted">{s.recipient}</span>
            {s.start ? <span className="pill">{time(s.start)}</span> : null}
            {s.channel === 'sms' ? <span className="pill">SMS</span> : null}
          </li>
        ))}
      </ul>
    )}
    {result.skipped.length > 0 && (
      <ul className="announce-list announce-skipped" data-testid={`${testId}-skipped`}>
        {result.skipped.map((s) => (
          <li key={`${s.accountId}-${s.reason}`}>
            <span className="muted">{s.message}</span>
          </li>
        ))}
      </ul>
    )}
  </div>
);

const NotifyPanel = ({ tourId, date }: TourDayActionsProps) => {
  const preview = useAppointmentEmails(tourId, date);
  const send = useAppointmentEmails(tourId, date);
  const [resend, setResend] = useState(false);
  const previewed = preview.data;
  return (
    <div className="announce-panel" data-testid="announce-notify-panel">
      <p className="muted small">Each visited account with an e-mail gets its appointment time. Sending twice sends nothing new unless you ask to send again.</p>
      <div className="announce-row">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => {
            send.reset();
            preview.mutate({ dryRun: true, resend });
          }} disabled={preview.isPending} data-testid="announce-notify-preview">
          {preview.isPending ? 'Checking…' : 'Preview'}
        </button>
        <label className="checkbox small">
          <input type="checkbox" checked={resend} onChange={(e) => setResend(e.target.checked)} data-testid="announce-notify-resend" /> send again to those already told
        </label>
      </div>
      <ErrorBanner error={preview.error ?? send.error} testId="announce-error" />
      {previewed && !send.data && (
        <>
          <SendSummary result={previewed} testId="announce-notify-preview-result" />
          <button type="button" className="btn btn-primary btn-small" onClick={() => send.mutate({ resend })} disabled={send.isPending || previewed.sent.length === 0} data-testid="announce-notify-send">
            {send.isPending ? 'Sending…' : `Send ${plural(previewed.sent.length, 'message')}`}
          </button>
        </>
      )}
      {send.data && <SendSummary result={send.data} testId="announce-notify-result" />}
    </div>
  );
};

const PresencePanel = ({ tourId, date }: TourDayActionsProps) => {
  const [widthKm, setWidthKm] = useState(2);
  const preview = usePresencePreview(tourId, date);
  const send = usePresenceSend(tourId, date);
  const valid = Number.isFinite(widthKm) && widthKm >= 0.1 && widthKm <= 50;
  const p: PresencePreviewDto | undefined = preview.data;
  const done: PresenceResultDto | undefined = send.data;
  return (
    <div className="announce-panel" data-testid="announce-presence-panel">
      <p className="muted small">Tell the accounts near the day&apos;s route that someone will be nearby. Opted-out accounts are never told, and nobody twice for this day.</p>
      <div className="announce-row">
        <label className="field-label small" htmlFor="announce-width">
          Within
        </label>
        <input
          id="announce-width"
          className="input-small"
          type="number"
          min={0.1}
          max={50}
          step={0.5}
          value={Number.isFinite(widthKm) ? widthKm : ''}
          onChange={(e) => {
            setWidthKm(e.target.valueAsNumber);
            send.reset();
          }}
          data-testid="announce-presence-width"
        />
        <span className="small">km of the route</span>
        <button type="button" className="btn btn-secondary btn-small" disabled={!valid || preview.isPending} onClick={() => {
            send.reset();
            preview.mutate({ widthKm });
          }} data-testid="announce-presence-preview">
          {preview.isPending ? 'Looking…' : 'Preview'}
        </button>
      </div>
      {!valid && <p className="field-error small">Choose a distance between 0.1 and 50 km.</p>}
      <ErrorBanner error={preview.error ?? send.error} testId="announce-error" />
      {p && !done && (
        <div data-testid="announce-presence-preview-result">
          <p className="small" data-testid="announce-presence-counts">
            {plural(p.counts.inCorridor, 'account')} within {p.widthKm} km: <strong>{plural(p.counts.recipients, 'recipient')}</strong>, {p.counts.optedOut} opted out, {p.counts.withoutEmail} without e-mail,{' '}
            {p.counts.alreadySent} already told.
          </p>
          {p.recipients.length > 0 && (
            <ul className="announce-list" data-testid="announce-presence-recipients">
              {p.recipients.map((r) => (
                <li key={r.accountId}>
                  <strong>{r.accountName}</strong> <span className="muted">{r.email}</span> <span className="pill">{r.distanceKm} km</span>
                </li>
              ))}
            </ul>
          )}
          <details className="small">
            <summary>The message</summary>
            <p>
              <strong>{p.subject}</strong>
            </p>
            <pre className="announce-sample">{p.sample}</pre>
          </details>
          <button type="button" className="btn btn-primary btn-small" disabled={p.recipients.length === 0 || send.isPending} onClick={() => send.mutate({ widthKm })} data-testid="announce-presence-send">
            {send.isPending ? 'Sending…' : `Send to ${plural(p.recipients.length, 'account')}`}
          </button>
        </div>
      )}
      {done && <SendSummary result={done} testId="announce-presence-result" />}
    </div>
  );
};
