import { performance } from 'node:perf_hooks';
import { gatewayOptionsFromEnv, readSupergraph, serveGateway, tokenSettingsOrExit } from '@gongzhi/gateway';
import { gatewayEnvShape } from '@gongzhi/gateway/env';
import {
  datasetChoice,
  loadEnvOrExit,
  prepareDatabase,
  serveSubgraph,
  stopOnSignals,
  subgraphSettings,
  subgraphsEnvShape,
} from '@gongzhi/kit';
import { subgraphs } from './subgraphs.ts';

/**
 * `npm start`: the whole community graph in one process. Each subgraph gets its own database (embedded
 * PostgreSQL under DATA_DIR/<name> unless a URL is configured), migrated and seeded on first start, and
 * its own port; the gateway composes them at GATEWAY_PORT.
 */
const started = performance.now();
// One validation for the whole process, so every bad variable is reported at once.
const env = loadEnvOrExit('start', { ...subgraphsEnvShape(subgraphs), ...gatewayEnvShape });

const prepared = await Promise.all(
  subgraphs.map(async (definition) => {
    const settings = subgraphSettings(definition.name, env, definition.defaultPort);
    const database = await prepareDatabase(definition, settings, { seed: datasetChoice(env) });
    const running = await serveSubgraph(definition, database, settings);
    console.log(
      `  ${definition.name.padEnd(14)} ${running.url} (${database.driver === 'pglite' ? `embedded, ${settings.dataDir}/${definition.name}` : 'PostgreSQL server'})`,
    );
    return { database, running };
  }),
);

const gateway = await serveGateway({
  ...gatewayOptionsFromEnv(env, readSupergraph(env.SUPERGRAPH_PATH), await tokenSettingsOrExit(env)),
  // The subgraphs of this process, wherever their ports ended up (`<NAME>_URL` names others elsewhere).
  subgraphUrls: Object.fromEntries(prepared.map(({ running }) => [running.name, running.url])),
});

console.log(`Gongzhi community graph ready at ${gateway.url} (started in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`  try: curl -s ${gateway.url} -H 'content-type: application/json' \\
         -d '{"query":"{ district { name subdistricts { name communities { totalCount } } } }"}'`);
console.log('  Ctrl-C stops it; the data stays for the next start.');

stopOnSignals(async () => {
  await gateway.stop();
  await Promise.all(prepared.map(({ running }) => running.stop()));
  await Promise.all(prepared.map(({ database }) => database.close()));
  console.log('Gongzhi stopped: in-flight requests finished, databases closed.');
});
