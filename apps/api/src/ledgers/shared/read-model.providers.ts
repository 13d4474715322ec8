import { Provider } from '@nestjs/common';
import { Pool } from 'pg';
import {
  AccountabilityLedgerQuery,
  AuditTrailQuery,
  CampaignsQuery,
  ClaimListQuery,
  DispatchNoticeQuery,
  FindingLedgerQuery,
  PropagationQuery,
  RectificationLedgerQuery,
} from '@duban/read-models';
import { PG_POOL } from '../../database/database.module';

/** Providers for read-model query objects, each over the application's pool. */
export const queryProviders = (...queries: Array<new (pool: Pool) => object>): Provider[] =>
  queries.map((Query) => ({ provide: Query, inject: [PG_POOL], useFactory: (pool: Pool) => new Query(pool) }));

/** The read-model query objects over the application's pool: queries read read models only. */
export const READ_MODEL_PROVIDERS: Provider[] = queryProviders(
  FindingLedgerQuery,
  ClaimListQuery,
  RectificationLedgerQuery,
  AuditTrailQuery,
  CampaignsQuery,
  AccountabilityLedgerQuery,
  DispatchNoticeQuery,
  // The origin finding's 举一反三 completeness, shown with the finding.
  PropagationQuery,
);
