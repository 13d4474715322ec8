import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { DubanConfig } from './config/config';
import { Clock } from './database/database.module';
import { useStrictBodyParsers } from './http/body-parsing';
import { withResponseSchemas } from './openapi/api-responses';
import { serveWebApp } from './web-app/serve-web-app';

/** Builds the HTTP application; main.ts listens, tests drive it over HTTP with supertest. */
export async function createApiApp(
  config: DubanConfig,
  options: { logger?: boolean; clock?: Clock; webDist?: string | null } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { clock: options.clock }), {
    bufferLogs: true,
    logger: options.logger === false ? false : undefined,
    bodyParser: false,
  });
  useStrictBodyParsers(app);
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  if (options.logger !== false) app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  serveWebApp(app, Object.keys(document.paths), options.webDist);
  return app;
}

/** The API's OpenAPI document: served at /api/docs-json, and the source of the web app's generated client types. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('督办 Duban API')
      .setDescription('整改专项行动：问题记录、交办、认领、整改、验收销号、台账。所有命令需要 Idempotency-Key 请求头。')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  return withResponseSchemas(doc);
}
