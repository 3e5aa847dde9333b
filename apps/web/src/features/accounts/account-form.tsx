import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES, WEEKDAYS, type AccountKind, type AccountStatus } from '@geocrm/domain';
import { fieldErrors, errorMessage } from '../../api/client.ts';
import { Field } from '../../ui/field.tsx';
import { useUsers } from '../users/users-api.ts';
import { KIND_LABELS, STATUS_LABELS, WEEKDAY_SHORT } from './account-labels.ts';
import type { AccountFormValues } from './account-form-state.ts';

interface AccountFormProps {
  readonly initial: AccountFormValues;
  readonly submitLabel: string;
  readonly pending: boolean;
  readonly error: unknown;
  readonly saved?: boolean;
  readonly onSubmit: (values: AccountFormValues) => void;
  readonly onCancel?: () => void;
}

export const AccountForm = ({ initial, submitLabel, pending, error, saved, onSubmit, onCancel }: AccountFormProps) => {
  const [values, setValues] = useState(initial);
  const users = useUsers();
  const shown = useRef(initial);
  // A refreshed account (e.g. after the pin moved) replaces the form only where nothing was typed yet.
  useEffect(() => {
    setValues((current) => (JSON.stringify(current) === JSON.stringify(shown.current) ? initial : current));
    shown.current = initial;
  }, [initial]);

  const errors = fieldErrors(error);
  const err = (...keys: string[]) => keys.map((k) => errors[k]).find(Boolean);
  const set = <K extends keyof AccountFormValues>(key: K, value: AccountFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const text = (key: keyof AccountFormValues, testId: string, type = 'text') => (
    <input type={type} value={values[key] as string} onChange={(e) => set(key, e.target.value)} data-testid={testId} />
  );
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);
  const toggleDay = (day: number) =>
    set('preferredVisitDays', values.preferredVisitDays.includes(day) ? values.preferredVisitDays.filter((d) => d !== day) : [...values.preferredVisitDays, day]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(values);
  };

  return (
    <form className="form" onSubmit={submit} data-testid="account-form" noValidate>
      <div className="form-grid">
        <Field label="Name" error={err('name')} className="span-2">
          <input value={values.name} required onChange={(e) => set('name', e.target.value)} data-testid="account-name" />
        </Field>
        <Field label="Kind" error={err('kind')}>
          <select value={values.kind} onChange={(e) => set('kind', e.target.value as AccountKind)} data-testid="account-kind">
            {ACCOUNT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status" error={err('status')}>
          <select value={values.status} onChange={(e) => set('status', e.target.value as AccountStatus)} data-testid="account-status">
            {ACCOUNT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Owner" error={err('ownerId')}>
          <select value={values.ownerId} onChange={(e) => set('ownerId', e.target.value)} data-testid="account-owner">
            <option value="">No owner</option>
            {(users.data?.items ?? [])
              .filter((u) => u.active || u.id === values.ownerId)
              .map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                </option>
              ))}
          </select>
        </Field>
        <Field label="Tags" error={err('tags')} hint="Separated by commas">
          {text('tags', 'account-tags')}
        </Field>
        <Field label="Phone" error={err('phone')}>
          {text('phone', 'account-phone', 'tel')}
        </Field>
        <Field label="Email" error={err('email')}>
          {text('email', 'account-email', 'email')}
        </Field>
        <Field label="Website" error={err('website')} className="span-2">
          {text('website', 'account-website', 'url')}
        </Field>
        <Field label="Address" error={err('address.line1', 'address')} className="span-2">
          {text('line1', 'account-line1')}
        </Field>
        <Field label="Address (line 2)" error={err('address.line2')} className="span-2">
          {text('line2', 'account-line2')}
        </Field>
        <Field label="Postcode" error={err('address.postcode')}>
          {text('postcode', 'account-postcode')}
        </Field>
        <Field label="City" error={err('address.city')}>
          {text('city', 'account-city')}
        </Field>
        <Field label="Country" error={err('address.country')} hint="Two letters, e.g. FR">
          <input value={values.country} maxLength={2} onChange={(e) => set('country', e.target.value.toUpperCase())} data-testid="account-country" />
        </Field>
        <div className="field">
          <span>Preferred visit days</span>
          <div className="day-toggles" data-testid="account-visit-days">
            {WEEKDAYS.map((day) => (
              <button
                key={day}
                type="button"
                className={`day-toggle${values.preferredVisitDays.includes(day) ? ' on' : ''}`}
                aria-pressed={values.preferredVisitDays.includes(day)}
                onClick={() => toggleDay(day)}
              >
                {WEEKDAY_SHORT[day - 1]}
              </button>
            ))}
          </div>
          {err('preferredVisitDays') ? <small className="field-error">{err('preferredVisitDays')}</small> : null}
        </div>
        <Field label="Notes" error={err('notes')} className="span-2">
          <textarea rows={4} value={values.notes} onChange={(e) => set('notes', e.target.value)} data-testid="account-notes" />
        </Field>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert" data-testid="account-form-error">
          {errorMessage(error)}
        </div>
      ) : null}
      <div className="form-actions">
        {saved && !dirty && !error ? (
          <span className="saved-note" data-testid="account-saved">
            Saved
          </span>
        ) : null}
        {onCancel ? (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {onCancel === undefined && dirty ? (
          <button type="button" className="btn btn-ghost" onClick={() => setValues(initial)}>
            Discard changes
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={pending || (!dirty && onCancel === undefined)} data-testid="account-save">
          {pending ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
};
