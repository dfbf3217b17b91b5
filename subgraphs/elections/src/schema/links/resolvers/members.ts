import type { SeatRow } from '../../../loaders/index.ts';

/**
 * Who sits on a committee on `on`, from the seats won in its certified elections: elected in an election
 * held on or before `on`, not vacated before `on`, and not superseded by a later general election held on
 * or before `on`. The general election's members come first in ballot order, by-election winners after.
 */
export function membersOn(seats: readonly SeatRow[], on: string): string[] {
  const held = seats.filter((seat) => seat.heldOn <= on);
  const lastGeneral = held.reduce((latest, seat) => (seat.type === 'GENERAL' && seat.heldOn > latest ? seat.heldOn : latest), '');
  const serving = held
    .filter((seat) => seat.heldOn >= lastGeneral && (seat.servedTo === null || seat.servedTo >= on))
    .sort(
      (a, b) =>
        Number(a.type !== 'GENERAL') - Number(b.type !== 'GENERAL') ||
        a.heldOn.localeCompare(b.heldOn) ||
        a.electionId.localeCompare(b.electionId) ||
        a.position - b.position,
    );
  return [...new Set(serving.map((seat) => seat.personId))];
}
