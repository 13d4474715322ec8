import { createHash, createHmac } from 'node:crypto';

/** AWS Signature Version 4 for one S3 request, with node's crypto: what an S3-compatible store checks. */
export interface SigV4Request {
  method: string;
  /** Host, as sent in the Host header. */
  host: string;
  /** The URI-encoded path, e.g. `/bucket/key`. */
  path: string;
  /** Already-encoded query string without `?` (sorted by the caller), or ''. */
  query?: string;
  /** Headers to sign besides host, x-amz-date and x-amz-content-sha256 (lowercase names). */
  headers?: Record<string, string>;
  payloadSha256: string;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

/** The headers to send: the signed ones and `authorization`. */
export function signV4(r: SigV4Request): Record<string, string> {
  const headers: Record<string, string> = {
    ...r.headers,
    host: r.host,
    'x-amz-content-sha256': r.payloadSha256,
    'x-amz-date': r.amzDate,
  };
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [r.method, r.path, r.query ?? '', canonicalHeaders, signedHeaders, r.payloadSha256].join('\n');
  const day = r.amzDate.slice(0, 8);
  const scope = `${day}/${r.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', r.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${r.secretAccessKey}`, day), r.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${r.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

export const amzDateOf = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
export { sha256Hex };
