import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgSchema, text, unique } from 'drizzle-orm/pg-core';
import { writeTables } from '@gongzhi/kit';

/**
 * Everything this slice owns lives in the `funding` Postgres schema; no other slice reads it.
 * Organisations, communities and sub-districts belong to the organisations slice and micro-projects to the
 * services slice: their ids are stored here as plain keys, never as foreign keys across slices.
 * Money is integer fen (`bigint`, read as a JS number: exact up to 2^53 fen, about 90 trillion CNY).
 * Grant balances are never stored: they are sums of the grant's transactions.
 */
export const fundingSchema = pgSchema('funding');

/** The idempotency keys and audit log every mutation of the slice writes, as kit declares them for every slice. */
export const { auditLog, idempotencyKeys } = writeTables(fundingSchema);

export const fundKind = fundingSchema.enum('fund_kind', ['MICRO_PROJECT_FUND', 'SOCIAL_ORGANISATION_SUPPORT', 'CHARITY_FUND']);
export const grantStatus = fundingSchema.enum('grant_status', ['AWARDED', 'ACTIVE', 'COMPLETED', 'CANCELLED']);
export const transactionType = fundingSchema.enum('transaction_type', ['COMMITMENT', 'DISBURSEMENT', 'EXPENDITURE', 'REFUND']);

const isoDate = (name: string) => date(name, { mode: 'string' });
const fen = (name: string) => bigint(name, { mode: 'number' });

/** A pot of money held by an organisation (360Giving fund). */
export const funds = fundingSchema.table(
  'funds',
  {
    id: text('id').primaryKey(),
    kind: fundKind('kind').notNull(),
    name: text('name').notNull(),
    /** The organisation holding the fund (a bureau, or the charity fund itself). */
    holderOrganisationId: text('holder_organisation_id').notNull(),
  },
  (t) => [index('funds_kind_idx').on(t.kind)],
);

/** A grant-making programme of a fund; its kind is its fund's (never stored twice). */
export const programmes = fundingSchema.table(
  'programmes',
  {
    id: text('id').primaryKey(),
    fundId: text('fund_id')
      .notNull()
      .references(() => funds.id),
    name: text('name').notNull(),
    funderOrganisationId: text('funder_organisation_id').notNull(),
  },
  (t) => [index('programmes_fund_idx').on(t.fundId)],
);

/** A programme's budget for one community and year (IATI budget): at most one per (programme, community, year). */
export const budgets = fundingSchema.table(
  'budgets',
  {
    id: text('id').primaryKey(),
    programmeId: text('programme_id')
      .notNull()
      .references(() => programmes.id),
    communityId: text('community_id').notNull(),
    /** The community's sub-district in that year, as recorded then. */
    subdistrictId: text('subdistrict_id').notNull(),
    year: integer('year').notNull(),
    amountFen: fen('amount_fen').notNull(),
  },
  (t) => [
    unique('budgets_programme_community_year_unique').on(t.programmeId, t.communityId, t.year),
    index('budgets_community_year_idx').on(t.communityId, t.year),
    index('budgets_year_idx').on(t.year),
    check('budgets_amount_check', sql`${t.amountFen} > 0`),
    check('budgets_year_check', sql`${t.year} between 1900 and 2100`),
  ],
);

/** A grant (360Giving): who gave how much to whom, for what and where. */
export const grants = fundingSchema.table(
  'grants',
  {
    id: text('id').primaryKey(),
    programmeId: text('programme_id')
      .notNull()
      .references(() => programmes.id),
    title: text('title').notNull(),
    funderOrganisationId: text('funder_organisation_id').notNull(),
    recipientOrganisationId: text('recipient_organisation_id').notNull(),
    implementingOrganisationId: text('implementing_organisation_id').notNull(),
    amountFen: fen('amount_fen').notNull(),
    awardedOn: isoDate('awarded_on').notNull(),
    plannedStart: isoDate('planned_start').notNull(),
    plannedEnd: isoDate('planned_end').notNull(),
    /** The budget year the grant is charged to. */
    year: integer('year').notNull(),
    beneficiaryCommunityId: text('beneficiary_community_id').notNull(),
    /** Recorded at award (communities move between sub-districts; the record does not). */
    beneficiarySubdistrictId: text('beneficiary_subdistrict_id').notNull(),
    microProjectId: text('micro_project_id'),
    status: grantStatus('status').notNull(),
    /** Bumped by every change, so an update made from a stale read is refused (`expectedVersion`). */
    version: integer('version').notNull().default(1),
    /**
     * Unique key that sorts newest award first (days before 9999-12-31 of `awarded_on`, zero-padded, then
     * the id): keyset pagination of "newest first" lists orders by it ascending and carries it in the cursor.
     */
    sortKey: text('sort_key')
      .notNull()
      .generatedAlwaysAs(sql`lpad(('9999-12-31'::date - "awarded_on")::text, 7, '0') || '/' || "id"`),
  },
  (t) => [
    unique('grants_sort_key_unique').on(t.sortKey),
    index('grants_programme_idx').on(t.programmeId, t.sortKey),
    index('grants_programme_year_idx').on(t.programmeId, t.year),
    index('grants_recipient_idx').on(t.recipientOrganisationId, t.sortKey),
    index('grants_community_idx').on(t.beneficiaryCommunityId, t.sortKey),
    index('grants_subdistrict_idx').on(t.beneficiarySubdistrictId, t.sortKey),
    index('grants_year_idx').on(t.year),
    index('grants_micro_project_idx').on(t.microProjectId),
    check('grants_amount_check', sql`${t.amountFen} > 0`),
    check('grants_year_check', sql`${t.year} between 1900 and 2100`),
    check('grants_dates_check', sql`${t.awardedOn} <= ${t.plannedStart} and ${t.plannedStart} <= ${t.plannedEnd}`),
  ],
);

/**
 * A movement of money on a grant (IATI transaction). A deferred constraint trigger (migration
 * `0001_grant_balance`) keeps every grant's sums in order at commit: disbursed ≤ committed,
 * spent ≤ disbursed, refunded ≤ spent.
 */
export const transactions = fundingSchema.table(
  'transactions',
  {
    id: text('id').primaryKey(),
    grantId: text('grant_id')
      .notNull()
      .references(() => grants.id),
    type: transactionType('type').notNull(),
    on: isoDate('on').notNull(),
    amountFen: fen('amount_fen').notNull(),
    description: text('description').notNull(),
  },
  (t) => [index('transactions_grant_idx').on(t.grantId, t.on, t.id), check('transactions_amount_check', sql`${t.amountFen} > 0`)],
);

/** What a partner reports on its grant: outputs, spend over the period, narrative. */
export const progressReports = fundingSchema.table(
  'progress_reports',
  {
    id: text('id').primaryKey(),
    grantId: text('grant_id')
      .notNull()
      .references(() => grants.id),
    submittedByOrganisationId: text('submitted_by_organisation_id').notNull(),
    submittedOn: isoDate('submitted_on').notNull(),
    periodEnd: isoDate('period_end').notNull(),
    outputs: text('outputs').notNull(),
    spendFen: fen('spend_fen').notNull(),
    narrative: text('narrative').notNull(),
  },
  (t) => [
    // One report per grant and period: a second one for the same period is a duplicate (and the index
    // serves the grant's reports in period order).
    unique('progress_reports_grant_period_unique').on(t.grantId, t.periodEnd),
    index('progress_reports_submitter_idx').on(t.submittedByOrganisationId),
    check('progress_reports_spend_check', sql`${t.spendFen} >= 0`),
    check('progress_reports_dates_check', sql`${t.periodEnd} <= ${t.submittedOn}`),
  ],
);

export type FundRow = typeof funds.$inferSelect;
export type ProgrammeRow = typeof programmes.$inferSelect;
export type BudgetRow = typeof budgets.$inferSelect;
export type GrantRow = typeof grants.$inferSelect;
export type TransactionRow = typeof transactions.$inferSelect;
export type ProgressReportRow = typeof progressReports.$inferSelect;
