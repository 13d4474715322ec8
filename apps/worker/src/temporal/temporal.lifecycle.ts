import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import type { Pool } from 'pg';
import type { LogSource, PollingLoopState } from '@duban/event-store';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import type { CadenceService, FindingTimers, SelfCheckTimers } from '@duban/application';
import { FINDING_TASK_QUEUE } from '@duban/contracts';
import { bundleWorkflows } from '@duban/workflows/bundle';
import { createCadenceActivities } from '../cadence/cadence.activities';
import { CadenceScheduleReconciler } from '../cadence/cadence-schedules';
import { createFindingActivities } from '../findings/finding.activities';
import { createSelfCheckActivities } from '../findings/self-check.activities';
import { TemporalForwarder } from '../forwarder/temporal-forwarder';

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue?: string;
  forwarderPollMs: number;
  /** A pre-built workflow bundle (tests build one per run); otherwise the worker bundles at start. */
  workflowBundlePath?: string;
  /** How often the cadence schedules look for campaign changes (campaigns_v1, campaign_lifecycle_v1); default 5 s. */
  schedulePollMs?: number;
}

/**
 * The Temporal side of the worker: one worker for the finding and cadence workflows (one bundle, one task queue), the
 * forwarder that feeds the finding workflows from the log, and the reconciler that keeps each campaign's cadence
 * Schedules in line with the campaign. Shutdown runs before the database pool closes (beforeApplicationShutdown): the
 * forwarder and the reconciler stop first, then the worker drains — in-flight activities finish their appends — and
 * only then do connections close.
 */
export class TemporalLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: Worker | null = null;
  private running: Promise<void> | null = null;
  private forwarder: TemporalForwarder | null = null;
  private schedules: CadenceScheduleReconciler | null = null;
  private native: NativeConnection | null = null;
  private connection: Connection | null = null;

  constructor(
    private readonly config: TemporalConfig,
    private readonly pool: Pool,
    private readonly timers: FindingTimers,
    private readonly cadence: CadenceService,
    private readonly selfChecks: SelfCheckTimers,
    private readonly logger: PinoLogger,
    /** The log when it is not in PostgreSQL (EVENT_STORE=kurrentdb). */
    private readonly logSource?: LogSource,
  ) {}

  /** The cadence Schedules' reconciler, once the worker has started. */
  get scheduleReconciler(): CadenceScheduleReconciler | null {
    return this.schedules;
  }

  /** The forwarder's and the schedules' polling loops: running, and how many passes failed in a row. */
  get loopStates(): PollingLoopState[] {
    return [this.forwarder?.loopState, this.schedules?.loopState].filter((s): s is PollingLoopState => !!s);
  }

  async onApplicationBootstrap(): Promise<void> {
    installRuntimeLogger(this.logger);
    const taskQueue = this.config.taskQueue ?? FINDING_TASK_QUEUE;
    this.native = await NativeConnection.connect({ address: this.config.address });
    const workflowBundle = this.config.workflowBundlePath
      ? { codePath: this.config.workflowBundlePath }
      : await bundleWorkflows({ logger: bundlerLogger(this.logger) });
    this.worker = await Worker.create({
      connection: this.native,
      namespace: this.config.namespace,
      taskQueue,
      workflowBundle,
      activities: { ...createFindingActivities(this.timers), ...createCadenceActivities(this.cadence), ...createSelfCheckActivities(this.selfChecks) },
    });
    this.running = this.worker.run();
    this.running.catch((err) => this.logger.error({ err }, 'Temporal worker stopped with an error'));

    this.connection = await Connection.connect({ address: this.config.address });
    const client = new Client({ connection: this.connection, namespace: this.config.namespace });
    this.forwarder = new TemporalForwarder(this.pool, client, this.logger, { taskQueue, source: this.logSource, planner: this.timers });
    this.forwarder.start(this.config.forwarderPollMs);
    this.schedules = new CadenceScheduleReconciler(this.pool, client, this.logger, {
      taskQueue,
      pollIntervalMs: this.config.schedulePollMs ?? 5000,
    });
    await this.schedules.start();
    this.logger.info(
      { address: this.config.address, namespace: this.config.namespace, taskQueue },
      'Temporal worker, forwarder and cadence schedules running',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.schedules?.stop();
    await this.forwarder?.stop();
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    await this.native?.close();
    this.logger.info('Temporal worker drained');
  }
}

let runtimeInstalled = false;

/** The SDK's core logs through its Runtime, once per process; route it to pino, warnings and above. */
function installRuntimeLogger(logger: PinoLogger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        const level = entry.level.toLowerCase() as Lowercase<LogLevel>;
        const log = level === 'error' ? logger.error : level === 'warn' ? logger.warn : logger.info;
        log.call(logger, { temporal: entry.meta }, entry.message);
      }),
    });
  } catch {
    // Already installed by the host (tests install a quiet one).
  }
}

function bundlerLogger(logger: PinoLogger) {
  const quiet = () => undefined;
  return {
    trace: quiet,
    debug: quiet,
    info: quiet,
    log: quiet,
    warn: (message: string, meta?: unknown) => logger.warn({ meta }, message),
    error: (message: string, meta?: unknown) => logger.error({ meta }, message),
  } as never;
}
