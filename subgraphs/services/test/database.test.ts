import { sql } from 'drizzle-orm';
import { seedIfEmpty, serveSubgraph } from '@gongzhi/kit';
import { gatewayCredential, refusalOf, testSubgraphSecret, useFreshDatabase } from '@gongzhi/kit/testing';
import { referenceDataset } from '@gongzhi/dataset';
import { describe, expect, it } from 'vitest';
import { servicesSubgraph } from '../src/server.ts';
import { servicesSeed } from '../src/db/seed.ts';

const { open } = useFreshDatabase(servicesSubgraph);
type Opened = Awaited<ReturnType<typeof open>>;

/** Runs `body` on the migrated test database, closing it afterwards. */
async function withDatabase(body: (database: Opened) => Promise<void>) {
  const database = await open();
  try {
    await database.migrate(servicesSubgraph.migrationsFolder);
    await body(database);
  } finally {
    await database.close();
  }
}

describe('seed', () => {
  it('loads the reference dataset into an empty slice only, so restarts never duplicate data', async () => {
    await withDatabase(async (database) => {
      referenceDataset(); // built once per process; time the load, not the generator
      const started = performance.now();
      expect(await seedIfEmpty(database, servicesSeed, {})).toBe(true);
      const seconds = (performance.now() - started) / 1000;
      console.log(`services seed on ${database.driver}: ${seconds.toFixed(2)} s`);
      expect(await seedIfEmpty(database, servicesSeed, {})).toBe(false);
      const data = referenceDataset().services;
      const [counts] = await database.rows<Record<string, number>>(sql`select
          (select count(*)::int from services.micro_projects) as "microProjects",
          (select count(*)::int from services.micro_project_steps) as "microProjectSteps",
          (select count(*)::int from services.service_requests) as "serviceRequests",
          (select count(*)::int from services.service_request_steps) as "serviceRequestSteps",
          (select count(*)::int from services.services) as services,
          (select count(*)::int from services.events) as events,
          (select count(*)::int from services.evaluations) as evaluations,
          (select count(*)::int from services.duty_items) as "dutyItems"`);
      const requests = [...data.serviceRequests()];
      expect(counts).toEqual({
        microProjects: data.microProjects.length,
        microProjectSteps: data.microProjectSteps.length,
        serviceRequests: requests.length,
        serviceRequestSteps: requests.reduce((sum, r) => sum + r.steps.length, 0),
        services: data.services.length,
        events: data.events.length,
        evaluations: data.evaluations.length,
        dutyItems: data.dutyItems.length,
      });
      // Instants and money survive the trip exactly.
      const { request } = requests[0]!;
      const [stored] = await database.rows<{ at: string; budget: string }>(sql`select
          to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
          (select planned_budget_fen::text from services.micro_projects where id = ${data.microProjects[0]!.id}) as budget
        from services.service_requests where id = ${request.id}`);
      expect(stored).toEqual({ at: request.submittedAt, budget: String(data.microProjects[0]!.plannedBudgetFen) });
    });
  });
});

describe('the database keeps the rules of the model', () => {
  const refusal = (database: Opened, statement: ReturnType<typeof sql>) => refusalOf(() => database.db.execute(statement));

  it('keeps a micro-project’s steps one legal chain: PROPOSED first, nothing skipped, never both approved and rejected', async () => {
    await withDatabase(async (database) => {
      await database.db.execute(sql`insert into services.micro_projects
        (id, community_id, subdistrict_id, year, title, category, proposer_organisation_id, planned_budget_fen, beneficiaries)
        values ('mp-test', 'com-x', 'sd-x', 2020, 'title', 'FACILITY', 'org-x', 100000, 50)`);
      const step = (id: string, status: string, on: string) =>
        sql`insert into services.micro_project_steps (id, micro_project_id, status, "on", note) values (${id}, 'mp-test', ${status}, ${on}, '')`;
      expect(await refusal(database, step('s-2', 'APPROVED', '2020-01-10'))).toMatch(/micro_project_steps_previous_status_fk/);
      expect(await refusal(database, step('s-1', 'PROPOSED', '2020-01-01'))).toBeNull();
      expect(await refusal(database, step('s-1b', 'PROPOSED', '2020-01-02'))).toMatch(/micro_project_steps_project_status_unique/);
      expect(await refusal(database, step('s-4', 'COMPLETED', '2020-03-01'))).toMatch(/micro_project_steps_previous_status_fk/);
      expect(await refusal(database, step('s-2', 'APPROVED', '2020-01-10'))).toBeNull();
      expect(await refusal(database, step('s-2r', 'REJECTED', '2020-01-11'))).toMatch(/micro_project_steps_project_previous_unique/);
      expect(await refusal(database, step('s-3', 'IN_PROGRESS', '2020-02-01'))).toBeNull();
      expect(await refusal(database, sql`update services.micro_projects set planned_budget_fen = -1 where id = 'mp-test'`)).toMatch(
        /micro_projects_budget_check/,
      );
    });
  });

  it('keeps a request’s steps one numbered chain of legal transitions, its SUBMITTED step at its submission time, and an evaluation about one thing', async () => {
    await withDatabase(async (database) => {
      await database.db.execute(sql`insert into services.service_requests
        (id, community_id, subdistrict_id, category, channel, description, submitted_at, submitter_name, submitter_phone)
        values ('sr-test', 'com-x', 'sd-x', 'OTHER', 'HOTLINE', 'text', '2020-05-01T10:00:00Z', 'name', '13800000000')`);
      const step = (seq: number, status: string, previous: string | null, at: string) =>
        sql`insert into services.service_request_steps (service_request_id, seq, status, previous_status, at, note) values ('sr-test', ${seq}, ${status}, ${previous}, ${at}, '')`;
      expect(await refusal(database, step(1, 'SUBMITTED', null, '2020-05-01T11:00:00Z'))).toMatch(/service_request_steps_submitted_at_fk/);
      expect(await refusal(database, step(1, 'SUBMITTED', null, '2020-05-01T18:00:00+08:00'))).toBeNull();
      expect(await refusal(database, step(2, 'RESOLVED', 'SUBMITTED', '2020-05-03T10:00:00Z'))).toMatch(
        /service_request_steps_transition_check/,
      );
      expect(await refusal(database, step(2, 'IN_PROGRESS', 'ACKNOWLEDGED', '2020-05-03T10:00:00Z'))).toMatch(
        /service_request_steps_previous_step_fk/,
      );
      expect(await refusal(database, step(3, 'ACKNOWLEDGED', 'SUBMITTED', '2020-05-01T12:00:00Z'))).toMatch(
        /service_request_steps_previous_step_fk/,
      );
      expect(await refusal(database, step(2, 'ACKNOWLEDGED', 'SUBMITTED', '2020-05-01T12:00:00Z'))).toBeNull();
      expect(await refusal(database, step(2, 'IN_PROGRESS', 'ACKNOWLEDGED', '2020-05-01T13:00:00Z'))).toMatch(/service_request_steps_pkey/);
      expect(await refusal(database, sql`update services.service_requests set satisfaction = 6 where id = 'sr-test'`)).toMatch(
        /service_requests_satisfaction_check/,
      );
      const [row] = await database.rows<{ year: number; key: string }>(
        sql`select submitted_year as year, sort_key as key from services.service_requests where id = 'sr-test'`,
      );
      expect(row!.year).toBe(2020);
      expect(row!.key).toMatch(/^\d{15}\/sr-test$/);

      await database.db
        .execute(sql`insert into services.services (id, community_id, kind, name, provider_organisation_id, location, schedule)
        values ('svc-test', 'com-x', 'LEGAL_ADVICE', 'name', 'org-x', 'here', array['WEDNESDAY 14:30-17:30'])`);
      expect(
        await refusal(database, sql`update services.services set schedule = array['Wednesday afternoons'] where id = 'svc-test'`),
      ).toMatch(/services_schedule_check/);
      const evaluation = (id: string, project: string | null, service: string | null) =>
        sql`insert into services.evaluations (id, evaluator_organisation_id, micro_project_id, service_id, evaluated_on, score, report_ref)
          values (${id}, 'org-x', ${project}, ${service}, '2020-12-01', 80, ${`REF-${id}`})`;
      expect(await refusal(database, evaluation('e-1', null, null))).toMatch(/evaluations_subject_check/);
      expect(await refusal(database, evaluation('e-2', 'mp-test', 'svc-test'))).toMatch(/evaluations_subject_check/);
      expect(await refusal(database, evaluation('e-3', 'mp-missing', null))).toMatch(/evaluations_micro_project_id_micro_projects_id_fk/);
      expect(await refusal(database, evaluation('e-4', null, 'svc-test'))).toBeNull();
    });
  });
});

describe('subgraph HTTP service', () => {
  it('answers health and a query over HTTP', async () => {
    await withDatabase(async (database) => {
      const running = await serveSubgraph(servicesSubgraph, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
      const origin = new URL(running.url).origin;
      try {
        expect((await fetch(`${origin}/healthz`)).status).toBe(200);
        expect((await fetch(`${origin}/readyz`)).status).toBe(200);
        const response = await fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await gatewayCredential()) },
          body: JSON.stringify({ query: '{ microProject(id: "mp-none") { id } serviceRequest(id: "sr-none") { id } }' }),
        });
        expect(await response.json()).toEqual({ data: { microProject: null, serviceRequest: null } });
      } finally {
        await running.stop();
      }
    });
  });
});
