import { useState, type FormEvent } from 'react';
import type { ContactDto, CreateContactBody } from '../../api/types.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { Field } from '../../ui/field.tsx';
import { useContactMutations } from './accounts-api.ts';

interface ContactValues {
  firstName: string;
  lastName: string;
  title: string;
  email: string;
  phone: string;
  isPrimary: boolean;
  notes: string;
}

const EMPTY: ContactValues = { firstName: '', lastName: '', title: '', email: '', phone: '', isPrimary: false, notes: '' };
const fromContact = (c: ContactDto): ContactValues => ({
  firstName: c.firstName,
  lastName: c.lastName,
  title: c.title,
  email: c.email ?? '',
  phone: c.phone ?? '',
  isPrimary: c.isPrimary,
  notes: c.notes,
});
const toBody = (v: ContactValues): CreateContactBody => ({
  firstName: v.firstName.trim(),
  lastName: v.lastName.trim(),
  title: v.title.trim(),
  email: v.email.trim() || null,
  phone: v.phone.trim() || null,
  isPrimary: v.isPrimary,
  notes: v.notes,
});

const ContactForm = ({ initial, pending, error, onSubmit, onCancel }: { initial: ContactValues; pending: boolean; error: unknown; onSubmit: (v: ContactValues) => void; onCancel: () => void }) => {
  const [values, setValues] = useState(initial);
  const errors = fieldErrors(error);
  const set = <K extends keyof ContactValues>(key: K, value: ContactValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(values);
  };
  return (
    <form className="form contact-form" onSubmit={submit} data-testid="contact-form" noValidate>
      <div className="form-grid">
        <Field label="First name" error={errors['firstName']}>
          <input value={values.firstName} onChange={(e) => set('firstName', e.target.value)} data-testid="contact-first-name" />
        </Field>
        <Field label="Last name" error={errors['lastName']}>
          <input value={values.lastName} required onChange={(e) => set('lastName', e.target.value)} data-testid="contact-last-name" />
        </Field>
        <Field label="Title" error={errors['title']}>
          <input value={values.title} onChange={(e) => set('title', e.target.value)} />
        </Field>
        <Field label="Phone" error={errors['phone']}>
          <input type="tel" value={values.phone} onChange={(e) => set('phone', e.target.value)} data-testid="contact-phone" />
        </Field>
        <Field label="Email" error={errors['email']} className="span-2">
          <input type="email" value={values.email} onChange={(e) => set('email', e.target.value)} data-testid="contact-email" />
        </Field>
        <Field label="Notes" error={errors['notes']} className="span-2">
          <textarea rows={2} value={values.notes} onChange={(e) => set('notes', e.target.value)} />
        </Field>
        <label className="checkbox span-2">
          <input type="checkbox" checked={values.isPrimary} onChange={(e) => set('isPrimary', e.target.checked)} /> Primary contact
        </label>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert">
          {errorMessage(error)}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="contact-save">
          {pending ? 'Saving…' : 'Save contact'}
        </button>
      </div>
    </form>
  );
};

export const ContactsPanel = ({ accountId, contacts }: { accountId: string; contacts: readonly ContactDto[] }) => {
  const { create, update, remove } = useContactMutations(accountId);
  const [editing, setEditing] = useState<string | null>(null);
  const sorted = [...contacts].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.lastName.localeCompare(b.lastName));

  return (
    <section className="card card-pad" data-testid="contacts-panel">
      <div className="section-header">
        <h2>Contacts</h2>
        {editing === null ? (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => {
              create.reset();
              setEditing('new');
            }}
            data-testid="contact-add"
          >
            Add contact
          </button>
        ) : null}
      </div>
      {editing === 'new' ? (
        <ContactForm initial={EMPTY} pending={create.isPending} error={create.error} onCancel={() => setEditing(null)} onSubmit={(v) => create.mutate(toBody(v), { onSuccess: () => setEditing(null) })} />
      ) : null}
      {sorted.length === 0 && editing !== 'new' ? <p className="muted small">No contacts yet.</p> : null}
      <ul className="contact-list">
        {sorted.map((contact) =>
          editing === contact.id ? (
            <li key={contact.id}>
              <ContactForm
                initial={fromContact(contact)}
                pending={update.isPending}
                error={update.error}
                onCancel={() => setEditing(null)}
                onSubmit={(v) => update.mutate({ contactId: contact.id, body: toBody(v) }, { onSuccess: () => setEditing(null) })}
              />
            </li>
          ) : (
            <li key={contact.id} className="contact" data-testid="contact-item">
              <div className="contact-main">
                <div className="contact-name">
                  {[contact.firstName, contact.lastName].filter(Boolean).join(' ')}
                  {contact.isPrimary ? <span className="pill">Primary</span> : null}
                </div>
                {contact.title ? <div className="muted small">{contact.title}</div> : null}
                <div className="contact-links small">
                  {contact.phone ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : null}
                  {contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : null}
                </div>
              </div>
              <div className="contact-actions">
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => {
                    update.reset();
                    setEditing(contact.id);
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-small danger"
                  disabled={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete ${contact.firstName} ${contact.lastName}?`)) remove.mutate(contact.id);
                  }}
                >
                  Delete
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
      {remove.isError ? (
        <div className="banner banner-error" role="alert">
          {errorMessage(remove.error)}
        </div>
      ) : null}
    </section>
  );
};
