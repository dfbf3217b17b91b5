import { anyOf, groupedLoader, inForceOn, keyedLoader, once, perArgs } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import {
  communities,
  communityPlacements,
  organisations,
  residentsCommittees,
  residentsConventions,
  subdistricts,
  districts,
  type OrganisationRow,
} from '../db/schema.ts';

/** Governance figures of an area on one date (GovernanceCoverage without its date and sub-district count). */
export interface CoverageFigures {
  communities: number;
  communitiesWithWorkstation: number;
  communitiesWithWebsite: number;
  residentsCommittees: number;
  committeesWithRevisedConvention: number;
  committeesWithDisclosureBoard: number;
  committeesWithResidentsCouncil: number;
  committeesWithSupervisionCommittee: number;
}

/** The loaders of the district, its sub-districts and communities, their committees and governance figures. */
export function structureLoaders({ db }: Database<typeof schema>) {
  /**
   * The aggregate columns of the governance figures on `asOf`, over rows of communities in force. Each
   * community's committees are counted in a lateral subquery, so a community with two committees is still
   * one community. An organisation founded after `asOf` did not exist yet; one with no founding date counts.
   */
  const coverageOn = (asOf: string) => {
    // Conditions are separate fragments: drizzle writes the columns of a one-table select's own fields
    // without their table, which would turn `= residents_committees.id` into the inner table's `id`.
    const founded = (kind: OrganisationRow['kind'], belongs: SQL) =>
      sql`exists (select 1 from ${organisations} where ${belongs} and ${organisations.kind} = ${kind}
        and (${organisations.foundedOn} is null or ${organisations.foundedOn} <= ${asOf}))`;
    const revised = sql`exists (select 1 from ${residentsConventions}
      where ${residentsConventions.residentsCommitteeId} = ${residentsCommittees.id}
        and ${residentsConventions.version} >= 2 and ${residentsConventions.adoptedOn} <= ${asOf})`;
    const ownsBody = (kind: OrganisationRow['kind']) => founded(kind, eq(organisations.residentsCommitteeId, residentsCommittees.id));
    const committees = db
      .select({
        total: sql<number>`count(*)`.as('total'),
        revised: sql<number>`count(*) filter (where ${revised})`.as('revised'),
        boards: sql<number>`count(${residentsCommittees.disclosureBoard})`.as('boards'),
        councils: sql<number>`count(*) filter (where ${ownsBody('RESIDENTS_COUNCIL')})`.as('councils'),
        supervision: sql<number>`count(*) filter (where ${ownsBody('SUPERVISION_COMMITTEE')})`.as('supervision'),
      })
      .from(residentsCommittees)
      .where(and(eq(residentsCommittees.communityId, communities.id), inForceOn(residentsCommittees, asOf)))
      .as('committees');
    const sum = (column: SQL.Aliased<number>) => sql<number>`coalesce(sum(${column}), 0)::int`;
    const figures = {
      communities: sql<number>`count(*)::int`,
      communitiesWithWorkstation: sql<number>`(count(*) filter (where ${founded('WORKSTATION', eq(organisations.communityId, communities.id))}))::int`,
      communitiesWithWebsite: sql<number>`count(${communities.website})::int`,
      residentsCommittees: sum(committees.total),
      committeesWithRevisedConvention: sum(committees.revised),
      committeesWithDisclosureBoard: sum(committees.boards),
      committeesWithResidentsCouncil: sum(committees.councils),
      committeesWithSupervisionCommittee: sum(committees.supervision),
    };
    return { committees, figures };
  };

  /** The whole district on `asOf`: one row, also counting the sub-districts in force. */
  const districtCoverage = async (asOf: string): Promise<CoverageFigures & { subdistricts: number }> => {
    const { committees, figures } = coverageOn(asOf);
    const [row] = await db
      .select({
        subdistricts: sql<number>`(select count(*)::int from ${subdistricts} where ${inForceOn(subdistricts, asOf)})`,
        figures,
      })
      .from(communities)
      .crossJoinLateral(committees)
      .where(inForceOn(communities, asOf));
    return { subdistricts: row!.subdistricts, ...row!.figures };
  };

  /** Per sub-district asked for, over the communities placed in it on `asOf`; one with none has no row. */
  const subdistrictCoverage = (ids: readonly string[], asOf: string) => {
    const { committees, figures } = coverageOn(asOf);
    return db
      .select({ subdistrictId: communityPlacements.subdistrictId, figures })
      .from(communities)
      .innerJoin(communityPlacements, and(eq(communityPlacements.communityId, communities.id), inForceOn(communityPlacements, asOf)))
      .crossJoinLateral(committees)
      .where(and(inForceOn(communities, asOf), anyOf(communityPlacements.subdistrictId, ids)))
      .groupBy(communityPlacements.subdistrictId);
  };

  return {
    districtById: keyedLoader(
      (ids) => db.select().from(districts).where(anyOf(districts.id, ids)),
      (row) => row.id,
    ),
    subdistrictById: keyedLoader(
      (ids) => db.select().from(subdistricts).where(anyOf(subdistricts.id, ids)),
      (row) => row.id,
    ),
    subdistrictsSplitFrom: groupedLoader(
      (ids) => db.select().from(subdistricts).where(anyOf(subdistricts.splitFromId, ids)).orderBy(subdistricts.code),
      (row) => row.splitFromId!,
    ),
    communityById: keyedLoader(
      (ids) => db.select().from(communities).where(anyOf(communities.id, ids)),
      (row) => row.id,
    ),
    placementsByCommunity: groupedLoader(
      (ids) =>
        db.select().from(communityPlacements).where(anyOf(communityPlacements.communityId, ids)).orderBy(communityPlacements.validFrom),
      (row) => row.communityId,
    ),
    placementsBySubdistrict: groupedLoader(
      (ids) => db.select().from(communityPlacements).where(anyOf(communityPlacements.subdistrictId, ids)),
      (row) => row.subdistrictId,
    ),
    committeeById: keyedLoader(
      (ids) => db.select().from(residentsCommittees).where(anyOf(residentsCommittees.id, ids)),
      (row) => row.id,
    ),
    committeesByCommunity: groupedLoader(
      (ids) => db.select().from(residentsCommittees).where(anyOf(residentsCommittees.communityId, ids)).orderBy(residentsCommittees.code),
      (row) => row.communityId,
    ),
    conventionsByCommittee: groupedLoader(
      (ids) =>
        db
          .select()
          .from(residentsConventions)
          .where(anyOf(residentsConventions.residentsCommitteeId, ids))
          .orderBy(residentsConventions.version),
      (row) => row.residentsCommitteeId,
    ),
    /** The party committee and workstation of each community (the trinity's first two). */
    leadershipByCommunity: groupedLoader(
      (ids) =>
        db
          .select()
          .from(organisations)
          .where(and(anyOf(organisations.communityId, ids), inArray(organisations.kind, ['PARTY_COMMITTEE', 'WORKSTATION'])))
          .orderBy(organisations.id),
      (row) => row.communityId!,
    ),
    /** The committee's own organisation, its residents' council and its supervision committee. */
    organisationsByCommittee: groupedLoader(
      (ids) => db.select().from(organisations).where(anyOf(organisations.residentsCommitteeId, ids)).orderBy(organisations.id),
      (row) => row.residentsCommitteeId!,
    ),
    /** One statement per date asked about, however many fields ask. */
    governanceOfDistrict: perArgs((asOf: string) => once(() => districtCoverage(asOf))),
    /** One statement per date for every sub-district asked about. */
    governanceBySubdistrict: perArgs((asOf: string) =>
      keyedLoader(
        (ids) => subdistrictCoverage(ids, asOf),
        (row) => row.subdistrictId,
      ),
    ),
  };
}
