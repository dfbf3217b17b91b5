import { anyOf, groupedLoader, keyedLoader } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { and, sql, type SQL } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { matterStages, matters, type MatterStageRow } from '../db/schema.ts';
import type { Visibility } from './elections.ts';

/** The stage from which a matter is public: its resolution published (决议公开). */
const publishedFrom: MatterStageRow['stage'] = 'RESOLUTION_PUBLISHED';

/**
 * The matters `visibility` shows: every one, or those whose furthest stage is RESOLUTION_PUBLISHED or later
 * (stages are an enum declared in order, so "this stage or a later one" is a comparison).
 */
export function visibleMatters(visibility: Visibility): SQL | undefined {
  if (visibility === 'all') return undefined;
  return sql`(select max(${matterStages.stage}) from ${matterStages} where ${matterStages.matterId} = ${matters.id}) >= ${publishedFrom}`;
}

/** Matters whose furthest stage (the last of their stage rows: enums order by declaration) is `stage`. */
export function reachedStage(stage: MatterStageRow['stage']): SQL {
  return sql`(select max(${matterStages.stage}) from ${matterStages} where ${matterStages.matterId} = ${matters.id}) = ${stage}`;
}

/** The loaders of matters and their stages, for the caller's visibility. */
export function matterLoaders({ db }: Database<typeof schema>, visibility: Visibility) {
  return {
    /** Null for a matter the caller may not see. */
    matterById: keyedLoader(
      (ids) =>
        db
          .select()
          .from(matters)
          .where(and(anyOf(matters.id, ids), visibleMatters(visibility))),
      (row) => row.id,
    ),
    /** In stage order: the last one is the matter's current stage. Asked for visible matters only, so all are visible. */
    stagesByMatter: groupedLoader(
      (ids) => db.select().from(matterStages).where(anyOf(matterStages.matterId, ids)).orderBy(matterStages.stage),
      (row) => row.matterId,
    ),
  };
}
