import { Module } from '@nestjs/common';
import { AcknowledgeEscalationController } from './acknowledge-escalation/acknowledge-escalation.controller';
import { AmendFindingController } from './amend-finding/amend-finding.controller';
import { AnnulFindingController } from './annul-finding/annul-finding.controller';
import { ClaimFindingController } from './claim-finding/claim-finding.controller';
import { DispatchBatchController } from './dispatch-batch/dispatch-batch.controller';
import { DispatchFindingController } from './dispatch-finding/dispatch-finding.controller';
import { GrantExtensionController } from './grant-extension/grant-extension.controller';
import { ReassignFindingController } from './reassign-finding/reassign-finding.controller';
import { RecordFindingController } from './record-finding/record-finding.controller';
import { RefuseExtensionController } from './refuse-extension/refuse-extension.controller';
import { RejectRectificationController } from './reject-rectification/reject-rectification.controller';
import { ReopenFindingController } from './reopen-finding/reopen-finding.controller';
import { ReportProgressController } from './report-progress/report-progress.controller';
import { RequestExtensionController } from './request-extension/request-extension.controller';
import { SubmitRectificationPlanController } from './submit-plan/submit-plan.controller';
import { SubmitRectificationController } from './submit-rectification/submit-rectification.controller';
import { VerifyRectificationController } from './verify-rectification/verify-rectification.controller';

/** One folder per use case; each sends a typed command to FindingCommands (libs/application). */
@Module({
  controllers: [
    AcknowledgeEscalationController,
    AmendFindingController,
    AnnulFindingController,
    ClaimFindingController,
    DispatchBatchController,
    DispatchFindingController,
    GrantExtensionController,
    ReassignFindingController,
    RecordFindingController,
    RefuseExtensionController,
    RejectRectificationController,
    ReopenFindingController,
    ReportProgressController,
    RequestExtensionController,
    SubmitRectificationPlanController,
    SubmitRectificationController,
    VerifyRectificationController,
  ],
})
export class FindingsModule {}
