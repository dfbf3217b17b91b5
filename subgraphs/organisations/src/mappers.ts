import type { Connection } from '@gongzhi/kit';
import type {
  BuildingRow,
  CommunityRow,
  ConventionRow,
  DistrictRow,
  GridAreaRow,
  OrganisationRow,
  PlacementRow,
  PostRow,
  ResidentsCommitteeRow,
  SubdistrictRow,
} from './db/schema.ts';

/** What each GraphQL type resolves from: the drizzle row, plus context a parent passes down. */
export type DistrictParent = DistrictRow & { asOf?: string };
/** `asOf` is the date the enclosing query asked about; nested date-dependent fields default to it. */
export type SubdistrictParent = SubdistrictRow & { asOf?: string };
export type CommunityParent = CommunityRow;
export type CommunityPlacementParent = PlacementRow;
export type CommunityConnectionParent = Connection<CommunityRow>;
export type ResidentsCommitteeParent = ResidentsCommitteeRow;
export type ResidentsConventionParent = ConventionRow;
export type OrganisationParent = OrganisationRow;
export type OrganisationConnectionParent = Connection<OrganisationRow>;
export type PostParent = PostRow;
export type GridAreaParent = GridAreaRow;
export type BuildingParent = BuildingRow;
