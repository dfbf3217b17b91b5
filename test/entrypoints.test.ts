import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayCredential } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** The URL a started service prints when it is ready, and its output so far; rejects if it exits first. */
function readyUrl(child: ChildProcess): Promise<{ url: string; output: () => string }> {
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /ready at (\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        resolve({ url: match[1]!, output: () => output });
      }
    }, 50);
    child.on('exit', () => {
      clearInterval(poll);
      reject(new Error(output));
    });
  });
}

function run(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH!, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('service entry points', () => {
  it('a subgraph with a bad environment names every bad variable and exits non-zero', () => {
    const result = run('subgraphs/organisations/src/index.ts', { ORGANISATIONS_PORT: 'port', DATABASE_URL: 'mysql://x', SEED: 'yes' });
    expect(result.status).toBe(1);
    for (const name of ['ORGANISATIONS_PORT', 'DATABASE_URL', 'SEED']) expect(result.stderr).toContain(name);
  });

  it('the gateway with a bad environment names every bad variable and exits non-zero', () => {
    const result = run('gateway/src/index.ts', { GATEWAY_PORT: '70000', SUBGRAPH_TIMEOUT_MS: '-5' });
    expect(result.status).toBe(1);
    for (const name of ['GATEWAY_PORT', 'SUBGRAPH_TIMEOUT_MS']) expect(result.stderr).toContain(name);
  });

  it('in production the gateway and subgraphs refuse to start without their own secrets', () => {
    const gateway = run('gateway/src/index.ts', { NODE_ENV: 'production' });
    expect(gateway.status).toBe(1);
    expect(gateway.stderr).toContain('SUBGRAPH_SECRET');
    const withSubgraphSecret = run('gateway/src/index.ts', { NODE_ENV: 'production', SUBGRAPH_SECRET: 's'.repeat(40) });
    expect(withSubgraphSecret.status).toBe(1);
    expect(withSubgraphSecret.stderr).toContain('JWT_SECRET, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required in production');
    const subgraph = run('subgraphs/organisations/src/index.ts', { NODE_ENV: 'production' });
    expect(subgraph.status).toBe(1);
    expect(subgraph.stderr).toContain('SUBGRAPH_SECRET');
  });

  it('in production the gateway answers no introspection and shows no stack traces', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/index.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH!,
        NODE_ENV: 'production',
        GATEWAY_PORT: '0',
        SUBGRAPH_SECRET: 's'.repeat(40),
        JWT_SECRET: 'j'.repeat(40),
        ORGANISATIONS_URL: 'http://127.0.0.1:9/graphql',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const { url } = await readyUrl(child);
      const ask = async (query: string) =>
        (await (
          await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
        ).json()) as any;
      const introspection = await ask('{ __schema { types { name } } }');
      expect(introspection.data ?? null).toBeNull();
      expect(introspection.errors[0].message).toMatch(/introspection/i);
      // A subgraph that cannot be reached: an error, without a stack trace.
      const failing = await ask('{ district { name } }');
      expect(failing.errors.length).toBeGreaterThan(0);
      expect(JSON.stringify(failing.errors)).not.toContain('stacktrace');
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('a subgraph finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-drain-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/organisations/src/index.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH!, ORGANISATIONS_PORT: '0', DATA_DIR: dataDir, SEED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const { url, output } = await readyUrl(child);
      const credential = await gatewayCredential();
      const query =
        '{ communities(first: 124) { edges { node { name subdistrict { name } residentsCommittees { name conventions { title } } gridAreas { buildings { name } } } } } }';
      const inFlight = Array.from({ length: 8 }, () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...credential },
          body: JSON.stringify({ query }),
        }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as any,
          at: Date.now(),
        })),
      );
      // The first answer proves the server is working through the batch; the other seven are in flight
      // (the embedded database answers one query at a time).
      await Promise.race(inFlight);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      expect(answers.filter((answer) => answer.at > signalledAt).length).toBeGreaterThan(0);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body.data.communities.edges).toHaveLength(124);
      }
      expect(await exited).toBe(0);
      expect(output()).toContain('SIGTERM received');
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
