import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ctrlC, npmStart, query } from './npm-start.ts';
const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-start-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start on embedded PostgreSQL', () => {
  it('serves the seeded district, keeps its data across a restart and stops cleanly on Ctrl-C', async () => {
    const first = await npmStart(dataDir);
    let organisationCount: number;
    try {
      expect(first.output()).toMatch(/organisations\s+http:\/\/127\.0\.0\.1:\d+\/graphql \(embedded/);
      const { data, errors } = await query(
        first.url,
        '{ district { name subdistricts { name communities { totalCount } } } organisations { totalCount } }',
      );
      expect(errors).toBeUndefined();
      expect(data.district.subdistricts).toHaveLength(10);
      expect(data.district.subdistricts.reduce((sum: number, s: any) => sum + s.communities.totalCount, 0)).toBe(124);
      organisationCount = data.organisations.totalCount;
      expect(organisationCount).toBeGreaterThan(124 * 3);
    } finally {
      await ctrlC(first);
    }
    expect(first.output()).toContain('Gongzhi stopped');

    const second = await npmStart(dataDir);
    try {
      const { data } = await query(second.url, '{ organisations { totalCount } communities { totalCount } }');
      expect(data.organisations.totalCount).toBe(organisationCount);
      expect(data.communities.totalCount).toBe(124);
    } finally {
      await ctrlC(second);
    }
    expect(second.output()).toContain('Gongzhi stopped');
  }, 240_000);
});
