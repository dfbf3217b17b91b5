import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { defaultScale, defaultSeed, referenceDataset } from '@gongzhi/dataset';
import type { LoadProgress } from '@gongzhi/kit';
import { datasetEnvShape, loadEnvOrExit, parseEnv, prepareDatabase, subgraphSettings, subgraphsEnvShape, EnvError } from '@gongzhi/kit';
import { subgraphs } from './subgraphs.ts';

/**
 * `npm run seed -- --scale <s> [--seed <n>]`: replaces the data of every slice with the reference dataset
 * of that scale and seed. Each slice is written through its own connection (its <NAME>_DATABASE_URL,
 * else DATABASE_URL, else embedded PostgreSQL under DATA_DIR/<name>), all five at once; each in one
 * transaction, so a slice holds either its old data or the whole new dataset.
 */
const usage = 'usage: npm run seed -- [--scale <0 < s <= 1>] [--seed <integer >= 0>]';
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1).padStart(6);

let values: { scale?: string | undefined; seed?: string | undefined };
try {
  ({ values } = parseArgs({ options: { scale: { type: 'string' }, seed: { type: 'string' } }, strict: true }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(1);
}
let arguments_: { DATASET_SCALE?: number | undefined; DATASET_SEED?: number | undefined };
try {
  arguments_ = parseEnv('seed', datasetEnvShape, { DATASET_SCALE: values.scale, DATASET_SEED: values.seed });
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(
    `${error.problems.map((p) => p.replace('DATASET_SCALE', '--scale').replace('DATASET_SEED', '--seed')).join('\n')}\n${usage}`,
  );
  process.exit(1);
}
const choice = { scale: arguments_.DATASET_SCALE ?? defaultScale, seed: arguments_.DATASET_SEED ?? defaultSeed };
const env = loadEnvOrExit('seed', subgraphsEnvShape(subgraphs));

console.log(`Seeding the reference dataset at scale ${choice.scale} with seed ${choice.seed}`);
const dataset = referenceDataset(choice);
console.log(
  `[${seconds()} s] dataset built: ${dataset.people.residents.count.toLocaleString('en')} residents, ` +
    `${dataset.structure.communities.length} communities (rows of the largest tables are generated while they are written)`,
);

const numbers = (n: number) => n.toLocaleString('en');
const report = (slice: string) => (progress: LoadProgress) => {
  const rate = progress.elapsedMs > 0 ? Math.round((progress.rows * 1000) / progress.elapsedMs) : 0;
  const of = progress.expected !== undefined ? ` / ${numbers(progress.expected)}` : '';
  const step = progress.step.includes('.') ? progress.step : `${slice} ${progress.step}`;
  if (progress.done) {
    if (progress.rows > 0)
      console.log(
        `[${seconds()} s] ${step.padEnd(34)} ${numbers(progress.rows).padStart(10)} done in ${(progress.elapsedMs / 1000).toFixed(1)} s`,
      );
  } else console.log(`[${seconds()} s] ${step.padEnd(34)} ${numbers(progress.rows).padStart(10)}${of} (${numbers(rate)}/s)`);
};

/** A connection that could not be opened in time: nothing was written, so the slice can simply try again. */
const couldNotConnect = (error: unknown) => ['CONNECT_TIMEOUT', 'ECONNREFUSED'].includes((error as { code?: string }).code ?? '');
const attempts = 3;

const results = await Promise.allSettled(
  subgraphs.map(async (definition) => {
    if (!definition.seed) return;
    const seed = definition.seed;
    const settings = subgraphSettings(definition.name, env, definition.defaultPort);
    // While one slice builds its indexes, a busy server can take longer than the connect timeout to let
    // another slice in; that slice waits and tries again rather than losing the whole run.
    for (let attempt = 1; ; attempt++) {
      try {
        const database = await prepareDatabase(definition, settings, { seed: false });
        try {
          const counts = await database.replaceAll(seed.loads(choice), { onProgress: report(definition.name) });
          const rows = Object.values(counts).reduce((a, b) => a + b, 0);
          console.log(
            `[${seconds()} s] ${definition.name} committed: ${numbers(rows)} rows in ${Object.keys(counts).length} tables (${database.driver})`,
          );
          return;
        } finally {
          await database.close();
        }
      } catch (error) {
        if (!couldNotConnect(error) || attempt === attempts) throw error;
        console.log(`[${seconds()} s] ${definition.name}: ${(error as Error).message}; trying again (${attempt + 1} of ${attempts})`);
        await new Promise((resolve) => setTimeout(resolve, 5_000 * attempt));
      }
    }
  }),
);
const failed = results.flatMap((result, i) =>
  result.status === 'rejected' ? [`${subgraphs[i]!.name}: ${(result.reason as Error).message}`] : [],
);
if (failed.length) {
  console.error(`Seeding failed; these slices kept their previous data:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
console.log(`Seeded all five slices in ${seconds().trim()} s.`);
