import { referenceDataset } from '@gongzhi/dataset';
import { insertRows } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import type { ServicesDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the services part of the reference dataset into an empty slice, in one transaction. A slice that
 * already holds any row is left alone, so restarts never duplicate or overwrite data.
 */
export async function seedServices(database: ServicesDatabase): Promise<boolean> {
  const tables = [t.microProjects, t.serviceRequests, t.services, t.events, t.evaluations, t.dutyItems];
  const [state] = await database.rows<{ used: boolean }>(
    sql`select ${sql.join(
      tables.map((table) => sql`exists (select from ${table})`),
      sql` or `,
    )} as used`,
  );
  if (state?.used) return false;
  const data = referenceDataset().services;
  await database.db.transaction(async (tx) => {
    await insertRows(tx, t.microProjects, data.microProjects);
    // In dataset order (project by project, step by step), so each step's predecessor is already there.
    await insertRows(tx, t.microProjectSteps, data.microProjectSteps);
    await insertRows(tx, t.serviceRequests, data.serviceRequests);
    await insertRows(tx, t.serviceRequestSteps, data.serviceRequestSteps);
    await insertRows(tx, t.services, data.services);
    await insertRows(tx, t.events, data.events);
    await insertRows(tx, t.evaluations, data.evaluations);
    await insertRows(tx, t.dutyItems, data.dutyItems);
  });
  return true;
}
