import { AccountAuditProjection } from './account-audit/account-audit.projection';
import { AccountabilityLedgerProjection } from './accountability/accountability.projection';
import { AuditTrailOptions, AuditTrailProjection } from './audit-trail/audit-trail.projection';
import { CadenceReportsProjection } from './cadence/cadence-reports.projection';
import { CampaignLifecycleProjection } from './cadence/campaign-lifecycle.projection';
import { InspectionReportsProjection } from './cadence/inspection-reports.projection';
import { CampaignsProjection } from './campaigns/campaigns.projection';
import { ClaimListProjection } from './claim-list/claim-list.projection';
import { DirectoryProjection } from './directory/directory.projection';
import { DispatchNoticesProjection } from './dispatch-notices/dispatch-notices.projection';
import { FindingLedgerProjection } from './finding-ledger/finding-ledger.projection';
import type { Projection } from './projection';
import { PropagationProjection } from './propagation/propagation.projection';
import { SelfCheckAccountabilityProjection } from './accountability/self-check-accountability.projection';
import { RectificationLedgerProjection } from './rectification-ledger/rectification-ledger.projection';
import { WebhookSubscriptionsProjection } from './webhooks/webhook-subscriptions.projection';

// Kept apart from index.ts so that code inside the library can use the list without importing the barrel that
// re-exports it.

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
    new InspectionReportsProjection(),
    new CadenceReportsProjection(),
    new CampaignLifecycleProjection(),
    new DirectoryProjection(),
    new AccountAuditProjection(),
    new PropagationProjection(),
    new SelfCheckAccountabilityProjection(),
    new WebhookSubscriptionsProjection(),
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
  'inspection_reports',
  'cadence_reports',
  'campaign_lifecycle',
  'directory',
  'account_audit',
  'propagation',
  'self_check_accountability',
  'webhook_subscriptions',
] as const;
export type ProjectionName = (typeof ALL_PROJECTIONS)[number];
