import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { districtStructure, facts, factsPath, isValidCreditCode } from '../src/index.ts';

const designFacts = new URL('../../../../shared/facts/baoan-2019.json', import.meta.url).pathname;

describe('facts', () => {
  it('are the design facts, unchanged (the copy travels with the code)', () => {
    const vendored = JSON.parse(readFileSync(factsPath, 'utf8'));
    expect(vendored.district.code).toBe('440306');
    if (existsSync(designFacts)) expect(vendored).toEqual(JSON.parse(readFileSync(designFacts, 'utf8')));
  });
});

describe('district structure', () => {
  const s = districtStructure();

  it('reproduces the published counts', () => {
    expect(s.subdistricts).toHaveLength(facts.subdistricts.count);
    expect(s.subdistricts.filter((sd) => sd.splitFromId === null)).toHaveLength(facts.subdistricts.formerCount);
    expect(s.communities).toHaveLength(facts.communities.count);
    expect(s.residentsCommittees).toHaveLength(facts.residentsCommittees.count);
    expect(s.residentsCommittees.reduce((sum, rc) => sum + rc.seats, 0)).toBe(facts.elections.membersElected);
    const kinds = (kind: string) => s.organisations.filter((o) => o.kind === kind).length;
    expect(kinds('PARTY_COMMITTEE')).toBe(facts.communities.count);
    expect(kinds('WORKSTATION')).toBe(facts.communities.withWorkstation);
    expect(kinds('RESIDENTS_COMMITTEE')).toBe(facts.residentsCommittees.count);
    expect(kinds('RESIDENTS_COUNCIL')).toBe(facts.residentsCommittees.withResidentsCouncil);
    expect(kinds('SUPERVISION_COMMITTEE')).toBe(facts.residentsCommittees.withSupervisionCommittee);
    expect(s.posts.filter((p) => p.role === 'LEGAL_ADVISER')).toHaveLength(
      facts.communities.count * facts.perCommunityServices.legalAdviser,
    );
    expect(s.posts.filter((p) => p.role === 'COUNSELLOR')).toHaveLength(
      facts.communities.count * facts.perCommunityServices.psychologicalCounsellor,
    );
    expect(new Set(s.conventions.filter((c) => c.version > 1).map((c) => c.residentsCommitteeId)).size).toBe(
      facts.residentsCommittees.conventionsRevised,
    );
  });

  it('places every community in exactly one sub-district on any date, with the split as lineage', () => {
    for (const date of ['2010-01-01', '2016-09-30', '2016-10-01', '2026-01-01']) {
      const placed = s.placements.filter((p) => p.validFrom <= date && (p.validTo === null || date <= p.validTo));
      expect(new Set(placed.map((p) => p.communityId)).size).toBe(124);
      expect(placed).toHaveLength(124);
    }
    for (const split of facts.subdistricts.splits) {
      const child = s.subdistricts.find((sd) => sd.name === `${split.new}街道`)!;
      const parent = s.subdistricts.find((sd) => sd.name === `${split.from}街道`)!;
      expect(child.splitFromId).toBe(parent.id);
      expect(child.validFrom).toBe(facts.subdistricts.splitDate.value);
    }
  });

  it('uses unique ids, codes and valid credit codes', () => {
    const all = [
      ...s.subdistricts,
      ...s.communities,
      ...s.residentsCommittees,
      ...s.organisations,
      ...s.posts,
      ...s.gridAreas,
      ...s.buildings,
    ];
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const codes = [s.district, ...s.subdistricts, ...s.communities, ...s.residentsCommittees].map((r) => r.code);
    expect(codes.every((code) => /^\d{12}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
    const credit = s.organisations.flatMap((o) => (o.creditCode ? [o.creditCode] : []));
    expect(credit.length).toBeGreaterThan(200);
    expect(credit.every(isValidCreditCode)).toBe(true);
    expect(new Set(credit).size).toBe(credit.length);
  });

  it('is deterministic for a seed and varies with it', () => {
    expect(districtStructure()).toEqual(s);
    expect(districtStructure(facts, 7).communities.map((c) => c.name)).not.toEqual(s.communities.map((c) => c.name));
  });

  it('validates credit codes by their check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true); // a published example
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
  });
});
