import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AuthGuard } from './auth/auth';
import { AuthModule } from './auth/auth.module';
import { DevSignInModule } from './auth/dev-sign-in/dev-sign-in.controller';
import { DubanConfig, DUBAN_CONFIG } from './config/config';
import { Clock, DatabaseModule } from './database/database.module';
import { DubanExceptionFilter } from './errors/http-errors';
import { RequestInputPipe } from './http/request-input';
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
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // The correlation id follows a request into every event it appends and every log line it writes.
            genReqId: (req, res) => {
              const incoming = req.headers['x-correlation-id'];
              const id = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
              res.setHeader('x-correlation-id', id);
              return id;
            },
            customProps: (req) => ({ correlationId: (req as { id?: unknown }).id }),
            redact: ['req.headers.authorization'],
            // The single sign-on callback's query carries the provider's authorization code and our state.
            serializers: { req: withoutSignInSecrets },
            autoLogging: { ignore: (req) => req.url === '/health' },
          },
        }),
        CqrsModule.forRoot(),
        JwtModule.register({ global: true, secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } }),
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

function withoutSignInSecrets(req: { url?: string; query?: unknown }): unknown {
  if (typeof req.url !== 'string' || !req.url.startsWith('/auth/oidc/callback')) return req;
  return { ...req, url: '/auth/oidc/callback?[redacted]', query: '[redacted]' };
}
