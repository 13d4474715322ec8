import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { MerkleLogSealer, Poller, type PollingLoopState } from '@duban/event-store';

export interface IntegrityConfig {
  /** How often the sealer appends new events to the Merkle log and signs a checkpoint when the log grew. */
  sealIntervalMs: number;
}

/**
 * Runs the sealer every `sealIntervalMs`: each tick seals everything visible (batches of leaves, each batch with its
 * subscription checkpoint in one transaction) and signs a checkpoint in the last batch's transaction when the tree
 * grew. Ticks never overlap; it stops before the pool closes.
 */
export class MerkleSealerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller = new Poller(async () => {
    const r = await this.sealer.catchUp();
    if (r.checkpoint) {
      this.logger.info({ treeSize: r.checkpoint.treeSize, root: r.checkpoint.rootHash, keyId: r.checkpoint.keyId }, 'signed log checkpoint');
    }
  });

  constructor(
    private readonly sealer: MerkleLogSealer,
    private readonly config: IntegrityConfig,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    // A failed pass (the database away) is retried with a growing pause; the log catches up from its checkpoint.
    void this.poller.start({ name: 'log sealer', intervalMs: this.config.sealIntervalMs, logger: this.logger });
  }

  get loopState(): PollingLoopState | null {
    return this.poller.state;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }
}
