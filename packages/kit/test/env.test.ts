import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../src/env.ts';
import { subgraphEnvShape, subgraphSettings } from '../src/subgraph.ts';
import { developmentSubgraphSecret } from '../src/access.ts';

describe('environment validation', () => {
  it('applies defaults when nothing is set', () => {
    const env = parseEnv('organisations', subgraphEnvShape('organisations', 4001), {});
    expect(subgraphSettings('organisations', env, 4001)).toEqual({
      port: 4001,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '.data',
      poolMax: 10,
      statementTimeoutMs: 10_000,
      secret: developmentSubgraphSecret,
    });
  });

  it('refuses to run a subgraph in production without its own SUBGRAPH_SECRET', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => parseEnv('people', subgraphEnvShape('people', 4002), {})).toThrow(/SUBGRAPH_SECRET: required in production/);
      expect(() => parseEnv('people', subgraphEnvShape('people', 4002), { SUBGRAPH_SECRET: 'short' })).toThrow(/SUBGRAPH_SECRET/);
      const env = parseEnv('people', subgraphEnvShape('people', 4002), { SUBGRAPH_SECRET: 'x'.repeat(40) });
      expect(subgraphSettings('people', env, 4002).secret).toBe('x'.repeat(40));
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('prefers the subgraph-specific database URL over the shared one', () => {
    const env = parseEnv('people', subgraphEnvShape('people', 4002), {
      DATABASE_URL: 'postgres://shared/db',
      PEOPLE_DATABASE_URL: 'postgres://own/db',
    });
    expect(subgraphSettings('people', env, 4002).databaseUrl).toBe('postgres://own/db');
    const shared = parseEnv('people', subgraphEnvShape('people', 4002), { DATABASE_URL: 'postgres://shared/db', PEOPLE_DATABASE_URL: '' });
    expect(subgraphSettings('people', shared, 4002).databaseUrl).toBe('postgres://shared/db');
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      parseEnv('organisations', subgraphEnvShape('organisations', 4001), {
        ORGANISATIONS_PORT: 'abc',
        DATABASE_URL: 'mysql://nope',
        DB_POOL_MAX: '0',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const { problems, message } = error as EnvError;
    expect(problems).toHaveLength(3);
    expect(message).toContain('ORGANISATIONS_PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('DB_POOL_MAX');
  });
});
