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

/**
 * Imported from a county's 问题清单 (issue 13): the move-in, not a discovery — not 'new' in a bulletin.
 */
export const isImported = (prefix = ''): string => `${prefix}imported_sha256 IS NOT NULL`;

/**
 * A finding the county's sheet already showed closed, brought in as history: closed before Duban, with no fix signed
 * or verified in it. It is nobody's work in any report period, so no bulletin, ranking or score counts it.
 */
export const isImportedHistory = (prefix = ''): string =>
  `(${prefix}state = 'Closed' AND ${prefix}imported_sha256 IS NOT NULL AND ${prefix}verified_by_id IS NULL)`;
