import { anyOf, groupedConnections, perArgs, withClaims } from '@gongzhi/kit';
import type { Caller, Database, PageArgs, Waves } from '@gongzhi/kit';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.ts';
import { budgets, funds, grants, programmes, progressReports, transactions, type FundRow } from '../db/schema.ts';

type Db = Database<typeof schema>['db'];

/** Ids of the programmes whose fund is of `kind` (a programme's kind is its fund's), as a subquery. */
export function programmesOfKind(db: Db, kind: FundRow['kind']) {
  return db.select({ id: programmes.id }).from(programmes).innerJoin(funds, eq(funds.id, programmes.fundId)).where(eq(funds.kind, kind));
}

/** The filters every grant list takes: the budget year and the programme's kind. */
export function grantFilter(db: Db, { year, kind }: { year?: number | null; kind?: FundRow['kind'] | null }): SQL | undefined {
  return and(
    year == null ? undefined : eq(grants.year, year),
    kind == null ? undefined : inArray(grants.programmeId, programmesOfKind(db, kind)),
  );
}

/** `sum(amount_fen) filter (where type = …)`, zero when there is none. */
const sumOf = (type: (typeof transactions.type.enumValues)[number]) =>
  sql<string>`coalesce(sum(${transactions.amountFen}) filter (where ${transactions.type} = ${type}), 0)`;

export interface BalanceRow {
  grantId: string;
  committed: number;
  disbursed: number;
  spent: number;
  refunded: number;
}

export type GrantListArgs = PageArgs & { year?: number | null; kind?: FundRow['kind'] | null };

/** The grants of each parent in `parentColumn`, newest award first: one windowed statement (and one grouped count) per batch of parents. */
export function grantConnections({ db }: Database<typeof schema>, waves: Waves, parentColumn: PgColumn) {
  return waves.tracked(
    groupedConnections({
      db,
      table: grants,
      parentColumn,
      orderColumn: grants.sortKey,
      filter: (args: GrantListArgs) => grantFilter(db, args),
    }),
  );
}

/** The loaders of funds, programmes, their budgets and grants, and what a grant records. */
export function fundingLoaders(database: Database<typeof schema>, caller: Caller, waves: Waves) {
  const { db } = database;
  // Transactions and progress reports are under row-level security: reads of their rows state the caller.
  const asCaller = <T>(run: (tx: typeof db) => Promise<T>) =>
    withClaims(db, { role: caller.role, organisationId: caller.organisationId }, run);

  return {
    fundById: waves.keyed(
      (ids) => db.select().from(funds).where(anyOf(funds.id, ids)),
      (row) => row.id,
    ),
    programmeById: waves.keyed(
      (ids) => db.select().from(programmes).where(anyOf(programmes.id, ids)),
      (row) => row.id,
    ),
    /** By name (code-point order, the same on every server), then id. */
    programmesByFund: waves.grouped(
      (ids) =>
        db
          .select()
          .from(programmes)
          .where(anyOf(programmes.fundId, ids))
          .orderBy(sql`${programmes.name} collate "C"`, programmes.id),
      (row) => row.fundId,
    ),
    /** By community, then year; one loader per `year` argument. */
    budgetsOfProgramme: perArgs(({ year }: { year: number | null }) =>
      waves.grouped(
        (ids) =>
          db
            .select()
            .from(budgets)
            .where(and(anyOf(budgets.programmeId, ids), year == null ? undefined : eq(budgets.year, year)))
            .orderBy(budgets.communityId, budgets.year),
        (row) => row.programmeId,
      ),
    ),
    grantById: waves.keyed(
      (ids) => db.select().from(grants).where(anyOf(grants.id, ids)),
      (row) => row.id,
    ),
    grantsOfProgramme: grantConnections(database, waves, grants.programmeId),
    /** Oldest first. */
    transactionsByGrant: waves.grouped(
      (ids) =>
        asCaller((tx) => tx.select().from(transactions).where(anyOf(transactions.grantId, ids)).orderBy(transactions.on, transactions.id)),
      (row) => row.grantId,
    ),
    /** Sums of each grant's transactions by type (no row for a grant without transactions). */
    balanceByGrant: waves.keyed(
      async (ids): Promise<BalanceRow[]> => {
        const rows = await asCaller((tx) =>
          tx
            .select({
              grantId: transactions.grantId,
              committed: sumOf('COMMITMENT'),
              disbursed: sumOf('DISBURSEMENT'),
              spent: sumOf('EXPENDITURE'),
              refunded: sumOf('REFUND'),
            })
            .from(transactions)
            .where(anyOf(transactions.grantId, ids))
            .groupBy(transactions.grantId),
        );
        return rows.map((row) => ({
          grantId: row.grantId,
          committed: Number(row.committed),
          disbursed: Number(row.disbursed),
          spent: Number(row.spent),
          refunded: Number(row.refunded),
        }));
      },
      (row) => row.grantId,
    ),
    /** Oldest period first. */
    reportsByGrant: waves.grouped(
      (ids) =>
        asCaller((tx) =>
          tx
            .select()
            .from(progressReports)
            .where(anyOf(progressReports.grantId, ids))
            .orderBy(progressReports.periodEnd, progressReports.id),
        ),
      (row) => row.grantId,
    ),
  };
}

export type FundingLoaders = ReturnType<typeof fundingLoaders>;
