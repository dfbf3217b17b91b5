import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

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
});
