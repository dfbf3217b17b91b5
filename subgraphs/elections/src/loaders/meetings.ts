import { anyOf, groupedLoader } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { motions } from '../db/schema.ts';

/** The loaders of meetings' motions. */
export function meetingLoaders({ db }: Database<typeof schema>) {
  return {
    motionsByMeeting: groupedLoader(
      (ids) => db.select().from(motions).where(anyOf(motions.meetingId, ids)).orderBy(motions.id),
      (row) => row.meetingId,
    ),
  };
}
