import { badInput, checkYear } from '@gongzhi/kit';
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import {
  events,
  microProjectSteps,
  microProjects,
  serviceRequestSteps,
  serviceRequests,
  type MicroProjectRow,
  type MicroProjectStepRow,
  type ServiceRequestStepRow,
} from '../db/schema.ts';

/*
 * The filters of each list, shared by the root field and the nested connections of Community and
 * Subdistrict, so both validate and select alike. Calendar days are UTC days: `2019-03-01` runs from
 * 2019-03-01T00:00:00Z to the next midnight UTC, as the dataset records requests and events.
 */

/** The instant a UTC calendar day starts, `days` after `date`. */
/** The start of the UTC day `days` after `date`; null past year 9999, which no timestamp reaches. */
function dayStart(date: string, days = 0): string | null {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.getUTCFullYear() > 9999 ? null : day.toISOString();
}

/** `column` within the inclusive UTC days `from`..`to` (either open); `from` after `to` is a bad argument. */
export function withinDays(
  column: PgColumn,
  from: string | null | undefined,
  to: string | null | undefined,
  names: [string, string],
): SQL | undefined {
  if (from != null && to != null && from > to) throw badInput(`\`${names[1]}\` (${to}) is before \`${names[0]}\` (${from})`, names[1]);
  const end = to == null ? null : dayStart(to, 1);
  return and(from == null ? undefined : gte(column, dayStart(from)!), end === null ? undefined : lt(column, end));
}

/** Projects whose current status (their latest step: steps form a chain, so the greatest) is `status`. */
export function microProjectAt(status: MicroProjectStepRow['status']): SQL {
  return sql`(select max(${microProjectSteps.status}) from ${microProjectSteps} where ${microProjectSteps.microProjectId} = ${microProjects.id}) = ${status}`;
}

/** Requests whose current status (their last step: a status may come back, so not the greatest) is `status`. */
export function serviceRequestAt(status: ServiceRequestStepRow['status']): SQL {
  return sql`(select ${serviceRequestSteps.status} from ${serviceRequestSteps} where ${serviceRequestSteps.serviceRequestId} = ${serviceRequests.id}
    order by ${serviceRequestSteps.seq} desc limit 1) = ${status}`;
}

export interface MicroProjectFilter {
  year?: number | null;
  status?: MicroProjectStepRow['status'] | null;
  category?: MicroProjectRow['category'] | null;
}

export function microProjectWhere({ year, status, category }: MicroProjectFilter): SQL | undefined {
  checkYear(year);
  return and(
    year == null ? undefined : eq(microProjects.year, year),
    category == null ? undefined : eq(microProjects.category, category),
    status == null ? undefined : microProjectAt(status),
  );
}

export interface ServiceRequestFilter {
  status?: ServiceRequestStepRow['status'] | null;
  submittedFrom?: string | null;
  submittedTo?: string | null;
}

export function serviceRequestWhere({ status, submittedFrom, submittedTo }: ServiceRequestFilter): SQL | undefined {
  return and(
    withinDays(serviceRequests.submittedAt, submittedFrom, submittedTo, ['submittedFrom', 'submittedTo']),
    status == null ? undefined : serviceRequestAt(status),
  );
}

export interface EventFilter {
  from?: string | null;
  to?: string | null;
}

export function eventWhere({ from, to }: EventFilter): SQL | undefined {
  return withinDays(events.startsAt, from, to, ['from', 'to']);
}
