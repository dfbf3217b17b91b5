import type { Connection } from '@gongzhi/kit';
import type { BudgetRow, FundRow, GrantRow, ProgrammeRow, ProgressReportRow, TransactionRow } from './db/schema.ts';

/** What each GraphQL type resolves from: the drizzle row of this slice, or a bare key for other slices' entities. */
export type FundParent = FundRow;
/** A programme row; its `kind` is read from its fund. */
export type ProgrammeParent = ProgrammeRow;
export type BudgetParent = BudgetRow;
export type GrantParent = GrantRow;
export type GrantConnectionParent = Connection<GrantRow>;
export type TransactionParent = TransactionRow;
export type ProgressReportParent = ProgressReportRow;

/** A grant's transactions summed by type, in fen; the derived figures are computed from these four. */
export interface GrantBalanceParent {
  committed: number;
  disbursed: number;
  spent: number;
  refunded: number;
}

/** An entity another slice owns: this slice knows its key only, and adds fields to it. */
export interface EntityKey {
  id: string;
}
export type OrganisationParent = EntityKey;
export type MicroProjectParent = EntityKey;

/** One year's official resident count, as the people slice publishes it. */
export interface PopulationEntry {
  year: number;
  total: number;
}

/**
 * An area reference. In `_entities` calls for `microProjectSpendPerResident` the gateway adds the field
 * it `@requires`: the area's population of every year, from the people slice.
 */
export interface AreaReference extends EntityKey {
  populationHistory?: readonly PopulationEntry[] | null;
}
export type CommunityParent = AreaReference;
export type SubdistrictParent = AreaReference;
export type DistrictParent = AreaReference;
