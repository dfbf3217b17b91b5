import { loadEnvOrExit, stopOnSignals } from '@gongzhi/kit';
import { gatewayEnvShape, subgraphUrlsFromEnv } from './env.ts';
import { readSupergraph, serveGateway, subgraphsOf, tokenSettingsOrExit } from './server.ts';

const env = loadEnvOrExit('gateway', gatewayEnvShape);
const supergraphSdl = readSupergraph(env.SUPERGRAPH_PATH);
const gateway = await serveGateway({
  supergraphSdl,
  subgraphUrls: subgraphUrlsFromEnv(Object.keys(subgraphsOf(supergraphSdl))),
  timeoutMs: env.SUBGRAPH_TIMEOUT_MS,
  maxSockets: env.SUBGRAPH_MAX_SOCKETS,
  maxDepth: env.MAX_QUERY_DEPTH,
  tokens: await tokenSettingsOrExit(env),
  subgraphSecret: env.SUBGRAPH_SECRET,
  trustProxy: env.TRUST_PROXY === 'true',
  port: env.GATEWAY_PORT,
  host: env.GATEWAY_HOST,
});
console.log(`gateway ready at ${gateway.url}`);
stopOnSignals(gateway.stop);
