import { loadEnvOrExit, stopOnSignals } from '@gongzhi/kit';
import { gatewayEnvShape } from './env.ts';
import { gatewayOptionsFromEnv, readSupergraph, serveGateway, tokenSettingsOrExit } from './server.ts';

const env = loadEnvOrExit('gateway', gatewayEnvShape);
const gateway = await serveGateway(gatewayOptionsFromEnv(env, readSupergraph(env.SUPERGRAPH_PATH), await tokenSettingsOrExit(env)));
console.log(`gateway ready at ${gateway.url}`);
stopOnSignals(gateway.stop);
