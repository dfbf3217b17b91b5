import { adminCaller, publicCaller, today, withClaims, type Caller, type RowClaims } from '@gongzhi/kit';
import { refusalOf } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededFunding } from './harness.ts';

const h = useSeededFunding();
const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-3',
  organisationId: null,
  department: 'civil-affairs',
  scopes,
});
const writer = staff(['write:funding']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
// No subject: partners' tokens need not carry one.
const partnerOf = (organisationId: string): Caller => ({ role: 'partner', subject: null, organisationId, department: null, scopes: [] });

const submit = `mutation($input: SubmitProgressReportInput!) { submitProgressReport(input: $input) {
  replayed errors { path code message }
  progressReport { id grant { id } submittedBy { id } submittedOn periodEnd outputs spend { amount } narrative } } }`;
const auditOf = `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { entityType operation actorRole actor before after } } } }`;

const count = async (table: 'progress_reports' | 'transactions' | 'audit_log' | 'idempotency_keys') =>
  (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`funding.${table}`)}`)).n;
const counts = () => Promise.all([count('progress_reports'), count('audit_log'), count('idempotency_keys')]);

interface PartnerGrant {
  id: string;
  partner: string;
  awarded: string;
  left: number;
}

/** The n-th social-organisation grant (recipient and implementer one partner) and what its reports leave of its amount. */
const supportGrant = (n: number) =>
  h.one<PartnerGrant>(sql`
    select * from (
      select g.id, g.recipient_organisation_id as partner, g.awarded_on::text as awarded,
             (g.amount_fen - coalesce((select sum(r.spend_fen) from funding.progress_reports r where r.grant_id = g.id), 0))::float8 as left
        from funding.grants g where g.programme_id = 'prog-social-organisation-support' and g.recipient_organisation_id = g.implementing_organisation_id) s
     where s.left >= 10000 order by s.id limit 1 offset ${n}`);

/** A grant none of whose parties is `partner`. */
const grantNotOf = (partner: string) =>
  h.one<{ id: string }>(
    sql`select id from funding.grants where ${partner} not in (recipient_organisation_id, implementing_organisation_id) order by id limit 1`,
  );

let keys = 0;
const report = (grantId: string, change: Record<string, unknown> = {}) => ({
  grantId,
  periodEnd: '2020-03-31',
  outputs: ' 开展长者助餐 40 场 ',
  spend: 100,
  narrative: '按计划推进。',
  idempotencyKey: `report-${++keys}`,
  ...change,
});

const asApp = (claims: RowClaims, statement: ReturnType<typeof sql>) => withClaims(h.database.db, claims, (tx) => tx.execute(statement));

describe('submitProgressReport', () => {
  it('takes a partner’s report on a grant it receives, as itself, audited, and shows it on the grant', async () => {
    const grant = await supportGrant(0);
    const partner = partnerOf(grant.partner);
    const before = await counts();
    const { submitProgressReport: result } = await h.data(submit, { input: report(grant.id) }, partner);
    expect(result).toMatchObject({ replayed: false, errors: [] });
    expect(result.progressReport).toMatchObject({
      grant: { id: grant.id },
      submittedBy: { id: grant.partner },
      submittedOn: today(),
      periodEnd: '2020-03-31',
      outputs: '开展长者助餐 40 场',
      spend: { amount: 100 },
      narrative: '按计划推进。',
    });
    const read = await h.data(`query($id: ID!) { grant(id: $id) { progressReports { id periodEnd } } }`, { id: grant.id }, partner);
    expect(read.grant.progressReports).toContainEqual({ id: result.progressReport.id, periodEnd: '2020-03-31' });
    expect(await counts()).toEqual([before[0] + 1, before[1] + 1, before[2] + 1]);
    const audit = (await h.data(auditOf, { id: result.progressReport.id }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entityType: 'ProgressReport',
      operation: 'submitProgressReport',
      actorRole: 'partner',
      actor: `partner:${grant.partner}`,
      before: null,
    });
    expect(JSON.parse(audit[0].after)).toMatchObject({ grantId: grant.id, submittedByOrganisationId: grant.partner, spendFen: 100 });
  });

  it('takes a partner’s report on a grant it implements for another recipient', async () => {
    const grant = await h.one<{ id: string; implementer: string }>(sql`
      select id, implementing_organisation_id as implementer from funding.grants
       where implementing_organisation_id <> recipient_organisation_id and status = 'ACTIVE' order by id limit 1`);
    const { submitProgressReport: result } = await h.data(submit, { input: report(grant.id) }, partnerOf(grant.implementer));
    expect(result.errors).toEqual([]);
    expect(result.progressReport.submittedBy).toEqual({ id: grant.implementer });
  });

  it('answers a partner’s report on another partner’s grant as for no grant at all, and writes nothing', async () => {
    const mine = await supportGrant(1);
    const other = await grantNotOf(mine.partner);
    const partner = partnerOf(mine.partner);
    const before = await counts();
    const reportsOnOther = () =>
      h.one<{ n: number }>(sql`select count(*)::int as n from funding.progress_reports where grant_id = ${other.id}`);
    const otherBefore = await reportsOnOther();
    const theirs = (await h.data(submit, { input: report(other.id) }, partner)).submitProgressReport;
    const none = (await h.data(submit, { input: report('grant-none') }, partner)).submitProgressReport;
    expect(theirs.progressReport).toBeNull();
    expect(theirs.errors).toEqual([{ path: ['grantId'], code: 'NOT_FOUND', message: expect.any(String) }]);
    // Nothing tells the partner the grant exists.
    expect(theirs.errors).toEqual(none.errors);
    // Counted as the owner, whatever row-level security shows the app.
    expect(await reportsOnOther()).toEqual(otherBefore);
    expect(await counts()).toEqual(before);
  });

  it('is refused by row-level security too: another’s grant, another submitter, changing or removing a report, recording money', async () => {
    const mine = await supportGrant(2);
    const other = await grantNotOf(mine.partner);
    const claims: RowClaims = { role: 'partner', organisationId: mine.partner };
    const insert = (grantId: string, submitter: string, id: string) =>
      sql`insert into funding.progress_reports (id, grant_id, submitted_by_organisation_id, submitted_on, period_end, outputs, spend_fen, narrative)
          values (${id}, ${grantId}, ${submitter}, '2020-01-10', '2020-01-01', 'x', 0, 'x')`;
    const before = await count('progress_reports');
    expect(await refusalOf(() => asApp(claims, insert(other.id, mine.partner, 'forged-1')))).toMatch(/row-level security/);
    expect(await refusalOf(() => asApp(claims, insert(mine.id, 'org-someone-else', 'forged-2')))).toMatch(/row-level security/);
    expect(
      await refusalOf(() =>
        asApp(
          claims,
          sql`insert into funding.transactions (id, grant_id, type, "on", amount_fen, description)
      values ('tx-forged', ${mine.id}, 'COMMITMENT', '2020-01-01', 100, 'x')`,
        ),
      ),
    ).toMatch(/row-level security/);
    expect(await count('progress_reports')).toBe(before);
    // As itself on its own grant, the same statement passes: the policies are not a blanket refusal.
    expect(await refusalOf(() => asApp(claims, insert(mine.id, mine.partner, 'sql-own-1')))).toBeNull();
    expect(await count('progress_reports')).toBe(before + 1);
    // Once submitted, a report is not the partner's to change or remove (the statements find no row).
    await asApp(claims, sql`update funding.progress_reports set narrative = 'rewritten' where grant_id = ${mine.id}`);
    await asApp(claims, sql`delete from funding.progress_reports where grant_id = ${mine.id}`);
    await asApp(claims, sql`delete from funding.transactions where grant_id = ${mine.id}`);
    expect(await count('progress_reports')).toBe(before + 1);
    expect(await h.rows(sql`select id from funding.progress_reports where grant_id = ${mine.id} and narrative = 'rewritten'`)).toEqual([]);
    expect(
      (await h.one<{ n: number }>(sql`select count(*)::int as n from funding.transactions where grant_id = ${mine.id}`)).n,
    ).toBeGreaterThan(0);
  });

  it('takes staff’s and admins’ reports for a party of the grant (by default its implementer)', async () => {
    const grant = await h.one<{ id: string; recipient: string; implementer: string }>(sql`
      select id, recipient_organisation_id as recipient, implementing_organisation_id as implementer from funding.grants
       where implementing_organisation_id <> recipient_organisation_id and status = 'ACTIVE' order by id limit 1 offset 1`);
    const byStaff = (await h.data(submit, { input: report(grant.id) }, writer)).submitProgressReport;
    expect(byStaff.errors).toEqual([]);
    expect(byStaff.progressReport.submittedBy).toEqual({ id: grant.implementer });
    const byAdmin = (
      await h.data(submit, { input: report(grant.id, { periodEnd: '2020-06-30', submittedById: grant.recipient }) }, adminCaller)
    ).submitProgressReport;
    expect(byAdmin.errors).toEqual([]);
    expect(byAdmin.progressReport.submittedBy).toEqual({ id: grant.recipient });
    const stranger = (await h.data(submit, { input: report(grant.id, { periodEnd: '2020-09-30', submittedById: 'org-nobody' }) }, writer))
      .submitProgressReport;
    expect(stranger.errors.map((e: any) => [e.path, e.code])).toEqual([[['submittedById'], 'INVALID']]);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const grant = await supportGrant(3);
    const partner = partnerOf(grant.partner);
    // A cancelled grant of the partner's.
    const community = (await h.one<{ id: string }>(sql`select community_id as id from funding.budgets order by id limit 1`)).id;
    const created = await h.data(
      `mutation($input: CreateGrantInput!) { createGrant(input: $input) { grant { id } } }`,
      {
        input: {
          programmeId: 'prog-social-organisation-support',
          recipientOrganisationId: grant.partner,
          communityId: community,
          title: 't',
          amount: 100,
          awardedOn: '2019-05-01',
          idempotencyKey: 'to-cancel',
        },
      },
      adminCaller,
    );
    const cancelled = created.createGrant.grant.id;
    await h.data(
      `mutation($input: CancelGrantInput!) { cancelGrant(input: $input) { errors { code } } }`,
      { input: { id: cancelled, expectedVersion: 1 } },
      adminCaller,
    );
    const seededPeriod = (
      await h.one<{ period: string }>(
        sql`select period_end::text as period from funding.progress_reports where grant_id = ${grant.id} limit 1`,
      )
    ).period;

    const before = await counts();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ outputs: '  ' }, ['outputs'], 'REQUIRED'],
      [{ outputs: '项'.repeat(2001) }, ['outputs'], 'INVALID'],
      [{ outputs: 'a\u0000b' }, ['outputs'], 'INVALID'],
      [{ narrative: '' }, ['narrative'], 'REQUIRED'],
      [{ narrative: 'x'.repeat(5001) }, ['narrative'], 'INVALID'],
      [{ spend: -1 }, ['spend'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
      [{ periodEnd: '2999-12-31' }, ['periodEnd'], 'INVALID'],
      [{ periodEnd: '2000-01-31' }, ['periodEnd'], 'INVALID'],
      [{ submittedById: 'org-so-999' }, ['submittedById'], 'INVALID'],
      [{ grantId: 'grant-none' }, ['grantId'], 'NOT_FOUND'],
      [{ grantId: cancelled }, ['grantId'], 'ILLEGAL_TRANSITION'],
      [{ periodEnd: seededPeriod }, ['periodEnd'], 'CONFLICT'],
      [{ spend: grant.left + 1 }, ['spend'], 'LIMIT_EXCEEDED'],
    ];
    for (const [change, path, code] of cases) {
      const { submitProgressReport: result } = await h.data(submit, { input: report(grant.id, change) }, partner);
      expect(result.progressReport, JSON.stringify(change).slice(0, 80)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change).slice(0, 80),
      ).toEqual([[path, code]]);
    }
    expect(await counts()).toEqual(before);
    // Exactly what is left still fits.
    expect((await h.data(submit, { input: report(grant.id, { spend: grant.left }) }, partner)).submitProgressReport.errors).toEqual([]);
  });

  it('answers 50 concurrent retries with one report, and keeps each partner’s keys its own', async () => {
    const a = await supportGrant(4);
    const b = await supportGrant(5);
    expect(a.partner).not.toBe(b.partner);
    const before = await count('progress_reports');
    const input = report(a.id, { idempotencyKey: 'shared-key' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(submit, { input }, partnerOf(a.partner))));
    const ids = new Set(answers.map((x: any) => x.submitProgressReport.progressReport.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((x: any) => !x.submitProgressReport.replayed)).toHaveLength(1);
    expect(await count('progress_reports')).toBe(before + 1);
    // Another partner with the same key (and no subject either) submits its own report.
    const theirs = (await h.data(submit, { input: report(b.id, { idempotencyKey: 'shared-key' }) }, partnerOf(b.partner)))
      .submitProgressReport;
    expect(theirs).toMatchObject({ replayed: false, errors: [], progressReport: { grant: { id: b.id } } });
    expect(await count('progress_reports')).toBe(before + 2);
  });

  it('takes one report per period when several are submitted at once', async () => {
    const grant = await supportGrant(6);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.data(submit, { input: report(grant.id, { periodEnd: '2020-12-31', spend: 1, idempotencyKey: `period-${i}` }) }, writer),
      ),
    );
    expect(answers.filter((x: any) => x.submitProgressReport.errors.length === 0)).toHaveLength(1);
    expect(answers.filter((x: any) => x.submitProgressReport.errors[0]?.code === 'CONFLICT')).toHaveLength(9);
    expect(
      (
        await h.one<{ n: number }>(
          sql`select count(*)::int as n from funding.progress_reports where grant_id = ${grant.id} and period_end = '2020-12-31'`,
        )
      ).n,
    ).toBe(1);
  });

  it('is refused to the public, analysts and staff without write:funding', async () => {
    const grant = await supportGrant(7);
    const before = await counts();
    for (const caller of [publicCaller, analyst, staff(['read:personal'])]) {
      const result = await h.query(submit, { input: report(grant.id) }, caller);
      expect(result.data ?? null, caller.role).toBeNull();
      expect(
        result.errors?.map((e) => e.extensions?.code),
        caller.role,
      ).toEqual(['FORBIDDEN']);
    }
    expect(await counts()).toEqual(before);
  });
});
