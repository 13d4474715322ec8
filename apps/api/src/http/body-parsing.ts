import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUtf8 } from 'node:buffer';

/** The most a command body may weigh; a finding's text fields together stay far below it. */
export const BODY_LIMIT = '100kb';

/** A failure of the body parser that the exception filter answers as a 4xx (see http-errors.ts). */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly code: 'INVALID_UTF8' | 'UNSUPPORTED_MEDIA_TYPE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs on the raw bytes before they are decoded. A body in another charset would be transcoded and one with broken
 * UTF-8 decoded with U+FFFD in place of the bad bytes: either way the text signed into an event would not be the
 * text the client sent, so both are refused rather than repaired.
 */
function requireUtf8(_req: IncomingMessage, _res: ServerResponse, buf: Buffer, encoding: string | null): void {
  const charset = (encoding ?? 'utf-8').toLowerCase();
  if (charset !== 'utf-8' && charset !== 'utf8') {
    throw new BodyRefused(415, 'UNSUPPORTED_MEDIA_TYPE', `请求体只接受 UTF-8 编码，收到 ${charset} (UNSUPPORTED_MEDIA_TYPE)`);
  }
  if (!isUtf8(buf)) {
    throw new BodyRefused(400, 'INVALID_UTF8', '请求体不是有效的 UTF-8 文本 (INVALID_UTF8)');
  }
}

/** Replaces Nest's default parsers (create the app with `bodyParser: false`): same types and limit, UTF-8 only. */
export function useStrictBodyParsers(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: BODY_LIMIT, verify: requireUtf8 });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true, verify: requireUtf8 });
}
