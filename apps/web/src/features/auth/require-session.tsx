import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '@geocrm/domain';
import type { SessionDto } from '../../api/types.ts';
import { useSession } from './session.ts';
import { Spinner } from '../../ui/spinner.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';

export const RequireSession = ({ children }: { children: ReactNode }) => {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Spinner label="Loading GeoCRM…" />;
  if (session.isError) {
    return (
      <div className="center-page">
        <ErrorBanner error={session.error} />
      </div>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
};

/** The signed-in session; only valid under RequireSession (which renders nothing until it is known). */
export const useCurrentSession = (): SessionDto => {
  const session = useSession().data;
  if (!session) throw new Error('useCurrentSession used outside RequireSession');
  return session;
};

export const RequireRole = ({ role, children }: { role: Role; children: ReactNode }) => {
  const session = useCurrentSession();
  if (session.user.role !== role) {
    return (
      <div className="page">
        <div className="banner banner-error">You do not have access to this page.</div>
      </div>
    );
  }
  return <>{children}</>;
};
