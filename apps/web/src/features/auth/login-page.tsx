import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useSession } from './session.ts';
import { errorMessage } from '../../api/client.ts';
import { BrandMark } from '../../ui/brand-mark.tsx';
import { usePageTitle } from '../../ui/use-page-title.ts';

const safeNext = (value: string | null): string => (value?.startsWith('/') && !value.startsWith('//') ? value : '/accounts');

export const LoginPage = () => {
  const [search] = useSearchParams();
  usePageTitle('Sign in');
  const navigate = useNavigate();
  const session = useSession();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(search.get('next'));

  if (session.data && !login.isPending) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };

  return (
    <div className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <BrandMark size={22} />
          <div>
            <h1>GeoCRM</h1>
            <p className="muted">More visits, fewer kilometres.</p>
          </div>
        </div>
        <form onSubmit={submit} className="form" data-testid="login-form">
          <label className="field">
            <span>Email</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="login-email"
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="login-password"
            />
          </label>
          {login.isError ? (
            <div className="banner banner-error" role="alert" data-testid="login-error">
              {errorMessage(login.error)}
            </div>
          ) : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending} data-testid="login-submit">
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </div>
  );
};
