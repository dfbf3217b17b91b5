import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gatewayEnvShape } from '@gongzhi/gateway/env';
import { subgraphsOf } from '@gongzhi/gateway';
import { subgraphEnvShape } from '@gongzhi/kit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { supergraphPath } from '../scripts/compose.ts';
import { subgraphs } from '../scripts/subgraphs.ts';

/**
 * docker-compose.yml is for users with a Docker engine; this machine has none, so its truth is kept by
 * reading it: every service the code has is there, with the variables the code reads and nothing else.
 */
const root = new URL('..', import.meta.url).pathname;
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true });
const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
const rootPackage = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const services: Record<string, any> = compose.services;
const generic = new Set(['NODE_ENV']);

function commandPath(service: any): string {
  const command: string[] = [...(service.entrypoint ?? []), ...service.command];
  return command.find((part) => part.endsWith('.ts'))!;
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL with a health check that the subgraphs wait for', () => {
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  for (const subgraph of subgraphs) {
    describe(`subgraph ${subgraph.name}`, () => {
      const service = services[subgraph.name];
      const prefix = subgraph.name.toUpperCase();

      it('is a service started from its own entry point, after PostgreSQL is healthy', () => {
        expect(service).toBeDefined();
        expect(existsSync(`${root}${commandPath(service)}`)).toBe(true);
        expect(commandPath(service)).toBe(`subgraphs/${subgraph.name}/src/index.ts`);
        expect(service.depends_on.postgres.condition).toBe('service_healthy');
      });

      it('is not published to the host', () => {
        expect(service.ports).toBeUndefined();
        expect(service.expose).toEqual([String(subgraph.defaultPort)]);
      });

      it('sets only variables the subgraph reads, including where to listen and its database', () => {
        const read = new Set(Object.keys(subgraphEnvShape(subgraph.name, subgraph.defaultPort)));
        const set = Object.keys(service.environment);
        expect(set.filter((name) => !read.has(name) && !generic.has(name))).toEqual([]);
        expect(service.environment[`${prefix}_HOST`]).toBe('0.0.0.0');
        expect(service.environment[`${prefix}_PORT`]).toBe(String(subgraph.defaultPort));
        expect(service.environment[`${prefix}_DATABASE_URL`] ?? service.environment.DATABASE_URL).toMatch(
          /^postgres:\/\/.+@postgres:5432\//,
        );
      });

      it('has a readiness health check on its own port', () => {
        expect(service.healthcheck.test.join(' ')).toContain(`:${subgraph.defaultPort}/readyz`);
      });
    });
  }

  it('publishes the gateway on 4000, pointing at every subgraph of the supergraph', () => {
    const gateway = services.gateway;
    expect(gateway.ports).toEqual(['4000:4000']);
    expect(commandPath(gateway)).toBe('gateway/src/index.ts');
    const inSupergraph = Object.keys(subgraphsOf(readFileSync(supergraphPath, 'utf8')));
    expect(inSupergraph.sort()).toEqual(subgraphs.map((s) => s.name).sort());
    const read = new Set([...Object.keys(gatewayEnvShape), ...inSupergraph.map((name) => `${name.toUpperCase()}_URL`)]);
    expect(Object.keys(gateway.environment).filter((name) => !read.has(name) && !generic.has(name))).toEqual([]);
    expect(gateway.environment.GATEWAY_HOST).toBe('0.0.0.0');
    expect(existsSync(`${root}${gateway.environment.SUPERGRAPH_PATH}`)).toBe(true);
    for (const subgraph of subgraphs) {
      expect(gateway.environment[`${subgraph.name.toUpperCase()}_URL`]).toBe(`http://${subgraph.name}:${subgraph.defaultPort}/graphql`);
      expect(gateway.depends_on[subgraph.name].condition).toBe('service_healthy');
    }
  });

  it('seeds the full district on demand only (profile seed), into the database the subgraphs use', () => {
    const seed = services.seed;
    expect(seed.profiles).toEqual(['seed']);
    expect(commandPath(seed)).toBe('scripts/seed.ts');
    expect(existsSync(`${root}${commandPath(seed)}`)).toBe(true);
    expect(seed.command).toEqual(['--scale', '1']);
    expect(seed.depends_on.postgres.condition).toBe('service_healthy');
    const read = new Set(subgraphs.flatMap((s) => Object.keys(subgraphEnvShape(s.name, s.defaultPort))));
    expect(Object.keys(seed.environment).filter((name) => !read.has(name) && !generic.has(name))).toEqual([]);
    for (const subgraph of subgraphs) {
      const own = services[subgraph.name].environment;
      expect(own[`${subgraph.name.toUpperCase()}_DATABASE_URL`] ?? own.DATABASE_URL).toBe(seed.environment.DATABASE_URL);
    }
  });

  it('makes the gateway and every subgraph share a SUBGRAPH_SECRET the user must set, and verify callers’ tokens', () => {
    const secrets = ['gateway', ...subgraphs.map((s) => s.name)].map((name) => services[name].environment.SUBGRAPH_SECRET);
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^\$\{SUBGRAPH_SECRET:\?.+\}$/);
    expect(services.gateway.environment.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?.+\}$/);
  });

  it('builds from a Dockerfile that installs every workspace', () => {
    const workspaces: string[] = rootPackage.workspaces;
    const manifests = workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdir(pattern.slice(0, -2)).map((name) => `${pattern.slice(0, -2)}/${name}/package.json`)
        : [`${pattern}/package.json`],
    );
    for (const manifest of manifests) expect(dockerfile, `Dockerfile must copy ${manifest}`).toContain(`COPY ${manifest}`);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(rootPackage.dependencies.tsx, 'tsx runs the services, so it must survive --omit=dev').toBeDefined();
  });
});

function readdir(folder: string): string[] {
  return readdirSync(`${root}${folder}`).filter((name) => existsSync(`${root}${folder}/${name}/package.json`));
}
