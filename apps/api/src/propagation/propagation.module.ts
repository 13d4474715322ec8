import { Module } from '@nestjs/common';
import { PropagationQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { AcknowledgeSelfCheckEscalationController } from './acknowledge-self-check-escalation/acknowledge-self-check-escalation.controller';
import { AttestSelfCheckController } from './attest-self-check/attest-self-check.controller';
import { ClaimSelfCheckController } from './claim-self-check/claim-self-check.controller';
import { LaunchPropagationController } from './launch-propagation/launch-propagation.controller';
import {
  GetOriginCompletenessHandler,
  GetPropagationHandler,
  ListPropagationsHandler,
  PropagationQueriesController,
} from './propagation-queries/propagation-queries.controller';

/** 举一反三: one folder per use case; commands go to PropagationCommands (libs/application), queries read the read model. */
@Module({
  controllers: [
    LaunchPropagationController,
    ClaimSelfCheckController,
    AttestSelfCheckController,
    AcknowledgeSelfCheckEscalationController,
    PropagationQueriesController,
  ],
  providers: [...queryProviders(PropagationQuery), GetPropagationHandler, ListPropagationsHandler, GetOriginCompletenessHandler],
})
export class PropagationModule {}
