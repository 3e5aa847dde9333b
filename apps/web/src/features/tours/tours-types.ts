/** The tours API's types, from @geocrm/contracts (the app's other types come through api/types.ts). */
import type { TimelineDay, TourPlan } from '@geocrm/contracts';

export type {
  ChangeTourBody,
  CreateVisitTypeBody,
  PlanTourBody,
  RepProfileDto,
  TimelineDay,
  TourDaysBody,
  TourDto,
  TourList,
  TourPlan,
  TourTotals,
  UpdateRepProfileBody,
  UpdateVisitTypeBody,
  VisitDto,
  VisitList,
  VisitTypeDto,
  VisitTypeList,
} from '@geocrm/contracts';

export type TimelineStopDto = TimelineDay['stops'][number];
export type UnplacedVisitDto = TourPlan['unplaced'][number];
export type TourFlagDto = TimelineStopDto['flags'][number];
