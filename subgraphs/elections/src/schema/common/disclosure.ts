import { seesExactFigures, type Caller } from '@gongzhi/kit';
import type { ElectionRow } from '../../db/schema.ts';

/**
 * What the public and partners see of this slice's figures. An election's counts (its result, turnout and
 * candidates' votes and outcomes) once it is certified; counts of people below the disclosure threshold
 * never, nor anything derived from them (`withSmallCellsSuppressed` applies these rules).
 */
export const countsOpenTo = (caller: Caller, election: Pick<ElectionRow, 'reportStatus'>): boolean =>
  seesExactFigures(caller) || election.reportStatus === 'CERTIFIED';

/** Turnout: the two counts, and the rate built on them. */
export const turnoutCells = { counts: ['registered', 'participated'], derived: { rate: ['registered', 'participated'] } } as const;

/**
 * An election's count. `ballotsValid` is withheld with either count it is the difference of, so that
 * withholding a small `ballotsRejected` cannot be undone by subtraction.
 */
export const resultCells = {
  counts: ['registered', 'participated', 'ballotsCast', 'ballotsRejected', 'ballotsValid'],
  derived: { turnout: ['registered', 'participated'], ballotsValid: ['ballotsCast', 'ballotsRejected'] },
} as const;

/** Election totals: participation only; seats and members elected are public office, never withheld. */
export const totalsCells = { counts: ['registered', 'participated'], derived: { turnout: ['registered', 'participated'] } } as const;
