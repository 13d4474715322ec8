import { Module } from '@nestjs/common';
import { IntegrityController } from './integrity.controller';

/** GET-only integrity checks (hash chains, signed Merkle checkpoints, proofs) for discipline inspectors. */
@Module({ controllers: [IntegrityController] })
export class IntegrityModule {}
