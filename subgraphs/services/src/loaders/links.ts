import { anyOf, groupedConnections, once, perArgs, withClaims } from '@gongzhi/kit';
import type { Caller, Database, PageArgs, Waves } from '@gongzhi/kit';
import { and, count, countDistinct, desc, eq, gt, notExists, sql, sum } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.ts';
import { evaluations, events, microProjects, serviceRequestSteps, serviceRequests, services, type MicroProjectRow } from '../db/schema.ts';
import {
  eventWhere,
  microProjectWhere,
  serviceRequestWhere,
  type EventFilter,
  type MicroProjectFilter,
  type ServiceRequestFilter,
} from './filters.ts';

/** Requests of one area submitted in one (UTC) year: how many, how many resolved, the median hours to resolve. */
export interface ResolutionRow {
  area: string;
  year: number;
  received: number;
  resolved: number;
  medianHours: number | null;
}

/** Micro-projects of one area (`area` is '' for the whole district) under a filter; `plannedBudgetFen` in integer fen. */
export interface MicroProjectTotalsRow {
  area: string;
  projects: number;
  beneficiaries: number;
  plannedBudgetFen: number;
}

/** The filter of `microProjectTotals`, always with both keys so equal filters share one loader. */
export interface MicroProjectTotalsFilter {
  year: number | null;
  category: MicroProjectRow['category'] | null;
}

/**
 * The loaders of what this slice adds to other slices' types: an area's projects, requests, events,
 * services, resolution and totals, the district's activity, an organisation's evaluations.
 */
export function linkLoaders({ db }: Database<typeof schema>, caller: Caller, waves: Waves) {
  // Evaluations are under row-level security: their reads state the caller's claims.
  const asCaller = <T>(run: (tx: typeof db) => Promise<T>) =>
    withClaims(db, { role: caller.role, organisationId: caller.organisationId }, run);

  /**
   * The resolution of each request that stands: its RESOLVED step with no reopening after it (a step from
   * RESOLVED or CLOSED back to ACKNOWLEDGED; the partial index `service_request_steps_reopen_idx` holds
   * those few).
   */
  const later = alias(serviceRequestSteps, 'later');
  const standingResolutions = db
    .select({ serviceRequestId: serviceRequestSteps.serviceRequestId, at: serviceRequestSteps.at })
    .from(serviceRequestSteps)
    .where(
      and(
        eq(serviceRequestSteps.status, 'RESOLVED'),
        notExists(
          db
            .select({ one: sql`1` })
            .from(later)
            .where(
              and(
                eq(later.serviceRequestId, serviceRequestSteps.serviceRequestId),
                gt(later.seq, serviceRequestSteps.seq),
                // Literals, not parameters: the planner matches them to the partial index's predicate.
                sql`${later.status} = 'ACKNOWLEDGED' and ${later.previousStatus} in ('RESOLVED', 'CLOSED')`,
              ),
            ),
        ),
      ),
    )
    .as('resolution');

  /**
   * Received, resolved (resolution standing) and median hours to resolution per area, for `year` or (null)
   * each area's latest year with requests: one statement for every area asked for. `area` is '' for the
   * whole district.
   */
  const resolutionRows = async (areaColumn: PgColumn | null, areaIds: readonly string[], year: number | null): Promise<ResolutionRow[]> => {
    const area = areaColumn ? sql<string>`${areaColumn}` : sql<string>`''`;
    const latest = areaColumn
      ? sql`(${areaColumn}, ${serviceRequests.submittedYear}) in (select ${areaColumn}, max(${serviceRequests.submittedYear}) from ${serviceRequests}
          where ${anyOf(areaColumn, areaIds)} group by ${areaColumn})`
      : sql`${serviceRequests.submittedYear} = (select max(${serviceRequests.submittedYear}) from ${serviceRequests})`;
    const hours = sql`extract(epoch from ${standingResolutions.at} - ${serviceRequests.submittedAt})::float8 / 3600`;
    const rows = await db
      .select({
        area,
        year: serviceRequests.submittedYear,
        received: sql<number>`count(*)::int`,
        resolved: sql<number>`count(${standingResolutions.at})::int`,
        medianHours: sql<number | null>`percentile_cont(0.5) within group (order by ${hours})`,
      })
      .from(serviceRequests)
      .leftJoin(standingResolutions, eq(standingResolutions.serviceRequestId, serviceRequests.id))
      .where(and(areaColumn ? anyOf(areaColumn, areaIds) : undefined, year == null ? latest : eq(serviceRequests.submittedYear, year)))
      .groupBy(...(areaColumn ? [areaColumn, serviceRequests.submittedYear] : [serviceRequests.submittedYear]));
    return rows.map((row) => ({
      area: row.area,
      year: Number(row.year),
      received: Number(row.received),
      resolved: Number(row.resolved),
      medianHours: row.medianHours === null ? null : Number(row.medianHours),
    }));
  };

  /** Count and sums of the projects of each area asked under `filter`: one aggregate statement for every area. */
  const projectTotals = (
    areaColumn: PgColumn | null,
    areaIds: readonly string[],
    filter: MicroProjectTotalsFilter,
  ): Promise<MicroProjectTotalsRow[]> =>
    db
      .select({
        area: areaColumn ? sql<string>`${areaColumn}` : sql<string>`''`,
        projects: count(),
        // sum() is null over no row and numeric over bigint: 0 and a JS number (fen sums stay far below 2^53).
        beneficiaries: sql<number>`coalesce(${sum(microProjects.beneficiaries)}, 0)`.mapWith(Number),
        plannedBudgetFen: sql<number>`coalesce(${sum(microProjects.plannedBudgetFen)}, 0)`.mapWith(Number),
      })
      .from(microProjects)
      .where(and(areaColumn ? anyOf(areaColumn, areaIds) : undefined, microProjectWhere(filter)))
      .groupBy(...(areaColumn ? [areaColumn] : []));

  const projectsOf = (parentColumn: PgColumn) =>
    waves.tracked(
      groupedConnections({
        db,
        table: microProjects,
        parentColumn,
        orderColumn: microProjects.id,
        filter: (args: MicroProjectFilter & PageArgs) => microProjectWhere(args),
      }),
    );

  return {
    microProjectsOfCommunity: projectsOf(microProjects.communityId),
    microProjectsOfSubdistrict: projectsOf(microProjects.subdistrictId),
    /** Newest first (`sort_key`). */
    serviceRequestsOfCommunity: waves.tracked(
      groupedConnections({
        db,
        table: serviceRequests,
        parentColumn: serviceRequests.communityId,
        orderColumn: serviceRequests.sortKey,
        filter: (args: ServiceRequestFilter & PageArgs) => serviceRequestWhere(args),
      }),
    ),
    /** Newest first (`sort_key`). */
    eventsOfCommunity: waves.tracked(
      groupedConnections({
        db,
        table: events,
        parentColumn: events.communityId,
        orderColumn: events.sortKey,
        filter: (args: EventFilter & PageArgs) => eventWhere(args),
      }),
    ),
    /** By kind, then id. */
    servicesByCommunity: waves.grouped(
      (ids) => db.select().from(services).where(anyOf(services.communityId, ids)).orderBy(services.kind, services.id),
      (row) => row.communityId,
    ),
    /** Newest first. */
    evaluationsByEvaluator: waves.grouped(
      (ids) =>
        asCaller((tx) =>
          tx
            .select()
            .from(evaluations)
            .where(anyOf(evaluations.evaluatorOrganisationId, ids))
            .orderBy(desc(evaluations.evaluatedOn), desc(evaluations.id)),
        ),
      (row) => row.evaluatorOrganisationId,
    ),

    resolutionByCommunity: perArgs((year: number | null) =>
      waves.keyed(
        (ids) => resolutionRows(serviceRequests.communityId, ids, year),
        (row) => row.area,
      ),
    ),
    /** Over the requests recorded under the sub-district (where the community was then, not where it is now). */
    resolutionBySubdistrict: perArgs((year: number | null) =>
      waves.keyed(
        (ids) => resolutionRows(serviceRequests.subdistrictId, ids, year),
        (row) => row.area,
      ),
    ),
    /** The district holds every request, whatever its id (there is one district). */
    resolutionOfDistrict: perArgs((year: number | null) =>
      waves.keyed(
        async (ids) => {
          const [row] = await resolutionRows(null, ids, year);
          return row ? ids.map((area) => ({ ...row, area })) : [];
        },
        (row) => row.area,
      ),
    ),
    /** Over the projects recorded under each sub-district when proposed; a sub-district without any has no row. */
    microProjectTotalsBySubdistrict: perArgs((filter: MicroProjectTotalsFilter) =>
      waves.keyed(
        (ids) => projectTotals(microProjects.subdistrictId, ids, filter),
        (row) => row.area,
      ),
    ),
    /** The district holds every project: one row, zeros when none matches. */
    districtMicroProjectTotals: perArgs((filter: MicroProjectTotalsFilter) =>
      once(waves.tracked(async () => (await projectTotals(null, [], filter))[0]!)),
    ),
    /**
     * Events starting in `year` and their attendance, in one aggregate statement. The year is a UTC one,
     * through the same day bounds as `events(from:, to:)`, so the two always agree.
     */
    neighbourhoodIn: perArgs((year: number) =>
      once(
        waves.tracked(async () => {
          const [row] = await db
            .select({ events: count(), attendance: sql<number>`coalesce(${sum(events.attendance)}, 0)`.mapWith(Number) })
            .from(events)
            .where(eventWhere({ from: `${year}-01-01`, to: `${year}-12-31` }));
          return { year, events: row!.events, attendance: row!.attendance };
        }),
      ),
    ),
    /**
     * Services and distinct communities of each kind that exists, in the enum's (declaration) order. Async so
     * `once` keeps a promise: a drizzle query object runs its statement again each time it is awaited.
     */
    serviceCoverage: once(
      waves.tracked(async () =>
        db
          .select({ kind: services.kind, services: count(), communities: countDistinct(services.communityId) })
          .from(services)
          .groupBy(services.kind)
          .orderBy(services.kind),
      ),
    ),
  };
}
