import { sql } from 'drizzle-orm';
import { openDatabase } from '@gongzhi/kit';
import { createTestDatabase, migrationFiles, type TestDatabase } from '@gongzhi/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../scripts/subgraphs.ts';

/**
 * Every slice migrates into one shared database on a server (as with a single DATABASE_URL), or into its
 * own embedded one (as `npm start` does): either way each keeps to its own schema and migrations table,
 * and migrating again changes nothing.
 */
let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
});
afterAll(async () => {
  await testDatabase?.drop();
});

describe('migrations of every slice', () => {
  it('apply once per slice, each in its own schema with its own migrations table, and are a no-op the second time', async () => {
    const opened = await Promise.all(
      subgraphs.map((definition) =>
        openDatabase({ name: definition.name, schema: definition.dbSchema, url: testDatabase.url, poolMax: 2 }),
      ),
    );
    try {
      for (const pass of [1, 2]) {
        for (const [i, definition] of subgraphs.entries()) await opened[i]!.migrate(definition.migrationsFolder);
        for (const [i, definition] of subgraphs.entries()) {
          const [applied] = await opened[i]!.rows<{ n: number }>(
            sql`select count(*)::int as n from ${sql.identifier(definition.name)}.__migrations`,
          );
          expect(applied!.n, `${definition.name} after pass ${pass}`).toBe(migrationFiles(definition.migrationsFolder));
        }
      }
      const schemasIn = async (database: (typeof opened)[number]) =>
        (
          await database.rows<{ schema: string }>(sql`select distinct table_schema as schema from information_schema.tables
            where table_schema not in ('pg_catalog', 'information_schema') order by 1`)
        ).map((row) => row.schema);
      if (testDatabase.url) expect(await schemasIn(opened[0]!)).toEqual(subgraphs.map((s) => s.name).sort());
      else for (const [i, definition] of subgraphs.entries()) expect(await schemasIn(opened[i]!)).toEqual([definition.name]);
      for (const [i, definition] of subgraphs.entries()) {
        const [owned] = await opened[i]!.rows<{ n: number }>(
          sql`select count(*)::int as n from information_schema.tables where table_schema = ${definition.name} and table_name <> '__migrations'`,
        );
        expect(owned!.n, `${definition.name} owns tables`).toBeGreaterThan(3);
      }
    } finally {
      await Promise.all(opened.map((database) => database.close()));
    }
  }, 120_000);
});
