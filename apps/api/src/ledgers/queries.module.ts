import { Module } from '@nestjs/common';
import { CalendarController, GetDayInfoHandler, GetDueDateHandler, GetOfficialYearHandler, GetOfficialYearsHandler } from '../calendar/calendar.controller';
import {
  GetCampaignHandler,
  ListCampaignsHandler,
  ListUnitsHandler,
  ReferenceController,
} from '../reference/reference.controller';
import {
  AccountabilityLedgerController,
  GetAccountabilityLedgerHandler,
} from './accountability/accountability.controller';
import {
  AuditTrailController,
  GetFindingAuditTrailHandler,
  GetSignerAuditTrailHandler,
} from './audit-trail/audit-trail.controller';
import { ClaimListController, GetClaimListHandler } from './claim-list/claim-list.controller';
import {
  DispatchNoticeController,
  GetDispatchNoticeHandler,
  GetFindingDispatchNoticeHandler,
} from './dispatch-notice/dispatch-notice.controller';
import { FindingLedgerController, GetFindingHandler, ListFindingsHandler } from './finding-ledger/finding-ledger.controller';
import {
  GetRectificationLedgerHandler,
  RectificationLedgerController,
} from './rectification-ledger/rectification-ledger.controller';
import { READ_MODEL_PROVIDERS } from './shared/read-model.providers';

/** Queries read read models only: the ledgers, the directory and reference data. */
@Module({
  controllers: [
    FindingLedgerController,
    RectificationLedgerController,
    AuditTrailController,
    ClaimListController,
    AccountabilityLedgerController,
    DispatchNoticeController,
    CalendarController,
    ReferenceController,
  ],
  providers: [
    ...READ_MODEL_PROVIDERS,
    ListFindingsHandler,
    GetFindingHandler,
    GetRectificationLedgerHandler,
    GetFindingAuditTrailHandler,
    GetSignerAuditTrailHandler,
    GetClaimListHandler,
    GetAccountabilityLedgerHandler,
    GetDispatchNoticeHandler,
    GetFindingDispatchNoticeHandler,
    GetDayInfoHandler,
    GetDueDateHandler,
    GetOfficialYearsHandler,
    GetOfficialYearHandler,
    ListUnitsHandler,
    ListCampaignsHandler,
    GetCampaignHandler,
  ],
})
export class QueriesModule {}
