import { anyOf, perArgs, withClaims } from '@gongzhi/kit';
import type { Database, Waves } from '@gongzhi/kit';
import { and, eq, inArray, max, or, sql } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { budgets, grants, transactions, type FundRow } from '../db/schema.ts';
import { grantConnections, grantFilter, programmesOfKind, type FundingLoaders } from './funding.ts';

/** Net expenditure of the transactions joined: expenditure − refunds (other types count zero). */
const netSpent = sql<string>`coalesce(sum(case ${transactions.type} when 'EXPENDITURE' then ${transactions.amountFen}
  when 'REFUND' then -${transactions.amountFen} else 0 end), 0)`;

/** Transactions that move spending: what net expenditure is summed from. */
const spendingTransactions = inArray(transactions.type, ['EXPENDITURE', 'REFUND']);

/** The levels grants are summed at: by beneficiary community, by recorded sub-district, or all. */
export type AreaLevel = 'community' | 'subdistrict' | 'district';

/** A loader key naming an area and its level, so one batch can hold areas of every level. */
export const areaKey = (level: AreaLevel, id: string) => `${level}:${id}`;

/** The ids of each level in a batch of area keys. */
function askedAreas(keys: readonly string[]): Record<AreaLevel, string[]> {
  const asked: Record<AreaLevel, string[]> = { community: [], subdistrict: [], district: [] };
  for (const key of keys) {
    const at = key.indexOf(':');
    asked[key.slice(0, at) as AreaLevel].push(key.slice(at + 1));
  }
  return asked;
}

/** An area's net micro-project spend charged to one budget year. */
export interface SpendRow {
  key: string;
  year: number;
  netFen: number;
  /** The latest budget year with micro-project grants anywhere in the district: the default year. */
  latestYear: number;
}

/** What an area's grants of one budget year (and kind) add up to, in fen. */
export interface GrantTotalsRow {
  key: string;
  grants: number;
  recipients: number;
  awardedFen: number;
  disbursedFen: number;
}

/**
 * The loaders of what this slice adds to other slices' types: an area's budgets, grants, spend and totals,
 * an organisation's grants, a micro-project's grants and spend. `grantById` gets the grants read here.
 */
export function linkLoaders(database: Database<typeof schema>, waves: Waves, { grantById }: Pick<FundingLoaders, 'grantById'>) {
  const { db } = database;
  // Sums over every grant (district spend, totals, a project's spend) are public aggregates of rows under
  // row-level security.
  const overAllRows = <T>(run: (tx: typeof db) => Promise<T>) => withClaims(db, { role: 'aggregate', organisationId: null }, run);

  /**
   * Net micro-project spend per budget year of every area asked for, at any level, in one statement:
   * grouping sets sum the grants by beneficiary community, by the sub-district recorded on the grant, and
   * over the district (every grant), each only for the areas of its level that were asked about. Grants
   * with no expenditure yet count zero; an area with no micro-project grant has no row.
   */
  const microProjectSpend = waves.grouped(
    async (keys): Promise<SpendRow[]> => {
      const asked = askedAreas(keys);
      const microProjects = programmesOfKind(db, 'MICRO_PROJECT_FUND');
      const community = grants.beneficiaryCommunityId;
      const subdistrict = grants.beneficiarySubdistrictId;
      const rows = await overAllRows((tx) =>
        tx
          .select({
            // 1: by community, 2: by sub-district, 3: the district (bits of the columns not grouped by).
            level: sql<number>`grouping(${community}, ${subdistrict})`,
            community,
            subdistrict,
            year: grants.year,
            netFen: netSpent,
            latestYear: sql<number>`(${db
              .select({ year: max(grants.year) })
              .from(grants)
              .where(inArray(grants.programmeId, microProjects))})`,
          })
          .from(grants)
          .leftJoin(transactions, and(eq(transactions.grantId, grants.id), spendingTransactions))
          .where(
            and(
              inArray(grants.programmeId, microProjects),
              or(
                anyOf(community, asked.community),
                anyOf(subdistrict, asked.subdistrict),
                asked.district.length > 0 ? sql`true` : undefined,
              ),
            ),
          )
          .groupBy(sql`grouping sets ((${community}, ${grants.year}), (${subdistrict}, ${grants.year}), (${grants.year}))`),
      );
      return rows.flatMap((row) => {
        const base = { year: Number(row.year), netFen: Number(row.netFen), latestYear: Number(row.latestYear) };
        const level = Number(row.level);
        if (level === 1) return [{ key: areaKey('community', row.community), ...base }];
        if (level === 2) return [{ key: areaKey('subdistrict', row.subdistrict), ...base }];
        // The district holds every grant, whatever its id (there is one district).
        return asked.district.map((id) => ({ key: areaKey('district', id), ...base }));
      });
    },
    (row) => row.key,
  );

  /**
   * Grant totals of one budget year and kind (null: every kind) for every area asked, sub-districts and
   * the district alike, in one statement per argument set: grouping sets count and sum the grants by the
   * sub-district recorded on the grant and over the district (every grant). Each grant's disbursements are
   * summed in a lateral subquery, so joining them never counts a grant twice.
   */
  const grantTotals = perArgs(({ year, kind }: { year: number; kind: FundRow['kind'] | null }) =>
    waves.keyed(
      async (keys): Promise<GrantTotalsRow[]> => {
        const asked = askedAreas(keys);
        const subdistrict = grants.beneficiarySubdistrictId;
        const disbursements = db
          .select({ fen: sql<string | null>`sum(${transactions.amountFen})`.as('fen') })
          .from(transactions)
          .where(and(eq(transactions.grantId, grants.id), eq(transactions.type, 'DISBURSEMENT')))
          .as('disbursements');
        const rows = await overAllRows((tx) =>
          tx
            .select({
              // 0: one sub-district, 1: the district.
              level: sql<number>`grouping(${subdistrict})`,
              subdistrict,
              grants: sql<number>`count(*)`,
              recipients: sql<number>`count(distinct ${grants.recipientOrganisationId})`,
              awardedFen: sql<string>`coalesce(sum(${grants.amountFen}), 0)`,
              disbursedFen: sql<string>`coalesce(sum(${disbursements.fen}), 0)`,
            })
            .from(grants)
            .leftJoinLateral(disbursements, sql`true`)
            .where(
              and(
                grantFilter(db, { year, kind }),
                or(anyOf(subdistrict, asked.subdistrict), asked.district.length > 0 ? sql`true` : undefined),
              ),
            )
            .groupBy(sql`grouping sets ((${subdistrict}), ())`),
        );
        return rows.flatMap((row) => {
          const totals = {
            grants: Number(row.grants),
            recipients: Number(row.recipients),
            awardedFen: Number(row.awardedFen),
            disbursedFen: Number(row.disbursedFen),
          };
          if (Number(row.level) === 0) return [{ key: areaKey('subdistrict', row.subdistrict), ...totals }];
          // The district holds every grant, whatever its id (there is one district).
          return asked.district.map((id) => ({ key: areaKey('district', id), ...totals }));
        });
      },
      (row) => row.key,
    ),
  );

  return {
    /** Every programme's budget for the community in `year`, default the latest budget year of the district. */
    budgetsOfCommunity: perArgs(({ year }: { year: number | null }) =>
      waves.grouped(
        (ids) =>
          db
            .select()
            .from(budgets)
            .where(
              and(
                anyOf(budgets.communityId, ids),
                eq(budgets.year, year ?? sql<number>`(${db.select({ year: max(budgets.year) }).from(budgets)})`),
              ),
            )
            .orderBy(budgets.programmeId),
        (row) => row.communityId,
      ),
    ),
    grantsOfCommunity: grantConnections(database, waves, grants.beneficiaryCommunityId),
    grantsOfSubdistrict: grantConnections(database, waves, grants.beneficiarySubdistrictId),
    grantsOfRecipient: grantConnections(database, waves, grants.recipientOrganisationId),
    /** Newest award first; fills `grantById` with what it reads. */
    grantsByMicroProject: waves.grouped(
      async (ids) => {
        const rows = await db.select().from(grants).where(anyOf(grants.microProjectId, ids)).orderBy(grants.sortKey);
        for (const row of rows) grantById.prime(row.id, row);
        return rows;
      },
      (row) => row.microProjectId!,
    ),
    /** Net expenditure on the grants of each micro-project (no row for a project without grants). */
    spentByMicroProject: waves.keyed(
      async (ids) => {
        const rows = await overAllRows((tx) =>
          tx
            .select({ microProjectId: sql<string>`${grants.microProjectId}`, netFen: netSpent })
            .from(grants)
            .leftJoin(transactions, and(eq(transactions.grantId, grants.id), spendingTransactions))
            .where(anyOf(grants.microProjectId, ids))
            .groupBy(grants.microProjectId),
        );
        return rows.map((row) => ({ microProjectId: row.microProjectId, netFen: Number(row.netFen) }));
      },
      (row) => row.microProjectId,
    ),
    microProjectSpend,
    /** The micro-project fund's budgets summed over the district, by year: one statement for every year asked. */
    microProjectBudget: waves.keyed(
      async (years) => {
        const rows = await db
          .select({ year: budgets.year, fen: sql<string>`sum(${budgets.amountFen})` })
          .from(budgets)
          .where(and(inArray(budgets.year, years.map(Number)), inArray(budgets.programmeId, programmesOfKind(db, 'MICRO_PROJECT_FUND'))))
          .groupBy(budgets.year);
        return rows.map((row) => ({ year: String(row.year), fen: Number(row.fen) }));
      },
      (row) => row.year,
    ),
    grantTotals,
  };
}
