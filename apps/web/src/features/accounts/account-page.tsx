import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { AccountDetailDto } from '../../api/types.ts';
import { useAccount, useDeleteAccount, useUpdateAccount } from './accounts-api.ts';
import { AccountForm } from './account-form.tsx';
import { formFromAccount, updateBody } from './account-form-state.ts';
import { ContactsPanel } from './contacts-panel.tsx';
import { LocationCard } from './location-card.tsx';
import { OpeningHoursEditor } from './opening-hours-editor.tsx';
import { FIELD_ROLES } from '@geocrm/domain';
import { useCurrentSession } from '../auth/require-session.tsx';
import { KindBadge, StatusBadge } from '../../ui/badges.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';


const CustomFields = ({ fields }: { fields: AccountDetailDto['customFields'] }) => {
  const entries = Object.entries(fields);
  if (entries.length === 0) return <p className="muted small">No custom fields.</p>;
  return (
    <dl className="meta-list" data-testid="custom-fields">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
};

const AccountDetail = ({ account }: { account: AccountDetailDto }) => {
  const session = useCurrentSession();
  usePageTitle(account.name);
  const update = useUpdateAccount(account.id);
  const hours = useUpdateAccount(account.id);
  const remove = useDeleteAccount(account.id);
  const navigate = useNavigate();
  const initial = useMemo(() => formFromAccount(account), [account]);
  // After one of our own saves the forms restart from what the server stored.
  const [formVersion, setFormVersion] = useState(0);
  // The version of the form that was just saved: its note shows until the next edit or save.
  const [savedVersion, setSavedVersion] = useState(-1);
  const [hoursVersion, setHoursVersion] = useState(0);
  const canDelete = session.user.role === 'manager' || session.user.role === 'admin';
  // Field roles edit only the accounts they own (the server enforces it; the page says so up front).
  const canEdit = !FIELD_ROLES.includes(session.user.role) || account.ownerId === session.user.id;
  // Timestamps are shown in the organisation's time zone.
  const dateTime = useMemo(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: session.org.timeZone }), [session.org.timeZone]);

  return (
    <div className="page page-wide" data-testid="account-page" data-account-id={account.id}>
      <div className="breadcrumbs">
        <Link to="/accounts">Accounts</Link> <span aria-hidden="true">/</span> <span>{account.name}</span>
      </div>
      <div className="page-header">
        <div>
          <h1 data-testid="account-title">{account.name}</h1>
          <div className="header-badges">
            <KindBadge kind={account.kind} />
            <StatusBadge status={account.status} />
            {account.address.city ? <span className="muted">{account.address.city}</span> : null}
            <span className="muted small">Updated {dateTime.format(new Date(account.updatedAt))}</span>
          </div>
        </div>
        <div className="page-actions">
          {account.location ? (
            <Link to={`/map?q=${encodeURIComponent(account.name)}`} className="btn btn-secondary">
              Show on map
            </Link>
          ) : null}
          {account.location ? (
            <Link to={`/nearby?accountId=${account.id}&radiusKm=10`} className="btn btn-secondary" data-testid="account-nearby">
              Nearby
            </Link>
          ) : null}
          {canDelete ? (
            <button
              type="button"
              className="btn btn-danger"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete ${account.name}? This cannot be undone.`)) {
                  remove.mutate(undefined, { onSuccess: () => void navigate('/accounts', { replace: true }) });
                }
              }}
              data-testid="account-delete"
            >
              Delete
            </button>
          ) : null}
        </div>
      </div>
      <ErrorBanner error={remove.error} />
      {!canEdit ? (
        <div className="banner banner-info" data-testid="account-read-only">
          You can view this account; only its owner or a manager can change it.
        </div>
      ) : null}
      <div className="detail-grid">
        <fieldset className="detail-main fieldset-reset" disabled={!canEdit}>
          <section className="card card-pad">
            <div className="section-header">
              <h2>Details</h2>
            </div>
            <AccountForm
              key={formVersion}
              initial={initial}
              submitLabel="Save changes"
              pending={update.isPending}
              error={update.error}
              saved={savedVersion === formVersion}
              onSubmit={(values) => {
                const body = updateBody(initial, values);
                if (Object.keys(body).length > 0) {
                  update.mutate(body, {
                    onSuccess: () => {
                      setSavedVersion(formVersion + 1);
                      setFormVersion(formVersion + 1);
                    },
                  });
                }
              }}
            />
          </section>
          <section className="card card-pad">
            <div className="section-header">
              <h2>Opening hours</h2>
            </div>
            <OpeningHoursEditor
              key={hoursVersion}
              value={account.openingHours}
              pending={hours.isPending}
              error={hours.error}
              onSave={(openingHours) => hours.mutate({ openingHours }, { onSuccess: () => setHoursVersion((v) => v + 1) })}
            />
          </section>
        </fieldset>
        <div className="detail-side">
          <LocationCard account={account} readOnly={!canEdit} />
          <fieldset className="fieldset-reset" disabled={!canEdit}>
            <ContactsPanel accountId={account.id} contacts={account.contacts} />
          </fieldset>
          <section className="card card-pad">
            <div className="section-header">
              <h2>Custom fields</h2>
            </div>
            <CustomFields fields={account.customFields} />
          </section>
        </div>
      </div>
    </div>
  );
};

export const AccountPage = () => {
  const { id = '' } = useParams();
  const account = useAccount(id);
  if (account.isPending) return <Spinner label="Loading account…" />;
  if (account.isError) {
    return (
      <div className="page">
        <ErrorBanner error={account.error} />
        <Link to="/accounts">Back to accounts</Link>
      </div>
    );
  }
  return <AccountDetail account={account.data} />;
};
