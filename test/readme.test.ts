import { readFileSync } from 'node:fs';
import { developmentToken, type RunningGateway } from '@gongzhi/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestGraph } from './seeded-graph.ts';

/** The README's "Writing to the graph" examples, one mutation each, as written there. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('### Writing to the graph'), readme.indexOf('### API conventions'));
const block = /```graphql\n([\s\S]*?)```/.exec(section.slice(section.indexOf('One example per slice')))![1]!;
const examples = block
  .split(/\n(?=# )/)
  .map((text) => ({ title: text.split('\n')[0]!.replace(/^# /, ''), operation: text.split('\n').slice(1).join('\n').trim() }))
  .filter((example) => example.operation.startsWith('mutation'));

describe('the README’s write examples', () => {
  let graph: Awaited<ReturnType<typeof serveTestGraph>>;
  let gateway: RunningGateway;
  let admin: string;
  beforeAll(async () => {
    graph = await serveTestGraph();
    gateway = graph.gateway;
    admin = await developmentToken({ role: 'admin' });
  }, 300_000);
  afterAll(async () => graph?.stop());

  it('has one per slice', () => {
    expect(examples.map((example) => example.title.split(':')[0])).toEqual(['organisations', 'people', 'services', 'funding', 'elections']);
  });

  it.each(examples)('$title', async ({ operation }) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: operation }),
    });
    const body = (await response.json()) as { data?: Record<string, { errors: unknown[] }>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data!)[0]!.errors).toEqual([]);
  });
});
