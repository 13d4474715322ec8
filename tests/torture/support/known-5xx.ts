import { bodyText, FuzzRequest, Operation } from './openapi-requests';

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

export const KNOWN_5XX: Known5xx[] = [
  {
    id: 'paging-offset-beyond-bigint',
    reason:
      'issue 11 item 5: a page whose offset (page − 1) × pageSize passes bigint (page=1e21) reaches PostgreSQL as ' +
      '"5e+22" — 22P02 invalid input syntax for type bigint, or 22003 out of range for type bigint',
    matches: (op, req) => {
      if (!PAGED.includes(op.operationId) || req.query.page === undefined) return false;
      const page = Number(req.query.page);
      const size = Math.min(Number(req.query.pageSize ?? 50), 200);
      return Number.isInteger(page) && (page - 1) * size >= BIGINT_MAX;
    },
  },
  {
    id: 'nul-in-unchecked-path-parameter',
    reason:
      'issue 11 item 1: a NUL in a path parameter that no pipe checks (campaignId of GET /campaigns/{id}, unitId of ' +
      'the claim list, userId of the signer audit trail) reaches PostgreSQL — 22021 invalid byte sequence for ' +
      'encoding "UTF8": 0x00',
    matches: (op, req) => ['getCampaign', 'getClaimList', 'getSignerAuditTrail'].includes(op.operationId) && /%00/.test(req.path),
  },
  {
    id: 'body-over-100kb',
    reason:
      "issue 11 item 5: body-parser's PayloadTooLargeError (413, a JSON body over its 100 KB limit) is not an " +
      'HttpException, so the exception filter turns it into 500',
    matches: (_op, req) => !!req.body && Buffer.byteLength(bodyText(req.body)) > 100 * 1024,
  },
  {
    id: 'deeply-nested-body',
    reason:
      'issue 11 item 5: a body nested more than ~1,000 levels (15,000 in the issue) overflows the stack while it is ' +
      'transformed and validated — RangeError: Maximum call stack size exceeded',
    matches: (_op, req) => !!req.body && 'deep' in req.body && req.body.deep > 1000,
  },
  {
    id: 'charset-not-utf',
    reason:
      "issue 11 item 5: body-parser's UnsupportedMediaTypeError (415, charset.unsupported: application/json; " +
      'charset=latin1) is not an HttpException, so the exception filter turns it into 500',
    matches: (_op, req) => /charset=(?!utf-)/i.test(req.contentType ?? ''),
  },
];
