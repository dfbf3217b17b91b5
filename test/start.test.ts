import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../scripts/subgraphs.ts';

const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-start-'));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `npm start` as a user runs it, on embedded PostgreSQL (no database URL) and free ports. */
function npmStart(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_PORT: '0', DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  for (const { name } of subgraphs) {
    env[`${name.toUpperCase()}_PORT`] = '0';
    delete env[`${name.toUpperCase()}_DATABASE_URL`];
  }
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in time:\n${output}`)), 90_000);
    const poll = setInterval(() => {
      const match = /community graph ready at (\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/** Ctrl-C: SIGINT to the whole process group, then wait until every process of it is gone. */
async function ctrlC({ child }: Started): Promise<void> {
  // 'close' comes once every process holding the output pipes has exited and all output has been read.
  const closed = new Promise((resolve) => child.on('close', resolve));
  process.kill(-child.pid!, 'SIGINT');
  await closed;
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('processes of npm start outlived Ctrl-C');
}

async function query(url: string, text: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { data: any; errors?: unknown[] };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start on embedded PostgreSQL', () => {
  it('serves the seeded district, keeps its data across a restart and stops cleanly on Ctrl-C', async () => {
    const first = await npmStart();
    let organisationCount: number;
    try {
      expect(first.output()).toMatch(/organisations\s+http:\/\/127\.0\.0\.1:\d+\/graphql \(embedded/);
      const { data, errors } = await query(first.url, '{ district { name subdistricts { name communities { totalCount } } } organisations { totalCount } }');
      expect(errors).toBeUndefined();
      expect(data.district.subdistricts).toHaveLength(10);
      expect(data.district.subdistricts.reduce((sum: number, s: any) => sum + s.communities.totalCount, 0)).toBe(124);
      organisationCount = data.organisations.totalCount;
      expect(organisationCount).toBeGreaterThan(124 * 3);
    } finally {
      await ctrlC(first);
    }
    expect(first.output()).toContain('Gongzhi stopped');

    const second = await npmStart();
    try {
      const { data } = await query(second.url, '{ organisations { totalCount } communities { totalCount } }');
      expect(data.organisations.totalCount).toBe(organisationCount);
      expect(data.communities.totalCount).toBe(124);
    } finally {
      await ctrlC(second);
    }
    expect(second.output()).toContain('Gongzhi stopped');
  }, 240_000);
});
