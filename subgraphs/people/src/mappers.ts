import type { Connection } from '@gongzhi/kit';
import type { DeputyRow, EvaluationRow, MembershipRow, PersonRow, TrainingRow, VolunteerRow, WorkerRow } from './db/schema.ts';

/** What each GraphQL type resolves from: the drizzle row, or the key of an entity another slice owns. */
export type PersonParent = PersonRow;
export type PersonConnectionParent = Connection<PersonRow>;
/**
 * Rows reached from a person (`Person.memberships`, `.worker`, `.volunteer`, `.deputyRoles`) carry that
 * person along, so their `person` field needs no lookup.
 */
export interface WithPerson {
  person?: PersonRow;
}
export type MembershipParent = MembershipRow & WithPerson;
export type CommunityWorkerParent = WorkerRow & WithPerson;
export type CommunityWorkerConnectionParent = Connection<WorkerRow>;
export type TrainingParent = TrainingRow;
export type WorkerEvaluationParent = EvaluationRow;
export type VolunteerParent = VolunteerRow & WithPerson;
export type VolunteerConnectionParent = Connection<VolunteerRow>;
export type DeputyParent = DeputyRow & WithPerson;

/** An official count; `total` and `nonLocalShare` are derived from the two stored parts. */
export interface PopulationCountParent {
  year: number;
  localHukou: number;
  nonLocalHukou: number;
}

/** A person and their current memberships in more than one of a community's leading bodies. */
export interface CrossAppointmentParent {
  personId: string;
  memberships: MembershipRow[];
}

/** Entities the organisations slice owns: only their key travels here. */
export interface DistrictParent {
  id: string;
}
export interface SubdistrictParent {
  id: string;
}
export interface OrganisationParent {
  id: string;
}
export interface PostParent {
  id: string;
}

/**
 * A community reference. In `_entities` calls for `crossAppointments` the gateway adds the fields that
 * field `@requires` (the ids of the community's party committee, workstation and committees).
 */
export interface CommunityParent {
  id: string;
  partyCommittee?: { id: string } | null;
  workstation?: { id: string } | null;
  residentsCommittees?: readonly { organisation?: { id: string } | null }[] | null;
}
