import { connectionFromArray, inForce, today } from '@gongzhi/kit';
import type { CommunityRow } from '../../../db/schema.ts';
import type { SubdistrictResolvers } from '../../../generated/graphql.ts';
import type { CoverageFigures } from '../../../loaders/index.ts';
import type { SubdistrictParent } from '../../../mappers.ts';

/** The date a dated field answers for: its argument, else the enclosing query's, else today (a closed sub-district: its last day). */
const dateFor = (subdistrict: SubdistrictParent, asOf: string | null | undefined) =>
  asOf ?? subdistrict.asOf ?? subdistrict.validTo ?? today();

/** A sub-district with no community placed in it on the date has no row in the aggregate. */
const noCoverage: CoverageFigures = {
  communities: 0,
  communitiesWithWorkstation: 0,
  communitiesWithWebsite: 0,
  residentsCommittees: 0,
  committeesWithRevisedConvention: 0,
  committeesWithDisclosureBoard: 0,
  committeesWithResidentsCouncil: 0,
  committeesWithSupervisionCommittee: 0,
};

export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.subdistrictById.load(id),
  district: async (subdistrict, _args, { loaders }) => {
    const district = await loaders.districtById.load(subdistrict.districtId);
    if (!district) throw new Error(`sub-district ${subdistrict.id} has no district`);
    return district;
  },
  splitFrom: (subdistrict, _args, { loaders }) => (subdistrict.splitFromId ? loaders.subdistrictById.load(subdistrict.splitFromId) : null),
  splitInto: (subdistrict, _args, { loaders }) => loaders.subdistrictsSplitFrom.load(subdistrict.id),
  communities: async (subdistrict, { asOf, search, first, after }, { loaders }) => {
    const date = dateFor(subdistrict, asOf);
    const placements = (await loaders.placementsBySubdistrict.load(subdistrict.id)).filter((placement) => inForce(placement, date));
    const rows = (await loaders.communityById.loadMany(placements.map((placement) => placement.communityId))).filter(
      (row): row is CommunityRow => row !== null && !(row instanceof Error),
    );
    const needle = search?.trim().toLowerCase();
    const matching = needle ? rows.filter((row) => row.name.includes(needle) || row.nameEn.toLowerCase().includes(needle)) : rows;
    return connectionFromArray(matching, { first, after }, (row) => row.code);
  },
  governance: async (subdistrict, { asOf }, { loaders }) => {
    const date = dateFor(subdistrict, asOf);
    const row = await loaders.governanceBySubdistrict(date).load(subdistrict.id);
    // Counted as one only while in force, so the sub-districts of any date sum to the district's count.
    return { asOf: date, subdistricts: inForce(subdistrict, date) ? 1 : 0, ...(row?.figures ?? noCoverage) };
  },
};
