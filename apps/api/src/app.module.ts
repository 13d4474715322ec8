import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { createSecretKey } from 'node:crypto';
import { AuthGuard } from './auth/auth';
import { AuthModule } from './auth/auth.module';
import { DevSignInModule } from './auth/dev-sign-in/dev-sign-in.controller';
import { DubanConfig, DUBAN_CONFIG } from './config/config';
import { Clock, DatabaseModule } from './database/database.module';
import { DubanExceptionFilter } from './errors/http-errors';
import { RequestInputPipe } from './http/request-input';
import { requestLogOptions } from './http/request-log';
import { HealthController } from './health/health.controller';
import { FindingsModule } from './findings/findings.module';
import { PropagationModule } from './propagation/propagation.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CalendarCommandsModule } from './calendar/calendar-commands.module';
import { QueriesModule } from './ledgers/queries.module';
import { IntegrityModule } from './integrity/integrity.module';
import { ExportsModule } from './exports/exports.module';
import { DirectoryModule } from './directory/directory.module';
import { DirectoryAdminModule } from './directory/directory-admin.module';
import { CommandsModule } from './commands/commands.module';
import { CadenceModule } from './cadence/cadence.module';
import { OperationsModule } from './operations/operations.module';
import { EvidenceModule } from './evidence/evidence.module';
import { ImportsModule } from './imports/imports.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  static forRoot(config: DubanConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolder, global: true, providers: [{ provide: DUBAN_CONFIG, useValue: config }], exports: [DUBAN_CONFIG] },
        LoggerModule.forRoot({ pinoHttp: requestLogOptions(config.logLevel) }),
        CqrsModule.forRoot(),
        // A key object, not the string: given a string, jsonwebtoken first tries it as a PEM public key on every
        // verify and sign (createPublicKey, which throws) — ~0.7 ms of CPU a request, the same HMAC key either way.
        JwtModule.register({ global: true, secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')), signOptions: { algorithm: 'HS256' } }),
        TerminusModule,
        DatabaseModule.forRoot({ clock: options.clock }),
        DirectoryModule,
        EvidenceModule,
        CommandsModule,
        AuthModule,
        FindingsModule,
        PropagationModule,
        CampaignsModule,
        CalendarCommandsModule,
        QueriesModule,
        IntegrityModule,
        ExportsModule,
        CadenceModule,
        OperationsModule,
        DirectoryAdminModule,
        ImportsModule,
        DevSignInModule,
        NotificationsModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: DubanExceptionFilter },
        { provide: APP_PIPE, useValue: new RequestInputPipe() },
      ],
    };
  }
}

@Module({})
class ConfigHolder {}
