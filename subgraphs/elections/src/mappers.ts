import type { Connection } from '@gongzhi/kit';
import type { CandidacyRow, ElectionRow, MatterRow, MatterStageRow, MeetingRow, MotionRow, VoterRegistrationRow } from './db/schema.ts';

/** What each GraphQL type resolves from: the drizzle row of this slice, or a bare key for other slices' entities. */
export type ElectionParent = ElectionRow;
export type ElectionConnectionParent = Connection<ElectionRow>;
export type VoterRegistrationParent = VoterRegistrationRow;
export type VoterRegistrationConnectionParent = Connection<VoterRegistrationRow>;
export type CandidacyParent = CandidacyRow;
export type MatterParent = MatterRow;
export type MatterConnectionParent = Connection<MatterRow>;
export type MatterStageRecordParent = MatterStageRow;
export type MeetingParent = MeetingRow;
export type MotionParent = MotionRow;

/** An entity another slice owns: this slice knows its key only, and adds fields to it. */
export interface EntityKey {
  id: string;
}
export type ResidentsCommitteeParent = EntityKey;
export type CommunityParent = EntityKey;
export type SubdistrictParent = EntityKey;
export type DistrictParent = EntityKey;
export type PersonParent = EntityKey;
export type OrganisationParent = EntityKey;
