import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { developmentToken, readSupergraph, serveGateway, type RunningGateway } from '@gongzhi/gateway';
import { defaultSupergraphPath } from '@gongzhi/gateway/env';
import { prepareDatabase, serveSubgraph, type Database, type SubgraphSettings } from '@gongzhi/kit';
import { createTestDatabase, serveTestSubgraph, testSubgraphSecret, type TestEngine } from '@gongzhi/kit/testing';
import postgres from 'postgres';
import { expect } from 'vitest';
import { subgraphs } from '../scripts/subgraphs.ts';

const root = new URL('..', import.meta.url).pathname;
const adminToken = developmentToken({ role: 'admin' });

/**
 * Where `npm run seed` writes for a test: a fresh database on the server named by DATABASE_URL, or, without
 * one, a fresh folder of embedded databases. Every slice gets its own schema or folder, as in production.
 */
export interface SeedTarget {
  env: NodeJS.ProcessEnv;
  settings(name: string): SubgraphSettings;
  /** True while no slice has been written at all: no schema on the server, no folder embedded. */
  untouched(): Promise<boolean>;
  drop(): Promise<void>;
}

export async function createSeedTarget(): Promise<SeedTarget> {
  const testDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-seed-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  for (const { name } of subgraphs) delete env[`${name.toUpperCase()}_DATABASE_URL`];
  if (testDatabase.url) env.DATABASE_URL = testDatabase.url;
  return {
    env,
    settings: () => ({ port: 0, host: '127.0.0.1', databaseUrl: testDatabase.url, dataDir, poolMax: 8, secret: testSubgraphSecret }),
    untouched: async () => {
      if (!testDatabase.url) return readdirSync(dataDir).length === 0;
      const client = postgres(testDatabase.url, { max: 1, onnotice: () => {} });
      try {
        const names = subgraphs.map((s) => s.name);
        const [row] = await client`select count(*)::int as n from information_schema.schemata where schema_name = any(${names})`;
        return row!.n === 0;
      } finally {
        await client.end({ timeout: 5 });
      }
    },
    drop: async () => {
      await testDatabase.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SeedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run seed -- <args>` as a user would, against the target. */
export function runSeed(target: SeedTarget, args: string[]): Promise<SeedRun> {
  const child = spawn('npm', ['run', '--silent', 'seed', '--', ...args], { cwd: root, env: target.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Opens every slice's seeded database (migrated, never seeded again) and hands it to `use`. */
export async function withSlices<T>(target: SeedTarget, use: (databases: Map<string, Database<any>>) => Promise<T>): Promise<T> {
  const databases = new Map<string, Database<any>>();
  try {
    for (const definition of subgraphs)
      databases.set(definition.name, await prepareDatabase(definition, target.settings(definition.name), { seed: false }));
    return await use(databases);
  } finally {
    for (const database of databases.values()) await database.close();
  }
}

/** An md5 of every row of every table of every slice, in a stable order: equal checksums, equal data. */
export async function tableChecksums(databases: Map<string, Database<any>>): Promise<Record<string, string>> {
  const checksums: Record<string, string> = {};
  for (const [name, database] of databases) {
    const tables = await database.ownerRows<{ table: string }>(
      sql`select quote_ident(table_name) as table from information_schema.tables
           where table_schema = ${name} and table_type = 'BASE TABLE' and table_name <> '__migrations' order by table_name`,
    );
    for (const { table } of tables) {
      const [row] = await database.ownerRows<{ rows: number; md5: string }>(
        sql.raw(
          `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text collate "C"), '')) as md5 from ${name}.${table} t`,
        ),
      );
      checksums[`${name}.${table}`] = `${row!.rows}:${row!.md5}`;
    }
  }
  return checksums;
}

export interface ServedGraph {
  query<T = any>(text: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** The five slices on the target's databases, composed by the gateway. */
export async function serveSeededGraph(target: SeedTarget): Promise<ServedGraph> {
  const running: { stop(): Promise<void> }[] = [];
  const urls: Record<string, string> = {};
  for (const definition of subgraphs) {
    const settings = target.settings(definition.name);
    const database = await prepareDatabase(definition, settings, { seed: false });
    const served = await serveSubgraph(definition, database, settings);
    urls[definition.name] = served.url;
    running.push({ stop: async () => (await served.stop(), await database.close()) });
  }
  const gateway = await serveGateway({
    supergraphSdl: readSupergraph(defaultSupergraphPath),
    subgraphUrls: urls,
    port: 0,
    host: '127.0.0.1',
  });
  return {
    query: async (text, variables = {}) => {
      // As an admin: these tests are about the data; who may see what is test/access.test.ts.
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${await adminToken}` };
      const response = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: text, variables }) });
      const body = (await response.json()) as { data: any; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    },
    stop: async () => {
      await gateway.stop();
      for (const r of running) await r.stop();
    },
  };
}

export type ServedSlice = Awaited<ReturnType<typeof serveTestSubgraph>>;

/** Every slice on its own fresh database seeded at the default scale, composed by a gateway. */
export async function serveTestGraph(
  engine: TestEngine = 'default',
): Promise<{ served: Map<string, ServedSlice>; gateway: RunningGateway; stop(): Promise<void> }> {
  const served = new Map<string, ServedSlice>();
  for (const definition of subgraphs) served.set(definition.name, await serveTestSubgraph(definition, engine));
  const gateway = await serveGateway({
    supergraphSdl: readSupergraph(defaultSupergraphPath),
    subgraphUrls: Object.fromEntries([...served].map(([name, s]) => [name, s.url])),
    port: 0,
    host: '127.0.0.1',
  });
  return {
    served,
    gateway,
    stop: async () => {
      await gateway.stop();
      for (const s of served.values()) await s.stop();
    },
  };
}
