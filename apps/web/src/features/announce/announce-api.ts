import { useMutation, useQuery } from '@tanstack/react-query';
import type { DirectionsDto, VisitList, PresenceBody, PresencePreviewDto, PresenceResultDto, SendAppointmentsBody, SendResultDto, TourDto } from '@geocrm/contracts';
import { api } from '../../api/client.ts';

/** `/api/v1/tours/:id/days/:date` — the base of every action on a saved tour's day. */
export const tourDayPath = (tourId: string, date: string): string => `/tours/${encodeURIComponent(tourId)}/days/${encodeURIComponent(date)}`;
/** Files are plain links (the session cookie goes with them); the server names the download. */
export const tourDayFileUrl = (tourId: string, date: string, file: 'sheet.pdf' | 'calendar.ics'): string => `/api/v1${tourDayPath(tourId, date)}/${file}`;

export const useTour = (tourId: string) => useQuery({ queryKey: ['tours', tourId], queryFn: ({ signal }) => api<TourDto>(`/tours/${encodeURIComponent(tourId)}`, { signal }) });

export const useDirections = (tourId: string, date: string, enabled: boolean) =>
  useQuery({ queryKey: ['tour-directions', tourId, date], queryFn: ({ signal }) => api<DirectionsDto>(`${tourDayPath(tourId, date)}/directions`, { signal }), enabled });

export const useAppointmentEmails = (tourId: string, date: string) =>
  useMutation({ mutationFn: (body: SendAppointmentsBody) => api<SendResultDto>(`${tourDayPath(tourId, date)}/appointment-emails`, { method: 'POST', body }) });

export const usePresencePreview = (tourId: string, date: string) =>
  useMutation({ mutationFn: (body: PresenceBody) => api<PresencePreviewDto>(`${tourDayPath(tourId, date)}/presence-notices/preview`, { method: 'POST', body }) });

export const usePresenceSend = (tourId: string, date: string) =>
  useMutation({ mutationFn: (body: PresenceBody) => api<PresenceResultDto>(`${tourDayPath(tourId, date)}/presence-notices`, { method: 'POST', body }) });

/** The tour's visits (for their account names: a saved tour's stops carry only visit ids). */
export const useTourVisits = (tour: TourDto | undefined) =>
  useQuery({
    queryKey: ['visits', 'tour', tour?.id],
    queryFn: ({ signal }) => api<VisitList>(`/visits?userId=${encodeURIComponent(tour?.userId ?? '')}&from=${tour?.from ?? ''}&to=${tour?.to ?? ''}`, { signal }),
    enabled: tour !== undefined,
  });
