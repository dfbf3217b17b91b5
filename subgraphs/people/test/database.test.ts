import { referenceDataset } from '@gongzhi/dataset';
import { seedIfEmpty } from '@gongzhi/kit';
import { useFreshDatabase } from '@gongzhi/kit/testing';
import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as t from '../src/db/schema.ts';
import { peopleSeed } from '../src/db/seed.ts';
import { peopleSubgraph } from '../src/server.ts';

const { open } = useFreshDatabase(peopleSubgraph);
const byId = <T extends { id: string }>(records: readonly T[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('seed', () => {
  it('loads the reference dataset exactly, once, so restarts never duplicate data', async () => {
    const database = await open();
    try {
      await database.migrate(peopleSubgraph.migrationsFolder);
      const started = performance.now();
      expect(await seedIfEmpty(database, peopleSeed, {})).toBe(true);
      console.log(`people seed on ${database.driver}: ${Math.round(performance.now() - started)} ms`);
      expect(await seedIfEmpty(database, peopleSeed, {})).toBe(false);

      const { people, elections } = referenceDataset();
      const { db } = database;
      // Rows a mutation may update start at version 1; no membership of the dataset records why it ended.
      expect(await db.select().from(t.persons).orderBy(asc(t.persons.id))).toEqual(
        byId([...people.residents.rows()]).map((row) => ({ ...row, version: 1 })),
      );
      expect(await db.select().from(t.memberships).orderBy(asc(t.memberships.id))).toEqual(
        byId([...people.memberships, ...elections.committeeMemberships]).map((row) => ({ ...row, endReason: null, version: 1 })),
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
      expect(people.residents.count).toBe(57_300);
      expect(elections.committeeMemberships.filter((m) => m.validTo !== null)).toHaveLength(49);
    } finally {
      await database.close();
    }
    // Seeding and reading back 57,300 residents twice over takes half a minute on a busy machine.
  }, 120_000);
});
