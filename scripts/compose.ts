import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { auditSubgraphName, auditTypeDefs } from '@gongzhi/gateway';
import { loadTypeDefs } from '@gongzhi/kit';
import { subgraphs } from './subgraphs.ts';

export const supergraphPath = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));

export interface Composition {
  supergraphSdl: string;
  /** Composition hints, as "CODE: message"; the committed supergraph is composed with none. */
  hints: string[];
}

/** Composes the subgraph SDLs (the same files the subgraphs serve) into the supergraph. */
export function composeSupergraph(): Composition {
  const result = composeServices([
    ...subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: `http://127.0.0.1:${subgraph.defaultPort}/graphql`,
      typeDefs: loadTypeDefs(subgraph.schemaDir),
    })),
    // Served inside the gateway (its URL is never called): `auditLog` across the slices' audit logs.
    { name: auditSubgraphName, url: 'http://127.0.0.1:4000/audit', typeDefs: auditTypeDefs() },
  ]);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return {
    supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
    hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { supergraphSdl, hints } = composeSupergraph();
  for (const hint of hints) console.warn(`hint ${hint}`);
  writeFileSync(supergraphPath, supergraphSdl);
  console.log(
    `wrote ${supergraphPath} (${subgraphs.length} subgraphs and the gateway's audit log${hints.length ? `, ${hints.length} hints` : ''})`,
  );
  if (hints.length > 0) process.exitCode = 1;
}
