import { sql } from 'drizzle-orm';
import { seedIfEmpty, serveSubgraph } from '@gongzhi/kit';
import { gatewayCredential, refusalOf, testSubgraphSecret, useFreshDatabase } from '@gongzhi/kit/testing';
import { referenceDataset } from '@gongzhi/dataset';
import { describe, expect, it } from 'vitest';
import { electionsSubgraph } from '../src/server.ts';
import { electionsSeed } from '../src/db/seed.ts';

const { open } = useFreshDatabase(electionsSubgraph);

describe('seed', () => {
  it('loads the reference dataset into an empty slice only, so restarts never duplicate data', async () => {
    const database = await open();
    try {
      await database.migrate(electionsSubgraph.migrationsFolder);
      referenceDataset(); // built once per process; time the load, not the generator
      const started = performance.now();
      expect(await seedIfEmpty(database, electionsSeed, {})).toBe(true);
      const seconds = (performance.now() - started) / 1000;
      console.log(`elections seed on ${database.driver}: ${seconds.toFixed(2)} s`);
      expect(await seedIfEmpty(database, electionsSeed, {})).toBe(false);
      const data = referenceDataset().elections;
      const counts = (
        await database.rows<Record<string, number>>(sql`select
          (select count(*)::int from elections.elections) as elections,
          (select count(*)::int from elections.voter_registrations) as registrations,
          (select count(*)::int from elections.candidacies) as candidacies,
          (select count(*)::int from elections.matters) as matters,
          (select count(*)::int from elections.matter_stages) as stages,
          (select count(*)::int from elections.meetings) as meetings,
          (select count(*)::int from elections.motions) as motions`)
      )[0]!;
      expect(counts).toEqual({
        elections: data.elections.length,
        registrations: data.registrations.length,
        candidacies: data.candidacies.length,
        matters: data.matters.length,
        stages: data.matterStages.length,
        meetings: data.meetings.length,
        motions: data.motions.length,
      });
    } finally {
      await database.close();
    }
  });
});

describe('the database keeps the rules of the model', () => {
  const refusal = (database: Awaited<ReturnType<typeof open>>, statement: ReturnType<typeof sql>) =>
    refusalOf(() => database.db.execute(statement));

  it('refuses a skipped 四议两公开 stage and a stage taken twice', async () => {
    const database = await open();
    try {
      await database.migrate(electionsSubgraph.migrationsFolder);
      await database.db.execute(sql`insert into elections.matters values ('mat-test', 'com-x', 'rc-x', 'title', 'summary')`);
      const stage = (id: string, stage: string, heldOn: string) =>
        sql`insert into elections.matter_stages (id, matter_id, stage, held_on, body, minutes_ref)
          values (${id}, 'mat-test', ${stage}, ${heldOn}, 'body', ${`MIN-${id}`})`;
      expect(await refusal(database, stage('st-1', 'PROPOSED', '2019-01-01'))).toBeNull();
      expect(await refusal(database, stage('st-3', 'REVIEWED', '2019-01-09'))).toMatch(/matter_stages_previous_stage_fk/);
      expect(await refusal(database, stage('st-1b', 'PROPOSED', '2019-01-02'))).toMatch(/matter_stages_matter_stage_unique/);
      expect(await refusal(database, stage('st-2', 'DISCUSSED', '2019-01-05'))).toBeNull();
      expect(await refusal(database, stage('st-3', 'REVIEWED', '2019-01-09'))).toBeNull();
    } finally {
      await database.close();
    }
  });

  it('refuses a second registration of one person in one election, and a count or certificate before the count', async () => {
    const database = await open();
    try {
      await database.migrate(electionsSubgraph.migrationsFolder);
      await database.db.execute(sql`insert into elections.elections
        (id, residents_committee_id, community_id, subdistrict_id, type, differential, seats, announced_on, held_on, report_status)
        values ('el-test', 'rc-x', 'com-x', 'sd-x', 'GENERAL', true, 5, '2020-03-01', '2020-04-15', 'PRE_ELECTION')`);
      await database.db.execute(
        sql`insert into elections.voter_registrations values ('vr-test-1', 'el-test', 'per-1', 'LOCAL', '2020-03-02')`,
      );
      expect(
        await refusal(
          database,
          sql`insert into elections.voter_registrations values ('vr-test-2', 'el-test', 'per-1', 'NON_LOCAL', '2020-03-03')`,
        ),
      ).toMatch(/voter_registrations_election_person_unique/);
      expect(
        await refusal(
          database,
          sql`update elections.elections set participated = 1, ballots_cast = 1, ballots_rejected = 0 where id = 'el-test'`,
        ),
      ).toMatch(/elections_count_check/);
      expect(await refusal(database, sql`update elections.elections set report_status = 'CERTIFIED' where id = 'el-test'`)).toMatch(
        /elections_certified_check/,
      );
      expect(
        await refusal(
          database,
          sql`update elections.elections set report_status = 'UNOFFICIAL', participated = 1, ballots_cast = 1, ballots_rejected = 0 where id = 'el-test'`,
        ),
      ).toBeNull();
    } finally {
      await database.close();
    }
  });
});

describe('subgraph HTTP service', () => {
  it('answers health and a query over HTTP', async () => {
    const database = await open();
    await database.migrate(electionsSubgraph.migrationsFolder);
    const running = await serveSubgraph(electionsSubgraph, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
    const origin = new URL(running.url).origin;
    try {
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await gatewayCredential()) },
        body: JSON.stringify({ query: '{ election(id: "el-none") { id } }' }),
      });
      expect(await response.json()).toEqual({ data: { election: null } });
    } finally {
      await running.stop();
      await database.close();
    }
  });
});
