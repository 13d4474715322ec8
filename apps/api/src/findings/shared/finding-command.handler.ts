import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExecuteFindingCommand, FindingCommandResult } from './finding-command';
import { FindingCommandService } from './finding-command.service';

@CommandHandler(ExecuteFindingCommand)
export class FindingCommandHandler implements ICommandHandler<ExecuteFindingCommand, FindingCommandResult> {
  constructor(private readonly service: FindingCommandService) {}

  execute(command: ExecuteFindingCommand): Promise<FindingCommandResult> {
    return this.service.execute(command);
  }
}
