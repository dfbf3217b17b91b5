import { fileURLToPath } from 'node:url';
import { envVars, subgraphSecretVar, z } from '@gongzhi/kit';
import { tokenEnvShape } from './tokens.ts';

/** The committed supergraph, wherever the gateway is started from. */
export const defaultSupergraphPath = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** Every variable the gateway reads, with its default; subgraph URLs are read by `subgraphUrlsFromEnv`. */
export const gatewayEnvShape = {
  GATEWAY_PORT: envVars.port(4000),
  GATEWAY_HOST: envVars.host('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().min(1).default(defaultSupergraphPath),
  SUBGRAPH_TIMEOUT_MS: envVars.positiveInt(10_000),
  SUBGRAPH_MAX_SOCKETS: envVars.positiveInt(128),
  MAX_QUERY_DEPTH: envVars.positiveInt(15),
  /** Signs the verified caller into every subgraph request; the subgraphs check it. */
  SUBGRAPH_SECRET: subgraphSecretVar(),
  /** Behind a reverse proxy, `true` takes the client's address from X-Forwarded-For. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  ...tokenEnvShape,
};

/** `<NAME>_URL` overrides the URL the supergraph records for subgraph `name` (e.g. ORGANISATIONS_URL). */
export function subgraphUrlsFromEnv(names: readonly string[], source: Record<string, string | undefined> = process.env): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of names) {
    const value = source[`${name.toUpperCase()}_URL`];
    if (value) urls[name] = value;
  }
  return urls;
}
