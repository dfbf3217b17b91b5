import { anyOf, type Caller, type Connection, type Database, groupedConnections, groupedLoader, keyedLoader, once, type PageArgs, perArgs, withClaims } from '@gongzhi/kit';
import { and, asc, count, countDistinct, desc, eq, gt, notExists, sql, sum } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.ts';
import {
  evaluations,
  events,
  microProjectSteps,
  microProjects,
  serviceRequestSteps,
  serviceRequests,
  services,
  type EvaluationRow,
  type MicroProjectRow,
  type ServiceRequestRow,
  type ServiceRow,
} from '../db/schema.ts';
import { eventWhere, microProjectWhere, serviceRequestWhere, type EventFilter, type MicroProjectFilter, type ServiceRequestFilter } from './filters.ts';

export * from './filters.ts';

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
 * Loaders for what hangs off rows (their steps, their evaluations), handed out per statement that read the
 * rows: `adopt` gives a batch of rows one fresh set (or `details`), `of` finds a row's set (rows read
 * elsewhere share one).
 */
function rowLoaders<Row extends object, Details>(create: () => Details) {
  const byRow = new WeakMap<Row, Details>();
  const shared = create();
  return {
    create,
    adopt: <R extends Row>(rows: R[], details: Details | undefined = create()): R[] => {
      for (const row of rows) byRow.set(row, details);
      return rows;
    },
    of: (row: Row): Details => byRow.get(row) ?? shared,
  };
}

/** Adopts the rows of a page (see `rowLoaders`), with `details` or a fresh set, and returns the page. */
function pageOf<Row extends object, Details>(loaders: ReturnType<typeof rowLoaders<Row, Details>>) {
  return <R extends Row>(connection: Connection<R>, details?: Details): Connection<R> => {
    loaders.adopt(
      connection.edges.map((edge) => edge.node),
      details,
    );
    return connection;
  };
}

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per tick, however many
 * parents ask. Built per request so nothing is cached across callers.
 */
export function createLoaders({ db }: Database<typeof schema>, caller: Caller) {
  // Evaluations are under row-level security: their reads state the caller's claims.
  const asCaller = <T>(run: (tx: typeof db) => Promise<T>) => withClaims(db, { role: caller.role, organisationId: caller.organisationId }, run);
  /**
   * What hangs off a project, a request or a service (its steps, its evaluations) is loaded per statement
   * that read the rows: each statement's rows get loaders of their own. Rows of two lists read by
   * concurrent statements (e.g. two filtered `microProjects` of the same communities) would otherwise share
   * a batch only when their statements happen to finish in the same tick, and the number of statements of
   * a request would vary from run to run on a server database.
   */
  const projectDetails = rowLoaders(() => ({
    /** In lifecycle order (the steps form a chain): the last one is the project's current status. */
    steps: groupedLoader(
      (ids) => db.select().from(microProjectSteps).where(anyOf(microProjectSteps.microProjectId, ids)).orderBy(microProjectSteps.status),
      (row) => row.microProjectId,
    ),
    /** Oldest first. */
    evaluations: groupedLoader(
      (ids) =>
        asCaller((tx) =>
          tx
            .select()
            .from(evaluations)
            .where(anyOf(evaluations.microProjectId, ids))
            .orderBy(asc(evaluations.evaluatedOn), asc(evaluations.id)),
        ),
      (row) => row.microProjectId!,
    ),
  }));
  const requestDetails = rowLoaders(() => ({
    /** In workflow order: the last one is the request's current status. */
    steps: groupedLoader(
      (ids) =>
        db
          .select()
          .from(serviceRequestSteps)
          .where(anyOf(serviceRequestSteps.serviceRequestId, ids))
          .orderBy(serviceRequestSteps.serviceRequestId, serviceRequestSteps.seq),
      (row) => row.serviceRequestId,
    ),
  }));
  const serviceDetails = rowLoaders(() => ({
    /** Oldest first. */
    evaluations: groupedLoader(
      (ids) =>
        asCaller((tx) =>
          tx.select().from(evaluations).where(anyOf(evaluations.serviceId, ids)).orderBy(asc(evaluations.evaluatedOn), asc(evaluations.id)),
        ),
      (row) => row.serviceId!,
    ),
  }));

  const microProjectById = keyedLoader(
    async (ids) => projectDetails.adopt(await db.select().from(microProjects).where(anyOf(microProjects.id, ids))),
    (row) => row.id,
  );
  const serviceById = keyedLoader(
    async (ids) => serviceDetails.adopt(await db.select().from(services).where(anyOf(services.id, ids))),
    (row) => row.id,
  );

  /** A page of projects: its rows get the detail loaders of the statement that read them (by default, fresh ones). */
  const projectPage = pageOf(projectDetails);
  const requestPage = pageOf(requestDetails);

  /**
   * An evaluation read through its project or service points back to that very row, so the subject's own
   * fields need no statement. (Priming `microProjectById` instead would hand out whichever list's row came
   * first, and with it that list's detail loaders: a statement count that depends on timing.)
   */
  const projectOf = new WeakMap<EvaluationRow, MicroProjectRow>();
  const serviceOf = new WeakMap<EvaluationRow, ServiceRow>();

  /** Nested pages: one statement per argument set serves every parent, so its rows share detail loaders. */
  const nestedPages = <Row, Args, Details>(
    pages: (parentId: string, args: Args) => Promise<Connection<Row>>,
    adopt: (connection: Connection<Row>, details: Details) => Connection<Row>,
    create: () => Details,
  ) => {
    const detailsByArgs = perArgs<Args, Details>(create);
    return async (parentId: string, args: Args) => adopt(await pages(parentId, args), detailsByArgs(args));
  };

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
  const projectTotals = (areaColumn: PgColumn | null, areaIds: readonly string[], filter: MicroProjectTotalsFilter): Promise<MicroProjectTotalsRow[]> =>
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
    nestedPages(
      groupedConnections({
        db,
        table: microProjects,
        parentColumn,
        orderColumn: microProjects.id,
        filter: (args: MicroProjectFilter & PageArgs) => microProjectWhere(args),
      }),
      projectPage,
      projectDetails.create,
    );

  return {
    microProjectById,
    serviceRequestById: keyedLoader(
      async (ids) => requestDetails.adopt(await db.select().from(serviceRequests).where(anyOf(serviceRequests.id, ids))),
      (row) => row.id,
    ),
    /**
     * A request as a write just left it: read afresh, with detail loaders of its own, so nothing this
     * operation read before the write (the row, its steps) is answered from a loader's cache.
     */
    serviceRequestAfterWrite: async (id: string): Promise<ServiceRequestRow | null> =>
      requestDetails.adopt(await db.select().from(serviceRequests).where(eq(serviceRequests.id, id)))[0] ?? null,
    /** Steps of a project row, from the loaders of the statement that read it. */
    stepsOfProject: (project: MicroProjectRow) => projectDetails.of(project).steps.load(project.id),
    stepsOfRequest: (request: ServiceRequestRow) => requestDetails.of(request).steps.load(request.id),
    evaluationsOfProject: async (project: MicroProjectRow) => {
      const rows = await projectDetails.of(project).evaluations.load(project.id);
      for (const row of rows) projectOf.set(row, project);
      return rows;
    },
    evaluationsOfService: async (service: ServiceRow) => {
      const rows = await serviceDetails.of(service).evaluations.load(service.id);
      for (const row of rows) serviceOf.set(row, service);
      return rows;
    },
    /** What an evaluation is about: the row it was read through, or else looked up by id. */
    projectOfEvaluation: (evaluation: EvaluationRow) =>
      evaluation.microProjectId === null ? null : (projectOf.get(evaluation) ?? microProjectById.load(evaluation.microProjectId)),
    serviceOfEvaluation: (evaluation: EvaluationRow) =>
      evaluation.serviceId === null ? null : (serviceOf.get(evaluation) ?? serviceById.load(evaluation.serviceId)),
    /** A project as a mutation left it: read afresh, with detail loaders of its own (nothing loaded before the change). */
    projectAfterWrite: async (id: string) => {
      const rows = await db.select().from(microProjects).where(eq(microProjects.id, id));
      return projectDetails.adopt(rows)[0] ?? null;
    },
    /** For root lists: one statement, so one set of detail loaders for its rows. */
    projectPage,
    requestPage,

    microProjectsOfCommunity: projectsOf(microProjects.communityId),
    microProjectsOfSubdistrict: projectsOf(microProjects.subdistrictId),
    /** Newest first (`sort_key`). */
    serviceRequestsOfCommunity: nestedPages(
      groupedConnections({
        db,
        table: serviceRequests,
        parentColumn: serviceRequests.communityId,
        orderColumn: serviceRequests.sortKey,
        filter: (args: ServiceRequestFilter & PageArgs) => serviceRequestWhere(args),
      }),
      requestPage,
      requestDetails.create,
    ),
    /** Newest first (`sort_key`). */
    eventsOfCommunity: groupedConnections({
      db,
      table: events,
      parentColumn: events.communityId,
      orderColumn: events.sortKey,
      filter: (args: EventFilter & PageArgs) => eventWhere(args),
    }),
    /** By kind, then id. */
    servicesByCommunity: groupedLoader(
      async (ids) => serviceDetails.adopt(await db.select().from(services).where(anyOf(services.communityId, ids)).orderBy(services.kind, services.id)),
      (row) => row.communityId,
    ),
    /** Newest first. */
    evaluationsByEvaluator: groupedLoader(
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
      keyedLoader((ids) => resolutionRows(serviceRequests.communityId, ids, year), (row) => row.area),
    ),
    /** Over the requests recorded under the sub-district (where the community was then, not where it is now). */
    resolutionBySubdistrict: perArgs((year: number | null) =>
      keyedLoader((ids) => resolutionRows(serviceRequests.subdistrictId, ids, year), (row) => row.area),
    ),
    /** Over the projects recorded under each sub-district when proposed; a sub-district without any has no row. */
    microProjectTotalsBySubdistrict: perArgs((filter: MicroProjectTotalsFilter) =>
      keyedLoader((ids) => projectTotals(microProjects.subdistrictId, ids, filter), (row) => row.area),
    ),
    /** The district holds every project: one row, zeros when none matches. */
    districtMicroProjectTotals: perArgs((filter: MicroProjectTotalsFilter) =>
      once(async () => (await projectTotals(null, [], filter))[0]!),
    ),
    /**
     * Events starting in `year` and their attendance, in one aggregate statement. The year is a UTC one,
     * through the same day bounds as `events(from:, to:)`, so the two always agree.
     */
    neighbourhoodIn: perArgs((year: number) =>
      once(async () => {
        const [row] = await db
          .select({ events: count(), attendance: sql<number>`coalesce(${sum(events.attendance)}, 0)`.mapWith(Number) })
          .from(events)
          .where(eventWhere({ from: `${year}-01-01`, to: `${year}-12-31` }));
        return { year, events: row!.events, attendance: row!.attendance };
      }),
    ),
    /**
     * Services and distinct communities of each kind that exists, in the enum's (declaration) order. Async so
     * `once` keeps a promise: a drizzle query object runs its statement again each time it is awaited.
     */
    serviceCoverage: once(async () =>
      db
        .select({ kind: services.kind, services: count(), communities: countDistinct(services.communityId) })
        .from(services)
        .groupBy(services.kind)
        .orderBy(services.kind),
    ),

    /** The district holds every request, whatever its id (there is one district). */
    resolutionOfDistrict: perArgs((year: number | null) =>
      keyedLoader(
        async (ids) => {
          const [row] = await resolutionRows(null, ids, year);
          return row ? ids.map((area) => ({ ...row, area })) : [];
        },
        (row) => row.area,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
