import { describe, expect, it } from 'vitest';
import { adminCaller, publicCaller, type Caller } from '../src/access.ts';
import { withSmallCellsSuppressed } from '../src/suppression.ts';

const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-001', department: null, scopes: [] };
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const rule = { counts: ['registered', 'participated'] as const, derived: { rate: ['registered', 'participated'] } } as const;
const small = { year: 2017, registered: 12, participated: 9, rate: 0.75 };

describe('small-cell suppression', () => {
  it('withholds counts below the threshold, and ratios built on them, from the public and partners, saying which', () => {
    for (const caller of [publicCaller, partner]) {
      expect(withSmallCellsSuppressed(caller, small, rule, 10)).toEqual({
        year: 2017,
        registered: 12,
        participated: null,
        rate: null,
        suppressed: ['participated', 'rate'],
      });
    }
    expect(withSmallCellsSuppressed(publicCaller, { ...small, participated: 10 }, rule, 10).suppressed).toEqual([]);
  });

  it('gives analysts, staff and admins exact figures', () => {
    for (const caller of [analyst, adminCaller]) {
      expect(withSmallCellsSuppressed(caller, small, rule, 10)).toEqual({ ...small, suppressed: [] });
    }
  });
});
