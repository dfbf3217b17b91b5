import type { Connection } from '@gongzhi/kit';
import type {
  DutyItemRow,
  EvaluationRow,
  EventRow,
  MicroProjectRow,
  MicroProjectStepRow,
  ServiceRequestRow,
  ServiceRequestStepRow,
  ServiceRow,
} from './db/schema.ts';

/** What each GraphQL type resolves from: the drizzle row of this slice, or a bare key for other slices' entities. */
export type MicroProjectParent = MicroProjectRow;
export type MicroProjectStepParent = MicroProjectStepRow;
export type MicroProjectConnectionParent = Connection<MicroProjectRow>;
export type EvaluationParent = EvaluationRow;
export type ServiceRequestParent = ServiceRequestRow;
export type ServiceRequestStepParent = ServiceRequestStepRow;
export type ServiceRequestConnectionParent = Connection<ServiceRequestRow>;
export type ServiceParent = ServiceRow;
export type EventParent = EventRow;
export type EventConnectionParent = Connection<EventRow>;
export type DutyItemParent = DutyItemRow;

/** An entity another slice owns: this slice knows its key only, and adds fields to it. */
export interface EntityKey {
  id: string;
}
export type CommunityParent = EntityKey;
export type SubdistrictParent = EntityKey;
export type DistrictParent = EntityKey;
export type OrganisationParent = EntityKey;
