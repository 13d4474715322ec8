import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { MerkleLogSealer } from '@duban/event-store';

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
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly sealer: MerkleLogSealer,
    private readonly config: IntegrityConfig,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    const tick = () => {
      this.inFlight = this.sealer
        .catchUp()
        .then((r) => {
          if (r.checkpoint) {
            this.logger.info({ treeSize: r.checkpoint.treeSize, root: r.checkpoint.rootHash, keyId: r.checkpoint.keyId }, 'signed log checkpoint');
          }
        })
        .catch((err) => this.logger.warn({ err }, 'sealing the Merkle log failed; retrying next tick'))
        .finally(() => {
          this.inFlight = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.config.sealIntervalMs);
        });
    };
    tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
  }
}
