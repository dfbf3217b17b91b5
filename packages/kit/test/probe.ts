import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Caller } from '../src/access.ts';
import type { Database } from '../src/db.ts';
import type { SubgraphDefinition } from '../src/subgraph.ts';

/** The context of the probe subgraph: what every slice's context holds, without loaders. */
export interface ProbeContext {
  database: Database;
  caller: Caller;
}

type Resolver = (parent: unknown, args: Record<string, unknown>, context: ProbeContext) => unknown;

/**
 * A tiny subgraph built the way every slice is (kit's buildSubgraphApollo / serveSubgraph), with the
 * fields a test gives it (Query fields, and Mutation fields if any); the rest is what a slice's SDL must declare.
 */
export function probeSubgraph(
  fields: string,
  resolvers: Record<string, Resolver>,
  mutations?: { fields: string; resolvers: Record<string, Resolver> },
): SubgraphDefinition<Record<string, never>, ProbeContext> {
  const schemaDir = mkdtempSync(join(tmpdir(), 'gongzhi-probe-'));
  writeFileSync(
    join(schemaDir, 'schema.graphql'),
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@shareable", "@inaccessible", "@policy"])

type Query {
${fields}
}
${mutations ? `\ntype Mutation {\n${mutations.fields}\n}\n` : ''}`,
  );
  return {
    name: 'probe',
    defaultPort: 0,
    schemaDir,
    migrationsFolder: schemaDir,
    dbSchema: {},
    resolvers: { Query: resolvers, ...(mutations && { Mutation: mutations.resolvers }) },
    createContext: (database, caller) => ({ database: database as Database, caller }),
  };
}
