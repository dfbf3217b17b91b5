import { badInput, containsPattern, inForceOn, listConnection, today } from '@gongzhi/kit';
import { and, asc, eq, ilike, inArray, or } from 'drizzle-orm';
import { communities, communityPlacements, districts, subdistricts } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';

/** Sub-districts in force on `asOf`, in code order; shared by Query.subdistricts and District.subdistricts. */
export async function subdistrictsOn({ database }: Context, asOf: string | null | undefined) {
  const date = asOf ?? today();
  const rows = await database.db.select().from(subdistricts).where(inForceOn(subdistricts, date)).orderBy(asc(subdistricts.code));
  return rows.map((row) => ({ ...row, asOf: date }));
}

function exactlyOne(id: string | null | undefined, code: string | null | undefined): void {
  if ((id == null) === (code == null)) throw badInput('Give exactly one of `id` and `code`', id == null ? 'id' : 'code');
}

export const Query: QueryResolvers = {
  district: async (_parent, _args, { database }) => {
    const [row] = await database.db.select().from(districts).limit(1);
    if (!row) throw new Error('the district is not loaded');
    return row;
  },
  subdistricts: (_parent, { asOf }, context) => subdistrictsOn(context, asOf),
  subdistrict: async (_parent, { id, code }, { database, loaders }) => {
    exactlyOne(id, code);
    if (id != null) return loaders.subdistrictById.load(id);
    const [row] = await database.db.select().from(subdistricts).where(eq(subdistricts.code, code!));
    return row ?? null;
  },
  communities: (_parent, { subdistrictId, search, first, after }, { database }) => {
    const inSubdistrict =
      subdistrictId == null
        ? undefined
        : inArray(
            communities.id,
            database.db
              .select({ id: communityPlacements.communityId })
              .from(communityPlacements)
              .where(and(eq(communityPlacements.subdistrictId, subdistrictId), inForceOn(communityPlacements, today()))),
          );
    const matching =
      search == null || search.trim() === ''
        ? undefined
        : or(ilike(communities.name, containsPattern(search.trim())), ilike(communities.nameEn, containsPattern(search.trim())));
    return listConnection(
      { db: database.db, table: communities, orderColumn: communities.code, where: and(inSubdistrict, matching) },
      { first, after },
    );
  },
  community: async (_parent, { id, code }, { database, loaders }) => {
    exactlyOne(id, code);
    if (id != null) return loaders.communityById.load(id);
    const [row] = await database.db.select().from(communities).where(eq(communities.code, code!));
    return row ?? null;
  },
  residentsCommittee: (_parent, { id }, { loaders }) => loaders.committeeById.load(id),
};
