import { Module } from '@nestjs/common';
import { AttestSelfCheckController } from './attest-self-check/attest-self-check.controller';
import { ClaimSelfCheckController } from './claim-self-check/claim-self-check.controller';
import { LaunchPropagationController } from './launch-propagation/launch-propagation.controller';

/** 举一反三: one folder per use case; each sends a typed command to PropagationCommands (libs/application). */
@Module({ controllers: [LaunchPropagationController, ClaimSelfCheckController, AttestSelfCheckController] })
export class PropagationModule {}
