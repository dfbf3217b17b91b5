import { referenceDataset } from '@gongzhi/dataset';
import { insertRows, seedIfEmpty } from '@gongzhi/kit';
import type { ServicesDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the services part of the reference dataset into an empty slice, in one transaction. A slice that
 * already holds a micro-project is left alone, so restarts never duplicate or overwrite data.
 */
export async function seedServices(database: ServicesDatabase): Promise<boolean> {
  return seedIfEmpty(database, t.microProjects, async (tx) => {
    const data = referenceDataset().services;
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
}
