import { Module } from '@nestjs/common';
import { PublishOfficialCalendarController } from './publish-official-calendar/publish-official-calendar.controller';

/** The calendar's one command: publishing a year's official notice (the queries live in QueriesModule). */
@Module({ controllers: [PublishOfficialCalendarController] })
export class CalendarCommandsModule {}
