import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCaller, type Caller } from '../src/access.ts';
import { readAuditLog } from '../src/audit.ts';
import { openDatabase, type Database } from '../src/db.ts';
import { InputError, problem, runMutation } from '../src/mutations.ts';
import { createTestDatabase, refusalOf, testEngines, type TestDatabase } from '../src/testing.ts';
import { appRole, appRoleSql, writeTables } from '../src/write-tables.ts';

const slice = 'writecheck';
const tables = writeTables(pgSchema(slice));
const staff: Caller = { ...adminCaller, role: 'staff', subject: 'clerk-1' };

/**
 * A new slice's migrations, the way a slice is told to write them: drizzle-kit's SQL for the tables its
 * schema.ts declares (here only the write tables), then a custom migration holding appRoleSql.
 */
async function newSliceMigrations(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'gongzhi-writes-'));
  const empty = generateDrizzleJson({});
  const created = await generateMigration(empty, generateDrizzleJson({ ...tables }, empty.id, [slice]));
  const migrations = [
    `CREATE SCHEMA IF NOT EXISTS "${slice}";\n--> statement-breakpoint\n${created.join('\n--> statement-breakpoint\n')}`,
    appRoleSql(slice),
  ];
  mkdirSync(join(folder, 'meta'));
  const entries = migrations.map((text, idx) => {
    const tag = `000${idx}_step`;
    writeFileSync(join(folder, `${tag}.sql`), text);
    return { idx, version: '7', when: 1_700_000_000_000 + idx, tag, breakpoints: true };
  });
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
  return folder;
}

describe('appRoleSql', () => {
  it('states what every slice’s applied migrations hold, statement for statement', () => {
    const slices = new URL('../../../subgraphs/', import.meta.url);
    const names = readdirSync(slices).sort();
    expect(names).toEqual(['elections', 'funding', 'organisations', 'people', 'services']);
    const normal = (text: string) =>
      text
        .replace(/--[^\n]*\n/g, '\n')
        .replace(/\s+/g, ' ')
        .trim();
    for (const name of names) {
      const folder = new URL(`${name}/src/db/migrations/`, slices);
      const applied = readdirSync(folder)
        .filter((file) => file.endsWith('.sql'))
        .flatMap((file) => readFileSync(new URL(file, folder), 'utf8').split('--> statement-breakpoint'))
        .map(normal);
      for (const statement of appRoleSql(name).split('--> statement-breakpoint').map(normal)) expect(applied, name).toContain(statement);
    }
  });
});

describe.each(testEngines())('the write path on $name', ({ engine }) => {
  let testDatabase: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    database = await openDatabase({ name: slice, schema: {}, url: testDatabase.url, poolMax: 4, appRole });
    await database.migrate(await newSliceMigrations());
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const create = (key: string, work: () => Promise<string>) =>
    runMutation(database.db, { schema: slice, operation: 'createThing', caller: staff, idempotencyKey: key }, async ({ tx, audit }) => {
      const id = await work();
      // The key's row was claimed in this transaction: something to read the session from.
      const [claims] = await tx
        .select({ role: sql<string>`current_setting('gongzhi.role')`, who: sql<string>`current_user` })
        .from(tables.idempotencyKeys)
        .limit(1);
      await audit({ entityType: 'Thing', entityId: id, operation: 'createThing', before: null, after: { id, claims } });
      return id;
    });

  it('runs as the app role with the caller’s claims, and a retry answers the first result without running again', async () => {
    let runs = 0;
    const first = await create('k-1', async () => `thing-${++runs}`);
    expect(first).toEqual({ ok: true, value: 'thing-1', replayed: false });
    const retries = await Promise.all(Array.from({ length: 10 }, () => create('k-1', async () => `thing-${++runs}`)));
    expect(retries).toEqual(Array.from({ length: 10 }, () => ({ ok: true, value: 'thing-1', replayed: true })));
    expect(runs).toBe(1);
    const page = await readAuditLog(database, slice, adminCaller, { entityId: 'thing-1' });
    expect(page.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        entityType: 'Thing',
        entityId: 'thing-1',
        operation: 'createThing',
        actorRole: 'staff',
        actor: 'clerk-1',
        before: null,
      }),
    ]);
    expect(JSON.parse(page.edges[0]!.node.after!)).toEqual({ id: 'thing-1', claims: { role: 'staff', who: appRole } });
    expect(page.edges[0]!.node.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('stores a missing side as JSON null, and a refusal leaves neither a key nor an entry', async () => {
    const refused = await create('k-2', async () => {
      throw new InputError([problem(['name'], 'REQUIRED', 'cannot be blank')]);
    });
    expect(refused).toEqual({ ok: false, problems: [problem(['name'], 'REQUIRED', 'cannot be blank')] });
    const [counts] = await database.ownerRows<{ keys: number; entries: number; nulls: number }>(sql`select
      (select count(*)::int from ${tables.idempotencyKeys} where ${tables.idempotencyKeys.key} = 'k-2') as keys,
      (select count(*)::int from ${tables.auditLog}) as entries,
      (select count(*)::int from ${tables.auditLog} where jsonb_typeof(${tables.auditLog.before}) = 'null') as nulls`);
    expect(counts).toEqual({ keys: 0, entries: 1, nulls: 1 });
  });

  it('keeps the audit log append-only for the app role, and the migrations table out of its reach', async () => {
    const asApp = (statement: ReturnType<typeof sql>) => refusalOf(() => database.rows(statement));
    expect(await asApp(sql`update ${tables.auditLog} set actor = 'someone else'`)).toMatch(/permission denied/);
    expect(await asApp(sql`delete from ${tables.auditLog}`)).toMatch(/permission denied/);
    expect(await asApp(sql`select count(*) from ${sql.identifier(slice)}.__migrations`)).toMatch(/permission denied/);
  });
});
