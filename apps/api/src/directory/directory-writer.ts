import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  type DirectoryBatchResult,
  type DirectoryCommandRequest,
  type DirectoryCommandResult,
  DirectoryCommands,
  type CommandMeta,
} from '@duban/application';
import type { Actor } from '@duban/domain';
import { DirectoryProjector } from '@duban/read-models';

/**
 * The directory's commands (libs/application) followed by read-your-writes: the guard reads the directory on every
 * request, so a change is projected before it is answered. If the projection cannot catch up in time (another
 * session holds back the read horizon), the change is still committed and the worker projects it; the answer says so.
 */
@Injectable()
export class DirectoryWriter {
  constructor(
    private readonly commands: DirectoryCommands,
    private readonly projector: DirectoryProjector,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('directory');
  }

  async handle(command: DirectoryCommandRequest, signer: Actor, meta: CommandMeta): Promise<DirectoryCommandResult & { projected: boolean }> {
    const result = await this.commands.handle(command, signer, meta);
    return { ...result, projected: await this.settle() };
  }

  async handleBatch(
    commands: readonly DirectoryCommandRequest[],
    signer: Actor,
    meta: CommandMeta,
    commandType?: string,
  ): Promise<DirectoryBatchResult & { projected: boolean }> {
    const result = await this.commands.handleBatch(commands, signer, meta, commandType);
    return { ...result, projected: await this.settle() };
  }

  private async settle(): Promise<boolean> {
    const done = await this.projector.settle();
    if (!done) this.logger.warn('directory projection did not catch up in time; the worker will project the change');
    return done;
  }
}
