/**
 * How the reference dataset is written, measured side by side in one run on a PostgreSQL server (the
 * target: the full district, 5.73 million residents, within 5 minutes on 2 cores). The people slice — the
 * largest — and the services slice — the most foreign keys — are each loaded three ways at one scale:
 * 1. COPY, indexes and foreign keys rebuilt once after the load (what `npm run seed` does);
 * 2. COPY with indexes and foreign keys maintained row by row;
 * 3. JSON chunks (what embedded PostgreSQL gets), indexes rebuilt after.
 * Run: npm run bench:seeding [-- --scale 0.05]   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { referenceDataset } from '@gongzhi/dataset';
import { openTestDatabase, createTestDatabase } from '@gongzhi/kit/testing';
import type { AnySubgraphDefinition, BulkLoadOptions } from '@gongzhi/kit';
import { peopleSubgraph } from '@gongzhi/people';
import { servicesSubgraph } from '@gongzhi/services';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.05' } } });
const scale = Number(values.scale);
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

referenceDataset({ scale }); // built once, outside the timings
const strategies: [string, BulkLoadOptions][] = [
  ['COPY, indexes rebuilt after', {}],
  ['COPY, indexes maintained', { keepIndexes: true }],
  ['JSON chunks, indexes rebuilt after', { transport: 'json' }],
];

const slices: AnySubgraphDefinition[] = [peopleSubgraph, servicesSubgraph];
for (const slice of slices) {
  const testDatabase = await createTestDatabase();
  const database = await openTestDatabase(slice, testDatabase);
  const results: { name: string; seconds: number; rows: number }[] = [];
  try {
    for (const [name, options] of strategies) {
      const started = performance.now();
      const counts = await database.replaceAll(slice.seed!.loads({ scale }), options);
      results.push({ name, seconds: (performance.now() - started) / 1000, rows: Object.values(counts).reduce((a, b) => a + b, 0) });
    }
  } finally {
    await database.close();
    await testDatabase.drop();
  }
  const base = results[0]!;
  console.log(`${slice.name} slice at scale ${scale}: ${base.rows.toLocaleString('en')} rows`);
  for (const { name, seconds, rows } of results) {
    console.log(
      `  ${name.padEnd(36)} ${seconds.toFixed(1).padStart(6)} s  ${Math.round(rows / seconds)
        .toLocaleString('en')
        .padStart(9)} rows/s  ×${(seconds / base.seconds).toFixed(2)}`,
    );
  }
}
