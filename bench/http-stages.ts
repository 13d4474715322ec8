import 'reflect-metadata';
import { createSecretKey, randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { ReportProgressDto } from '../apps/api/src/findings/report-progress/report-progress.controller';
import { RequestInputPipe } from '../apps/api/src/http/request-input';
import { requestLogOptions } from '../apps/api/src/http/request-log';

/**
 * Stages of one API request, each timed alone in this process (CPU per operation, variants interleaved), so that
 * what the HTTP bench's per-request CPU is made of can be said in numbers on a shared machine: the JWT check with the
 * secret as a string and as a key object, the request log line as it was (pino's default serializers with the
 * headers, redaction, a customProps binding) and as it is, and the validation of a progress report's body.
 */
const OPS = Number(process.env.BENCH_HTTP_STAGE_OPS ?? (process.env.BENCH_QUICK === '1' ? 2_000 : 20_000));

export interface StageResult {
  stage: string;
  variant: string;
  usPerOp: number;
}

export async function runHttpStages(): Promise<StageResult[]> {
  const secret = 'bench-http-secret-bench-http-secret-0123456789';
  const claims = { sub: 'bench-off-1', name: '压测干部1', unitId: 'town-01', role: 'unit_official', sid: randomUUID() };
  const asString = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  const asKey = new JwtService({ secret: createSecretKey(Buffer.from(secret, 'utf8')), signOptions: { algorithm: 'HS256' } });
  const token = asKey.sign(claims, { expiresIn: '1h' });

  const devNull = pino.destination({ dest: '/dev/null', sync: true });
  const before = pinoHttp({
    logger: pino({ level: 'info' }, devNull),
    genReqId: () => randomUUID(),
    customProps: (req) => ({ correlationId: (req as { id?: unknown }).id }),
    redact: ['req.headers.authorization'],
    serializers: { req: (req: unknown) => req },
  });
  const after = pinoHttp({ ...requestLogOptions('info'), logger: pino({ level: 'info' }, devNull) });
  const logOnce = (middleware: (req: IncomingMessage, res: ServerResponse) => void) => () => {
    const req = new IncomingMessage(new Socket());
    req.method = 'POST';
    req.url = `/findings/${claims.sid}/progress`;
    req.headers = {
      host: '127.0.0.1:3000',
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-${claims.sid}`,
      'content-length': '80',
      connection: 'keep-alive',
      'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36',
      accept: 'application/json',
      'accept-language': 'zh-CN,zh;q=0.9',
    };
    const res = new ServerResponse(req);
    middleware(req, res);
    res.statusCode = 200;
    res.emit('finish');
  };

  const pipe = new RequestInputPipe();
  const body = { summary: '按方案推进，已完成主体施工', percent: 60 };
  const validate = () => pipe.transform({ ...body }, { type: 'body', metatype: ReportProgressDto, data: '' });

  const variants: Array<[string, string, () => unknown]> = [
    ['JWT verify (HS256)', 'secret as a string (before)', () => asString.verify(token, { algorithms: ['HS256'] })],
    ['JWT verify (HS256)', 'secret as a key object (now)', () => asKey.verify(token, { algorithms: ['HS256'] })],
    ['request log line', 'no logger (the fake request and response alone)', logOnce(() => undefined)],
    ['request log line', 'default serializers, headers, customProps (before)', logOnce(before)],
    ['request log line', 'compact line, correlation id bound once (now)', logOnce(after)],
    ['validation', 'progress report body (class-transformer + class-validator)', validate],
  ];
  const cpu = new Map<string, number>();
  const rounds = 4;
  for (let r = 0; r < rounds; r++) {
    for (const [stage, variant, op] of variants) {
      const t0 = process.cpuUsage();
      for (let i = 0; i < OPS / rounds; i++) await op();
      const used = process.cpuUsage(t0);
      const key = `${stage}\u0000${variant}`;
      cpu.set(key, (cpu.get(key) ?? 0) + used.user + used.system);
    }
  }
  return variants.map(([stage, variant]) => ({ stage, variant, usPerOp: (cpu.get(`${stage}\u0000${variant}`) ?? 0) / OPS }));
}

export function stagesTable(results: StageResult[]): string {
  return [
    '| stage | variant | CPU µs/op |',
    '|---|---|---|',
    ...results.map((r) => `| ${r.stage} | ${r.variant} | ${r.usPerOp.toFixed(1)} |`),
  ].join('\n');
}

if (require.main === module) {
  void runHttpStages().then((r) => process.stdout.write(`${stagesTable(r)}\n`));
}
