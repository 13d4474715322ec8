import { AccountabilityLedgerProjection } from './accountability/accountability.projection';
import { AuditTrailOptions, AuditTrailProjection } from './audit-trail/audit-trail.projection';
import { CampaignsProjection } from './campaigns/campaigns.projection';
import { ClaimListProjection } from './claim-list/claim-list.projection';
import { DispatchNoticesProjection } from './dispatch-notices/dispatch-notices.projection';
import { FindingLedgerProjection } from './finding-ledger/finding-ledger.projection';
import type { Projection } from './projection';
import { RectificationLedgerProjection } from './rectification-ledger/rectification-ledger.projection';

export * from './projection';
export * from './projection-runner';
export type { Page, Paging } from './support';
export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './support';
export * from './finding-ledger';
export * from './claim-list';
export * from './rectification-ledger';
export * from './audit-trail';
export * from './campaigns';
export * from './accountability';
export * from './dispatch-notices';
export * from './exports';

export type ProjectionOptions = AuditTrailOptions;

/** Every read model the API serves; the worker's runner feeds exactly these. */
export function createProjections(options: ProjectionOptions = {}): Projection[] {
  return [
    new FindingLedgerProjection(),
    new ClaimListProjection(),
    new RectificationLedgerProjection(),
    new AuditTrailProjection(options),
    new CampaignsProjection(),
    new AccountabilityLedgerProjection(),
    new DispatchNoticesProjection(options),
  ];
}

/** The projection names, for `rebuild(name)` and status pages. */
export const ALL_PROJECTIONS = [
  'finding_ledger',
  'claim_list',
  'rectification_ledger',
  'audit_trail',
  'campaigns',
  'accountability_ledger',
  'dispatch_notices',
] as const;
export type ProjectionName = (typeof ALL_PROJECTIONS)[number];
