import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@geocrm/domain';
import type { UserDto } from '../../api/types.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { Field } from '../../ui/field.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Spinner } from '../../ui/spinner.tsx';
import { ROLE_LABELS } from '../accounts/account-labels.ts';
import { useCurrentSession } from '../auth/require-session.tsx';
import { useCreateUser, useUpdateUser, useUsers } from './users-api.ts';
import { usePageTitle } from '../../ui/use-page-title.ts';

const NewUserForm = ({ onDone }: { onDone: () => void }) => {
  const create = useCreateUser();
  const [values, setValues] = useState({ name: '', email: '', role: 'rep' as Role, password: '' });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ ...values, name: values.name.trim(), email: values.email.trim() }, { onSuccess: onDone });
  };
  return (
    <form className="form card card-pad" onSubmit={submit} data-testid="user-form" noValidate>
      <h2>New user</h2>
      <div className="form-grid">
        <Field label="Name" error={errors['name']}>
          <input value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} data-testid="user-name" />
        </Field>
        <Field label="Email" error={errors['email']}>
          <input type="email" value={values.email} onChange={(e) => setValues({ ...values, email: e.target.value })} data-testid="user-email" />
        </Field>
        <Field label="Role" error={errors['role']}>
          <select value={values.role} onChange={(e) => setValues({ ...values, role: e.target.value as Role })} data-testid="user-role">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Initial password" error={errors['password']} hint="At least 10 characters">
          <input type="password" autoComplete="new-password" value={values.password} onChange={(e) => setValues({ ...values, password: e.target.value })} data-testid="user-password" />
        </Field>
      </div>
      {create.isError ? (
        <div className="banner banner-error" role="alert">
          {errorMessage(create.error)}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="user-save">
          {create.isPending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
};

const UserRow = ({ user, isSelf, managers }: { user: UserDto; isSelf: boolean; managers: readonly UserDto[] }) => {
  const update = useUpdateUser();
  return (
    <tr data-testid="user-row" className={user.active ? '' : 'row-inactive'}>
      <td className="cell-strong">
        {user.name}
        {isSelf ? <span className="pill">You</span> : null}
      </td>
      <td>{user.email}</td>
      <td>
        <select value={user.role} disabled={isSelf || update.isPending} onChange={(e) => update.mutate({ id: user.id, body: { role: e.target.value as Role } })} aria-label={`Role of ${user.name}`}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </select>
      </td>
      <td>
        {/* The team relation: once territories are published, a manager sees their team's accounts. */}
        <select
          value={user.managerId ?? ''}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ id: user.id, body: { managerId: e.target.value === '' ? null : e.target.value } })}
          aria-label={`Manager of ${user.name}`}
          data-testid="user-manager"
        >
          <option value="">No manager</option>
          {managers
            .filter((m) => m.id !== user.id)
            .map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
        </select>
      </td>
      <td>{user.active ? <span className="status-badge status-active">Active</span> : <span className="status-badge status-archived">Deactivated</span>}</td>
      <td className="cell-actions">
        {!isSelf ? (
          <button type="button" className={`btn btn-small ${user.active ? 'btn-ghost danger' : 'btn-secondary'}`} disabled={update.isPending} onClick={() => update.mutate({ id: user.id, body: { active: !user.active } })}>
            {user.active ? 'Deactivate' : 'Reactivate'}
          </button>
        ) : null}
        {update.isError ? <div className="field-error small">{errorMessage(update.error)}</div> : null}
      </td>
    </tr>
  );
};

export const UsersPage = () => {
  const session = useCurrentSession();
  const users = useUsers();
  usePageTitle('Users');
  const [creating, setCreating] = useState(false);
  const items = [...(users.data?.items ?? [])].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
  const managers = items.filter((u) => u.active && (u.role === 'manager' || u.role === 'admin'));

  return (
    <div className="page page-wide" data-testid="users-page">
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted">{users.data ? `${users.data.items.filter((u) => u.active).length} active users` : '\u00a0'}</p>
        </div>
        <div className="page-actions">
          {!creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="user-add">
              New user
            </button>
          ) : null}
        </div>
      </div>
      {creating ? <NewUserForm onDone={() => setCreating(false)} /> : null}
      <ErrorBanner error={users.error} />
      <div className="card table-card">
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Manager</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((user) => (
              <UserRow key={user.id} user={user} isSelf={user.id === session.user.id} managers={managers} />
            ))}
          </tbody>
        </table>
        {users.isPending ? <Spinner /> : null}
      </div>
    </div>
  );
};
