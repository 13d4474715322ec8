import { Module } from '@nestjs/common';
import { OperationsController } from './operations.controller';

/** GET-only operator views: projection checkpoints, lag and failures. */
@Module({ controllers: [OperationsController] })
export class OperationsModule {}
