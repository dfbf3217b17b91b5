import { referenceDataset } from '@gongzhi/dataset';
import { openDatabase } from '@gongzhi/kit';
import { createTestDatabase, migrationFiles, type TestDatabase } from '@gongzhi/kit/testing';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as t from '../src/db/schema.ts';
import { seedPeople } from '../src/db/seed.ts';
import { peopleSubgraph } from '../src/server.ts';

let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
});
afterAll(async () => {
  await testDatabase?.drop();
});

const open = () => openDatabase({ name: 'people', schema: peopleSubgraph.dbSchema, url: testDatabase.url, poolMax: 2 });
const byId = <T extends { id: string }>(records: readonly T[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('migrations', () => {
  it('apply once, keep their own table in the slice schema, and are a no-op the second time', async () => {
    const database = await open();
    try {
      await database.migrate(peopleSubgraph.migrationsFolder);
      await database.migrate(peopleSubgraph.migrationsFolder);
      const applied = await database.rows<{ n: number }>(sql`select count(*)::int as n from people.__migrations`);
      expect(applied[0]!.n).toBe(migrationFiles(peopleSubgraph.migrationsFolder));
      const schemas = (await database.rows<{ schema: string }>(sql`select distinct table_schema as schema from information_schema.tables
          where table_schema not in ('pg_catalog', 'information_schema')`)).map((row) => row.schema);
      expect(schemas).toEqual(['people']);
    } finally {
      await database.close();
    }
  });
});

describe('seed', () => {
  it('loads the reference dataset exactly, once, so restarts never duplicate data', async () => {
    const database = await open();
    try {
      await database.migrate(peopleSubgraph.migrationsFolder);
      const started = performance.now();
      expect(await seedPeople(database)).toBe(true);
      console.log(`people seed on ${database.driver}: ${Math.round(performance.now() - started)} ms`);
      expect(await seedPeople(database)).toBe(false);

      const { people, elections } = referenceDataset();
      const { db } = database;
      expect(await db.select().from(t.persons).orderBy(asc(t.persons.id))).toEqual(byId(people.persons));
      expect(await db.select().from(t.memberships).orderBy(asc(t.memberships.id))).toEqual(
        byId([...people.memberships, ...elections.committeeMemberships]),
      );
      expect(await db.select().from(t.workers).orderBy(asc(t.workers.id))).toEqual(byId(people.workers));
      expect(await db.select().from(t.trainings).orderBy(asc(t.trainings.id))).toEqual(byId(people.trainings));
      expect(await db.select().from(t.evaluations).orderBy(asc(t.evaluations.id))).toEqual(byId(people.evaluations));
      expect(await db.select().from(t.volunteers).orderBy(asc(t.volunteers.id))).toEqual(byId(people.volunteers));
      expect(await db.select().from(t.deputies).orderBy(asc(t.deputies.id))).toEqual(byId(people.deputies));
      const counts = await db.select().from(t.populationCounts).orderBy(asc(t.populationCounts.communityId), asc(t.populationCounts.year));
      expect(counts).toEqual(
        [...people.populationCounts]
          .sort((a, b) => (a.communityId < b.communityId ? -1 : a.communityId > b.communityId ? 1 : a.year - b.year))
          .map((count) => expect.objectContaining(count)),
      );
      expect(people.persons).toHaveLength(57_300);
      expect(elections.committeeMemberships.filter((m) => m.validTo !== null)).toHaveLength(49);
    } finally {
      await database.close();
    }
  });
});
