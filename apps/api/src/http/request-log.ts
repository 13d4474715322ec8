import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * pino-http's options for the API: one compact line per request — method, path, status, response time and the
 * correlation id, which follows the request into every event it appends and every line it logs. Not the headers:
 * pino's default serializers wrote ~0.9 kB a request (~600 bytes of it headers, the bearer token redacted), built on
 * every request whether or not the line was kept; nothing read them.
 */
export function requestLogOptions(level: string): Options<IncomingMessage, ServerResponse> {
  return {
    level,
    genReqId: (req, res) => {
      const incoming = req.headers['x-correlation-id'];
      const id = typeof incoming === 'string' && CORRELATION_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-correlation-id', id);
      return id;
    },
    // The request's logger (every line logged while handling it) is bound to the correlation id alone, and the
    // completion line adds the request: two child loggers a request, not four with a customProps binding.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    wrapSerializers: false,
    serializers: { req: compactRequest, res: compactResponse },
    autoLogging: { ignore: (req) => req.url === '/health' },
  };
}

/** The request as its log line names it; the single sign-on callback's query (the provider's code, our state) withheld. */
export function compactRequest(req: { method?: string; originalUrl?: string; url?: string }): { method?: string; url?: string } {
  const url = req.originalUrl ?? req.url;
  return { method: req.method, url: typeof url === 'string' && url.startsWith('/auth/oidc/callback') ? '/auth/oidc/callback?[redacted]' : url };
}

function compactResponse(res: { statusCode?: number }): { statusCode?: number } {
  return { statusCode: res.statusCode };
}
