import type { FuzzRequest, Operation } from './openapi-requests';

/**
 * 5xx causes the fuzzer finds that other changes of issue 11 are fixing (input validation in apps/api). Each entry
 * names the cause and matches exactly its requests, so the fuzz test stays green meanwhile and still fails on any
 * other 5xx. Delete an entry once its fix has merged: the test then proves the fix.
 */
export interface Known5xx {
  id: string;
  reason: string;
  matches(op: Operation, req: FuzzRequest): boolean;
}

const PAGED = ['listFindings', 'getClaimList', 'getSignerAuditTrail', 'getAccountabilityLedger'];
const BIGINT_MAX = 2 ** 63 - 1;

// Empty: the five causes the fuzzer first found (paging past bigint, NUL in an unchecked path parameter, a body over
// 100 KB, deep nesting, a non-UTF charset) were fixed at the HTTP edge (apps/api/src/http), and the test proves it.
export const KNOWN_5XX: Known5xx[] = [];
