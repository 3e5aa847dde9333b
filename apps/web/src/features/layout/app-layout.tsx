import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useCurrentSession } from '../auth/require-session.tsx';
import { useLogout } from '../auth/session.ts';
import { ROLE_LABELS } from '../accounts/account-labels.ts';
import { filterSearchString } from '../accounts/account-filters.ts';
import { BrandMark } from '../../ui/brand-mark.tsx';
import { canEditAnyAccount } from '@geocrm/domain';

const Icon = ({ d }: { d: string }) => (
  <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d={d} />
  </svg>
);

const ICONS = {
  accounts: 'M3 21h18M5 21V7l7-4 7 4v14M9 9h1m4 0h1M9 13h1m4 0h1M9 17h1m4 0h1',
  map: 'M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2zm0 0v14m6-12v14',
  geocoding: 'M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21zm-3-11 2 2 4-4',
  nearby: 'M12 12m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M12 12m-6 0a6 6 0 1 0 12 0a6 6 0 1 0-12 0M12 2v3m0 14v3M2 12h3m14 0h3',
  imports: 'M12 3v12m0 0-4-4m4 4 4-4M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2',
  territories: 'M3 5l6-2 6 2 6-2v16l-6 2-6-2-6 2zM9 3v16m6-14v16',
  appointments: 'M8 2v4m8-4v4M3 10h18M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm7 10h.01',
  tours: 'M6 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm12-10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 17h7a3 3 0 0 0 0-6H9a3 3 0 0 1 0-6h7',
  users: 'M16 19v-1a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v1M9 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm13 9v-1a4 4 0 0 0-3-3.9M16 3.1a3.5 3.5 0 0 1 0 6.8',
  logout: 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4m7 14 5-5-5-5m5 5H9',
  assignment: 'M9 11l3 3L22 4M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11',
};

const NavItem = ({ to, icon, label, testId }: { to: string; icon: string; label: ReactNode; testId: string }) => (
  <NavLink to={to} className={({ isActive }) => `nav-item${isActive ? ' active' : ''}`} data-testid={testId}>
    <Icon d={icon} />
    <span>{label}</span>
  </NavLink>
);

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');

export const AppLayout = () => {
  const session = useCurrentSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const contentRef = useRef<HTMLElement>(null);
  // The content pane scrolls, not the window: start each page at its top.
  useEffect(() => {
    contentRef.current?.scrollTo(0, 0);
  }, [location.pathname]);
  // The list and the map share their filters: carry them over when switching.
  const carried = location.pathname === '/accounts' || location.pathname === '/map' ? filterSearchString(new URLSearchParams(location.search)) : '';

  return (
    <div className="app-shell">
      <aside className="sidebar">
        <div className="sidebar-brand">
          <BrandMark size={18} />
          <span className="brand-name">GeoCRM</span>
        </div>
        <nav className="nav" aria-label="Main">
          <NavItem to={`/accounts${carried}`} icon={ICONS.accounts} label="Accounts" testId="nav-accounts" />
          <NavItem to={`/map${carried}`} icon={ICONS.map} label="Map" testId="nav-map" />
          <NavItem to={`/nearby${carried}`} icon={ICONS.nearby} label="Nearby" testId="nav-nearby" />
          <NavItem to="/tours" icon={ICONS.tours} label="Tours" testId="nav-tours" />
          {session.user.role === 'rep' || session.user.role === 'technician' ? null : <NavItem to="/appointments" icon={ICONS.appointments} label="Appointments" testId="nav-appointments" />}
          <NavItem to="/geocoding" icon={ICONS.geocoding} label="Geocoding" testId="nav-geocoding" />
          {session.user.role === 'manager' || session.user.role === 'admin' ? <NavItem to="/territories" icon={ICONS.territories} label="Territories" testId="nav-territories" /> : null}
          {session.user.role === 'rep' || session.user.role === 'technician' ? null : <NavItem to="/assignment" icon={ICONS.assignment} label="Assignment" testId="nav-assignment" />}
          {canEditAnyAccount(session.user.role) ? <NavItem to="/imports" icon={ICONS.imports} label="Import" testId="nav-imports" /> : null}
          {session.user.role === 'admin' ? <NavItem to="/users" icon={ICONS.users} label="Users" testId="nav-users" /> : null}
        </nav>
        <div className="sidebar-footer muted">{session.org.name}</div>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="topbar-spacer" />
          <div className="user-chip" data-testid="current-user">
            <span className="avatar" aria-hidden="true">
              {initials(session.user.name)}
            </span>
            <span className="user-text">
              <span className="user-name">{session.user.name}</span>
              <span className="user-role">{ROLE_LABELS[session.user.role]}</span>
            </span>
          </div>
          <button
            type="button"
            className="btn btn-ghost"
            data-testid="logout"
            disabled={logout.isPending}
            onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })}
          >
            <Icon d={ICONS.logout} />
            <span>Log out</span>
          </button>
        </header>
        <main className="content" ref={contentRef}>
          <Outlet />
        </main>
      </div>
    </div>
  );
};
