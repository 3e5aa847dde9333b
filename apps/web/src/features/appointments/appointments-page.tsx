import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { BookSlotResponse, Slot, SlotsBody } from '@geocrm/contracts';
import type { AccountDto } from '../../api/types.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { useDebouncedValue } from '../../ui/use-debounced-value.ts';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { useAttribution, useBoundaries } from '../map/geo-api.ts';
import { useUsers } from '../users/users-api.ts';
import { useAccountSearch, useBookSlot, useSlots, useVisitTypeList } from './appointments-api.ts';
import { addDays, clockOf, dayLabel, money } from './slot-format.ts';
import { SlotMap } from './slot-map.tsx';
import { SlotTimeline } from './slot-timeline.tsx';
import './appointments.css';

type PickedAccount = Pick<AccountDto, 'id' | 'name'> & { city: string };

/** The account box: type a name or a town, Enter takes the first match. */
const AccountPicker = ({ value, onPick }: { value: PickedAccount | null; onPick: (a: PickedAccount | null) => void }) => {
  const [text, setText] = useState('');
  const debounced = useDebouncedValue(text, 150);
  const search = useAccountSearch(value ? '' : debounced);
  const input = useRef<HTMLInputElement>(null);
  const items = search.data?.items ?? [];
  const pick = (a: AccountDto) => {
    onPick({ id: a.id, name: a.name, city: a.address.city });
    setText('');
  };
  if (value) {
    return (
      <div className="appt-picked" data-testid="appt-account-picked">
        <div className="grow">
          <strong>{value.name}</strong>
          <span className="muted small"> · {value.city}</span>
        </div>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            onPick(null);
            setTimeout(() => input.current?.focus(), 0);
          }}
          data-testid="appt-account-change"
        >
          Change
        </button>
      </div>
    );
  }
  return (
    <div className="suggest">
      <input
        ref={input}
        id="appt-account"
        className="input-full"
        placeholder="Account name or town"
        value={text}
        autoFocus
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          const first = items[0];
          if (e.key === 'Enter' && first && debounced === text) pick(first);
        }}
        data-testid="appt-account"
      />
      {items.length > 0 && text.trim().length >= 2 ? (
        <ul className="suggest-list" role="listbox" data-testid="appt-account-suggestions">
          {items.map((a) => (
            <li key={a.id}>
              <button type="button" onClick={() => pick(a)}>
                {a.name}
                <span className="muted small"> · {a.address.city || 'no town'}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

const SlotCard = ({ slot, timeZone, selected, onSelect, onBook, booking }: { slot: Slot; timeZone: string; selected: boolean; onSelect: () => void; onBook: () => void; booking: boolean }) => (
  <li className={`appt-slot${selected ? ' selected' : ''}`} data-testid="appt-slot">
    <button type="button" className="appt-slot-main" onClick={onSelect} aria-pressed={selected}>
      <span className="appt-slot-when">
        <strong>{dayLabel(slot.date)}</strong> <span className="appt-slot-time">{clockOf(slot.start, timeZone)}</span>
      </span>
      <span className="appt-slot-who">
        {slot.userName}
        {slot.ownerFit ? <span className="slot-tag slot-tag-owner">owner</span> : null}
        {slot.tourId === null ? <span className="slot-tag">free day</span> : null}
      </span>
      <span className="appt-slot-cost small">
        +{slot.extraKm} km · +{slot.extraMinutes} min · {money(slot.extraCostCents, slot.currency)}
      </span>
      <span className="appt-slot-moves small muted">{slot.moves.length === 0 ? 'Nothing else moves' : `${slot.moves.length} visit(s) shift, up to ${Math.max(...slot.moves.map((m) => Math.abs(m.shiftMinutes)))} min`}</span>
    </button>
    <button type="button" className="btn btn-primary btn-small" onClick={onBook} disabled={booking} data-testid="appt-book">
      Book
    </button>
  </li>
);

/** Back-office: find the best slots for a customer on the phone, book one in a click. */
export const AppointmentsPage = () => {
  usePageTitle('Appointments');
  const [account, setAccount] = useState<PickedAccount | null>(null);
  const [visitTypeId, setVisitTypeId] = useState('');
  const [from, setFrom] = useState(() => addDays(new Date().toISOString().slice(0, 10), 1));
  const [to, setTo] = useState(() => addDays(new Date().toISOString().slice(0, 10), 7));
  const [userId, setUserId] = useState('');
  const [selected, setSelected] = useState(0);
  const [booked, setBooked] = useState<{ result: BookSlotResponse; slot: Slot; timeZone: string } | null>(null);
  const types = useVisitTypeList();
  const users = useUsers();
  const reps = (users.data?.items ?? []).filter((u) => u.role === 'rep' || u.role === 'technician');
  const { boundaries } = useBoundaries({ regions: false });
  const attribution = useAttribution();
  // default: the first type any rep can do (no required skill)
  const defaultType = types.data?.items.find((t) => t.requiredSkills.length === 0) ?? types.data?.items[0];
  const typeId = visitTypeId || defaultType?.id || '';

  const body = useMemo((): SlotsBody | null => {
    if (!account || !typeId || !from || !to || booked) return null;
    return { accountId: account.id, visitTypeId: typeId, from, to, count: 5, ...(userId ? { userId } : {}) };
  }, [account, typeId, from, to, userId, booked]);
  const slots = useSlots(body);
  const book = useBookSlot();
  useEffect(() => setSelected(0), [slots.data]);
  const items = slots.data?.items ?? [];
  const current = items[selected] ?? null;
  const timeZone = slots.data?.timeZone ?? 'Europe/Paris';

  const bookSlot = (slot: Slot) => {
    if (!account) return;
    book.mutate(
      { accountId: account.id, visitTypeId: typeId, userId: slot.userId, start: slot.start },
      { onSuccess: (result) => setBooked({ result, slot, timeZone }) },
    );
  };

  return (
    <div className="page page-wide appt-page" data-testid="appointments-page">
      <div className="page-header">
        <div>
          <h1>Appointments</h1>
          <p className="muted">Find the best time for a customer across the reps' tours, and book it.</p>
        </div>
      </div>
      {booked ? (
        <div className="card card-pad appt-confirm" data-testid="appt-confirmation">
          <h2>Booked</h2>
          <p>
            <strong>{booked.result.visit.accountName}</strong> — {booked.result.visit.visitTypeName}, <strong>{dayLabel(booked.slot.date)}</strong> at{' '}
            <strong>{clockOf(booked.result.visit.appointmentAt ?? booked.slot.start, booked.timeZone)}</strong> with <strong>{booked.slot.userName}</strong>.
          </p>
          <p className="muted small">
            Tour of {booked.result.tour.from === booked.result.tour.to ? booked.result.tour.from : `${booked.result.tour.from} – ${booked.result.tour.to}`}: {booked.result.tour.totals.visits} visits, {booked.result.tour.totals.km} km.
            {booked.slot.moves.length ? ` ${booked.slot.moves.length} visit(s) shifted.` : ''}
          </p>
          <div className="form-actions">
            <Link to={`/accounts/${booked.result.visit.accountId}`} className="btn btn-secondary btn-small">
              Open the account
            </Link>
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={() => {
                setBooked(null);
                setAccount(null);
                book.reset();
              }}
              data-testid="appt-again"
            >
              Book another
            </button>
          </div>
        </div>
      ) : null}
      {!booked ? (
        <div className="appt-grid">
          <section className="card card-pad appt-form" aria-label="The appointment">
            <label className="field-label" htmlFor="appt-account">
              Account
            </label>
            <AccountPicker value={account} onPick={setAccount} />
            <label className="field-label" htmlFor="appt-type">
              Visit type
            </label>
            <select id="appt-type" className="input-full" value={typeId} onChange={(e) => setVisitTypeId(e.target.value)} data-testid="appt-type">
              {(types.data?.items ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.durationMinutes} min)
                </option>
              ))}
            </select>
            <div className="appt-dates">
              <div>
                <label className="field-label" htmlFor="appt-from">
                  From
                </label>
                <input id="appt-from" type="date" className="input-full" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="appt-from" />
              </div>
              <div>
                <label className="field-label" htmlFor="appt-to">
                  To
                </label>
                <input id="appt-to" type="date" className="input-full" value={to} onChange={(e) => setTo(e.target.value)} data-testid="appt-to" />
              </div>
            </div>
            <label className="field-label" htmlFor="appt-rep">
              Rep
            </label>
            <select id="appt-rep" className="input-full" value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="appt-rep">
              <option value="">Any rep</option>
              {reps.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
            {slots.data && slots.data.skipped.length > 0 ? (
              <details className="small muted appt-skipped">
                <summary>{slots.data.skipped.length} rep(s) left out</summary>
                <ul>
                  {slots.data.skipped.map((s) => (
                    <li key={s.userId}>{s.reason}</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </section>
          <section className="card card-pad appt-results" aria-label="Slots" data-testid="appt-results">
            <ErrorBanner error={book.error} testId="appt-book-error" />
            <ErrorBanner error={slots.error} testId="appt-error" />
            {!account ? <p className="muted">Pick an account: the best slots appear at once.</p> : null}
            {slots.isFetching && !slots.data ? <Spinner label="Looking for slots…" /> : null}
            {slots.data && body ? (
              <>
                <div className="section-header">
                  <h2 data-testid="appt-heading">
                    {items.length ? `${items.length} best slot(s) for ${slots.data.account.name}` : `No slot for ${slots.data.account.name} in these dates`}
                  </h2>
                  <span className="muted small">
                    {slots.data.daysSearched} rep-days · {slots.data.computingMs} ms{slots.isFetching ? ' · updating…' : ''}
                  </span>
                </div>
                <ol className="appt-slots">
                  {items.map((s, i) => (
                    <SlotCard key={`${s.userId}-${s.start}`} slot={s} timeZone={timeZone} selected={i === selected} onSelect={() => setSelected(i)} onBook={() => bookSlot(s)} booking={book.isPending} />
                  ))}
                </ol>
              </>
            ) : null}
            {current && body ? (
              <div className="appt-detail" data-testid="appt-detail">
                <SlotMap slot={current} boundaries={boundaries} attribution={attribution.data?.items} />
                <div>
                  <p className="small muted">{current.reasons.join(' · ')}</p>
                  <SlotTimeline slot={current} timeZone={timeZone} />
                </div>
              </div>
            ) : null}
          </section>
        </div>
      ) : null}
    </div>
  );
};
