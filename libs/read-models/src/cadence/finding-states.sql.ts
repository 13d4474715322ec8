/**
 * Conditions on a finding_ledger_v2 state column, named for what they select. Annulled findings are void; closed ones
 * are done; while the verifier holds the work (AwaitingVerification) the escalation ladder waits, so it is open but
 * cannot stand overdue.
 */

/** Assigned work neither closed nor annulled. */
export const isOpen = (stateColumn: string): string => `${stateColumn} NOT IN ('Closed', 'Annulled')`;

/** Open and still the unit's to work on: what can be overdue. */
export const canBeOverdue = (stateColumn: string): string =>
  `${stateColumn} NOT IN ('Closed', 'Annulled', 'AwaitingVerification')`;
