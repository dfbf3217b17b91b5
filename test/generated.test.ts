import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.ts';
import { composeSupergraph, supergraphPath } from '../scripts/compose.ts';

const root = new URL('..', import.meta.url).pathname;

describe('committed artefacts are fresh', () => {
  it('schema/supergraph.graphql is what the subgraph SDLs compose to, with no errors or hints', () => {
    const { supergraphSdl, hints } = composeSupergraph();
    expect(hints).toEqual([]);
    expect(readFileSync(supergraphPath, 'utf8'), 'stale supergraph: run `npm run compose`').toBe(supergraphSdl);
  });

  it('generated resolver types are what codegen makes from the SDL', async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...codegenConfig, cwd: root, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      const committed = readFileSync(new URL(filename, `file://${root}`), 'utf8');
      expect(committed, `stale ${filename}: run \`npm run codegen\``).toBe(content);
    }
  });
});
