import { referenceDataset, type ServicesDataset } from '@gongzhi/dataset';
import type { SliceSeed } from '@gongzhi/kit';
import * as t from './schema.ts';

function* requests(data: ServicesDataset) {
  for (const { request } of data.serviceRequests()) yield request;
}

/** Steps numbered in workflow order (the dataset lists them so), each naming the status it left. */
function* requestSteps(data: ServicesDataset) {
  for (const { steps } of data.serviceRequests()) {
    for (let s = 0; s < steps.length; s++) yield { ...steps[s]!, seq: s + 1, previousStatus: s === 0 ? null : steps[s - 1]!.status };
  }
}

/** The services part of the reference dataset; service requests and their steps are streamed. */
export const servicesSeed: SliceSeed = {
  probe: t.microProjects,
  loads: (choice) => {
    const data = referenceDataset(choice).services;
    return [
      { table: t.microProjects, rows: data.microProjects },
      { table: t.microProjectSteps, rows: data.microProjectSteps },
      { table: t.serviceRequests, rows: requests(data) },
      { table: t.serviceRequestSteps, rows: requestSteps(data) },
      { table: t.services, rows: data.services },
      { table: t.events, rows: data.events },
      { table: t.evaluations, rows: data.evaluations },
      { table: t.dutyItems, rows: data.dutyItems },
    ];
  },
};
