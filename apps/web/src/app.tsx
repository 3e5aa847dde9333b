import { lazy, Suspense, useEffect, useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError, onUnauthorized } from './api/client.ts';
import { SESSION_KEY } from './features/auth/session.ts';
import { LoginPage } from './features/auth/login-page.tsx';
import { RequireSession, RequireRole } from './features/auth/require-session.tsx';
import { AppLayout } from './features/layout/app-layout.tsx';
import { AccountsListPage } from './features/accounts/accounts-list-page.tsx';
import { AccountPage } from './features/accounts/account-page.tsx';
import { NewAccountPage } from './features/accounts/new-account-page.tsx';
import { UsersPage } from './features/users/users-page.tsx';
import { GeocodingPage } from './features/geocoding/geocoding-page.tsx';
import { ImportPage } from './features/imports/import-page.tsx';
import { NotFoundPage } from './features/layout/not-found-page.tsx';
import { Spinner } from './ui/spinner.tsx';

// The map page pulls in MapLibre (~1 MB): load it only when the user opens the map.
const MapPage = lazy(() => import('./features/map/map-page.tsx').then((m) => ({ default: m.MapPage })));
const AroundPage = lazy(() => import('./features/around/around-page.tsx').then((m) => ({ default: m.AroundPage })));
const TerritoriesPage = lazy(() => import('./features/territories/territories-page.tsx').then((m) => ({ default: m.TerritoriesPage })));
const AppointmentsPage = lazy(() => import('./features/appointments/appointments-page.tsx').then((m) => ({ default: m.AppointmentsPage })));
const ToursPage = lazy(() => import('./features/tours/tours-page.tsx').then((m) => ({ default: m.ToursPage })));
const RepProfilePage = lazy(() => import('./features/tours/rep-profile-page.tsx').then((m) => ({ default: m.RepProfilePage })));
const VisitTypesPage = lazy(() => import('./features/tours/visit-types-page.tsx').then((m) => ({ default: m.VisitTypesPage })));
const AnnouncePage = lazy(() => import('./features/announce/announce-page.tsx').then((m) => ({ default: m.AnnouncePage })));
const TeamPlanningPage = lazy(() => import('./features/team-planning/team-planning-page.tsx').then((m) => ({ default: m.TeamPlanningPage })));
const AssignmentPage = lazy(() => import('./features/assignment/assignment-page.tsx').then((m) => ({ default: m.AssignmentPage })));

const createQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/accounts" replace /> },
      { path: 'accounts', element: <AccountsListPage /> },
      { path: 'accounts/new', element: <NewAccountPage /> },
      { path: 'accounts/:id', element: <AccountPage /> },
      {
        path: 'map',
        element: (
          <Suspense fallback={<Spinner label="Loading the map…" />}>
            <MapPage />
          </Suspense>
        ),
      },
      {
        path: 'nearby',
        element: (
          <Suspense fallback={<Spinner label="Loading the map…" />}>
            <AroundPage />
          </Suspense>
        ),
      },
      {
        path: 'territories',
        element: (
          <Suspense fallback={<Spinner label="Loading the map…" />}>
            <TerritoriesPage />
          </Suspense>
        ),
      },
      {
        path: 'assignment',
        element: (
          <Suspense fallback={<Spinner label="Loading the map…" />}>
            <AssignmentPage />
          </Suspense>
        ),
      },
      {
        path: 'tours',
        element: (
          <Suspense fallback={<Spinner label="Loading the map…" />}>
            <ToursPage />
          </Suspense>
        ),
      },
      {
        path: 'tours/profiles/:userId',
        element: (
          <Suspense fallback={<Spinner />}>
            <RepProfilePage />
          </Suspense>
        ),
      },
      {
        path: 'tours/team',
        element: (
          <Suspense fallback={<Spinner label="Loading the map…" />}>
            <TeamPlanningPage />
          </Suspense>
        ),
      },
      {
        path: 'tours/:id/announce',
        element: (
          <Suspense fallback={<Spinner />}>
            <AnnouncePage />
          </Suspense>
        ),
      },
      {
        path: 'tours/visit-types',
        element: (
          <Suspense fallback={<Spinner />}>
            <VisitTypesPage />
          </Suspense>
        ),
      },
      {
        path: 'appointments',
        element: (
          <Suspense fallback={<Spinner />}>
            <AppointmentsPage />
          </Suspense>
        ),
      },
      { path: 'geocoding', element: <GeocodingPage /> },
      { path: 'imports', element: <ImportPage /> },
      {
        path: 'users',
        element: (
          <RequireRole role="admin">
            <UsersPage />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export const App = () => {
  const [queryClient] = useState(createQueryClient);

  useEffect(
    () =>
      onUnauthorized(() => {
        // Any 401: the session is gone; RequireSession then sends the user to /login.
        queryClient.setQueryData(SESSION_KEY, null);
      }),
    [queryClient],
  );

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
};
