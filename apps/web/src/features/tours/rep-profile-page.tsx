import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FIELD_ROLES } from '@geocrm/domain';
import { useCurrentSession } from '../auth/require-session.tsx';
import { usePlaceSuggestions } from '../around/around-api.ts';
import { useUsers } from '../users/users-api.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Field } from '../../ui/field.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { useDebouncedValue } from '../../ui/use-debounced-value.ts';
import { usePageTitle } from '../../ui/use-page-title.ts';
import { bodyOfForm, formOfProfile, WEEKDAYS, type ProfileForm } from './profile-form.ts';
import { WEEKDAY_NAMES } from './tour-format.ts';
import { useRepProfile, useUpdateRepProfile } from './tours-api.ts';
import type { RepProfileDto } from './tours-types.ts';
import './tours.css';

type Place = RepProfileDto['home'];

/** A place picked from the geocoder's suggestions (or cleared). */
const PlaceInput = ({ label, value, disabled, onChange, testId }: { label: string; value: Place; disabled: boolean; onChange: (p: Place) => void; testId: string }) => {
  const [text, setText] = useState(value?.label ?? '');
  const debounced = useDebouncedValue(text, 250);
  const suggestions = usePlaceSuggestions(!disabled && debounced !== (value?.label ?? '') ? debounced : '');
  return (
    <div className="tours-place">
      <Field label={label} hint={value ? `${value.location.lat.toFixed(5)}, ${value.location.lng.toFixed(5)}` : 'Not set'}>
        <div style={{ display: 'flex', gap: 6 }}>
          <input className="input-full" value={text} disabled={disabled} placeholder="Type an address or a town…" onChange={(e) => setText(e.target.value)} data-testid={testId} />
          {value && !disabled ? (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => {
                setText('');
                onChange(null);
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </Field>
      {suggestions.data && suggestions.data.features.length > 0 && debounced === text ? (
        <ul className="suggest-list" role="listbox" data-testid={`${testId}-suggestions`}>
          {suggestions.data.features.map((f) => (
            <li key={`${f.properties.label}-${f.geometry.coordinates.join(',')}`}>
              <button
                type="button"
                onClick={() => {
                  const [lng = 0, lat = 0] = f.geometry.coordinates;
                  setText(f.properties.label);
                  onChange({ label: f.properties.label.slice(0, 300), location: { lng, lat } });
                }}
              >
                {f.properties.label}
                <span className="muted small"> · {f.properties.context ?? f.properties.precision}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

const ProfileEditor = ({ profile, editable }: { profile: RepProfileDto; editable: boolean }) => {
  const [form, setForm] = useState<ProfileForm>(() => formOfProfile(profile));
  const [skill, setSkill] = useState('');
  const [saved, setSaved] = useState(false);
  const update = useUpdateRepProfile(profile.userId);
  const { body, errors } = bodyOfForm(form);
  const set = (patch: Partial<ProfileForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const setDay = (d: string, hours: { from: string; to: string } | null) => set({ days: { ...form.days, [d]: hours } });
  const ro = !editable;

  return (
    <form
      className="tours-form-page"
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(errors).length === 0) update.mutate(body, { onSuccess: () => setSaved(true) });
      }}
      data-testid="rep-profile-form"
    >
      {!profile.saved ? <div className="banner banner-info small">No profile saved yet for {profile.userName}: these are the defaults.</div> : null}
      <section className="card card-pad">
        <h2 className="tours-section-title">Where the days start</h2>
        <div className="tours-form-grid">
          <PlaceInput label="Home" value={form.home} disabled={ro} onChange={(home) => set({ home })} testId="profile-home" />
          <PlaceInput label="Office" value={form.office} disabled={ro} onChange={(office) => set({ office })} testId="profile-office" />
          <Field label="Days start and end at" error={errors['office']}>
            <select value={form.startAt} disabled={ro} onChange={(e) => set({ startAt: e.target.value === 'office' ? 'office' : 'home' })} data-testid="profile-start-at">
              <option value="home">Home</option>
              <option value="office">Office</option>
            </select>
          </Field>
        </div>
      </section>

      <section className="card card-pad">
        <h2 className="tours-section-title">Working hours and lunch</h2>
        <table className="tours-hours" data-testid="profile-hours">
          <tbody>
            {WEEKDAYS.map((d, i) => {
              const h = form.days[d] ?? null;
              return (
                <tr key={d}>
                  <td style={{ width: 130 }}>
                    <label>
                      <input type="checkbox" checked={h !== null} disabled={ro} onChange={() => setDay(d, h ? null : { from: '08:30', to: '18:00' })} data-testid={`profile-day-${d}`} /> {WEEKDAY_NAMES[i]}
                    </label>
                  </td>
                  <td>
                    {h ? (
                      <>
                        <input type="time" value={h.from} disabled={ro} aria-label={`${WEEKDAY_NAMES[i] ?? ''} from`} onChange={(e) => setDay(d, { ...h, from: e.target.value })} /> –{' '}
                        <input type="time" value={h.to} disabled={ro} aria-label={`${WEEKDAY_NAMES[i] ?? ''} to`} onChange={(e) => setDay(d, { ...h, to: e.target.value })} />
                        {errors[`day${d}`] ? <small className="field-error"> {errors[`day${d}`]}</small> : null}
                      </>
                    ) : (
                      <span className="muted">not worked</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="tours-form-grid" style={{ marginTop: 12 }}>
          <Field label="Lunch between" error={errors['lunch']}>
            <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
              <input type="time" value={form.lunchFrom} disabled={ro} onChange={(e) => set({ lunchFrom: e.target.value })} aria-label="Lunch from" /> –
              <input type="time" value={form.lunchTo} disabled={ro} onChange={(e) => set({ lunchTo: e.target.value })} aria-label="Lunch to" />
              <input type="number" min={0} max={240} style={{ width: 80 }} value={form.lunchMinutes} disabled={ro} onChange={(e) => set({ lunchMinutes: e.target.value })} aria-label="Lunch minutes" data-testid="profile-lunch-minutes" /> min
            </div>
          </Field>
          <Field label="Maximum driving per day (hours)" error={errors['maxDriving']} hint="Empty: no limit">
            <input type="number" min={0} max={24} step={0.25} value={form.maxDrivingHours} disabled={ro} onChange={(e) => set({ maxDrivingHours: e.target.value })} data-testid="profile-max-driving" />
          </Field>
        </div>
      </section>

      <section className="card card-pad">
        <h2 className="tours-section-title">Costs and skills</h2>
        <div className="tours-form-grid">
          <Field label={`Vehicle cost per km (${form.currency})`} error={errors['costPerKm']}>
            <input inputMode="decimal" value={form.costPerKm} disabled={ro} onChange={(e) => set({ costPerKm: e.target.value })} data-testid="profile-cost-km" />
          </Field>
          <Field label={`Hotel night allowance (${form.currency})`} error={errors['hotelNight']}>
            <input inputMode="decimal" value={form.hotelNight} disabled={ro} onChange={(e) => set({ hotelNight: e.target.value })} data-testid="profile-hotel" />
          </Field>
          <Field label={`Meal allowance (${form.currency})`} error={errors['meal']}>
            <input inputMode="decimal" value={form.meal} disabled={ro} onChange={(e) => set({ meal: e.target.value })} data-testid="profile-meal" />
          </Field>
          <Field label="Currency" error={errors['currency']}>
            <input value={form.currency} maxLength={3} disabled={ro} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} />
          </Field>
          <div className="span-all">
            <div className="field">
              <span>Skills</span>
            </div>
            <div className="tours-skills" data-testid="profile-skills">
              {form.skills.map((s) => (
                <span key={s} className="tours-skill">
                  {s}
                  {editable ? (
                    <button type="button" aria-label={`Remove skill ${s}`} onClick={() => set({ skills: form.skills.filter((x) => x !== s) })}>
                      ✕
                    </button>
                  ) : null}
                </span>
              ))}
              {form.skills.length === 0 ? <span className="muted small">No skill</span> : null}
              {editable ? (
                <>
                  <input
                    className="input-small"
                    placeholder="Add a skill…"
                    value={skill}
                    maxLength={50}
                    onChange={(e) => setSkill(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key !== 'Enter') return;
                      e.preventDefault();
                      const s = skill.trim();
                      if (s && !form.skills.includes(s)) set({ skills: [...form.skills, s] });
                      setSkill('');
                    }}
                    data-testid="profile-skill-input"
                  />
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    disabled={!skill.trim()}
                    onClick={() => {
                      const s = skill.trim();
                      if (s && !form.skills.includes(s)) set({ skills: [...form.skills, s] });
                      setSkill('');
                    }}
                  >
                    Add
                  </button>
                </>
              ) : null}
            </div>
          </div>
        </div>
      </section>
      <ErrorBanner error={update.error} />
      {editable ? (
        <div style={{ display: 'flex', gap: 10, alignItems: 'center' }}>
          <button type="submit" className="btn btn-primary" disabled={update.isPending || Object.keys(errors).length > 0} data-testid="profile-save">
            {update.isPending ? 'Saving…' : 'Save profile'}
          </button>
          {saved ? (
            <span className="banner banner-success small" data-testid="profile-saved">
              Profile saved
            </span>
          ) : null}
        </div>
      ) : (
        <p className="muted small">Only a manager or an admin changes a rep profile.</p>
      )}
    </form>
  );
};

/** A rep's profile: managers and admins edit it, the rep (and the back-office) read it. */
export const RepProfilePage = () => {
  const { userId = '' } = useParams();
  const session = useCurrentSession();
  const navigate = useNavigate();
  const editable = session.user.role === 'manager' || session.user.role === 'admin';
  const plansOthers = !FIELD_ROLES.includes(session.user.role);
  const users = useUsers();
  const profile = useRepProfile(userId);
  usePageTitle(profile.data ? `Profile of ${profile.data.userName}` : 'Rep profile');
  const reps = (users.data?.items ?? []).filter((u) => u.active && FIELD_ROLES.includes(u.role)).sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div className="page" data-testid="rep-profile-page">
      <div className="breadcrumbs">
        <Link to={`/tours?rep=${encodeURIComponent(userId)}`}>Tours</Link> / Rep profile
      </div>
      <div className="page-header" style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12 }}>
        <h1 style={{ margin: 0 }}>{profile.data ? profile.data.userName : 'Rep profile'}</h1>
        {plansOthers && reps.length > 0 ? (
          <select className="input-small" value={userId} onChange={(e) => void navigate(`/tours/profiles/${e.target.value}`)} aria-label="Another rep" data-testid="profile-rep">
            {reps.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      <ErrorBanner error={profile.error} />
      {profile.isPending ? <Spinner /> : null}
      {profile.data ? <ProfileEditor key={profile.data.userId} profile={profile.data} editable={editable} /> : null}
    </div>
  );
};
