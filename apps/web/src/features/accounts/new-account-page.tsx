import { useNavigate } from 'react-router';
import { useCreateAccount } from './accounts-api.ts';
import { AccountForm } from './account-form.tsx';
import { createBody, EMPTY_FORM } from './account-form-state.ts';
import { usePageTitle } from '../../ui/use-page-title.ts';

export const NewAccountPage = () => {
  const create = useCreateAccount();
  usePageTitle('New account');
  const navigate = useNavigate();
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>New account</h1>
          <p className="muted">The address is geocoded by the server; you can move the pin afterwards.</p>
        </div>
      </div>
      <div className="card card-pad">
        <AccountForm
          initial={EMPTY_FORM}
          submitLabel="Create account"
          pending={create.isPending}
          error={create.error}
          onCancel={() => void navigate(-1)}
          onSubmit={(values) => create.mutate(createBody(values), { onSuccess: (account) => void navigate(`/accounts/${account.id}`, { replace: true }) })}
        />
      </div>
    </div>
  );
};
