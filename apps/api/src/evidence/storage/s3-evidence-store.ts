import type { EvidenceStore } from './evidence-store';
import { amzDateOf, sha256Hex, signV4 } from './sigv4';

export interface S3Config {
  /** e.g. `https://s3.cn-north-1.amazonaws.com.cn` or a MinIO URL; requests are path-style: `<endpoint>/<bucket>/<key>`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix inside the bucket. */
  prefix: string;
}

/** An S3-compatible bucket over its REST API (PUT/HEAD/GET Object), signed with SigV4; no SDK. */
export class S3EvidenceStore implements EvidenceStore {
  constructor(
    private readonly cfg: S3Config,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async send(method: 'GET' | 'HEAD' | 'PUT', sha256: string, body?: Buffer, type?: string): Promise<Response> {
    const url = new URL(this.cfg.endpoint);
    const path = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(this.cfg.bucket)}/${this.cfg.prefix}${sha256}`;
    const payloadSha256 = body ? sha256Hex(body) : sha256Hex('');
    const headers = signV4({
      method,
      host: url.host,
      path,
      headers: body ? { 'content-type': type ?? 'application/octet-stream', 'content-length': String(body.length) } : {},
      payloadSha256,
      amzDate: amzDateOf(this.now()),
      region: this.cfg.region,
      accessKeyId: this.cfg.accessKeyId,
      secretAccessKey: this.cfg.secretAccessKey,
    });
    delete headers.host;
    return fetch(`${url.origin}${path}`, { method, headers, body: body ? new Uint8Array(body) : undefined });
  }

  async put(sha256: string, bytes: Buffer, type: string): Promise<void> {
    const head = await this.send('HEAD', sha256);
    if (head.ok) return;
    const res = await this.send('PUT', sha256, bytes, type);
    if (!res.ok) throw new Error(`S3 PUT ${sha256} failed: ${res.status} ${await res.text()}`);
  }

  async get(sha256: string): Promise<Buffer | null> {
    const res = await this.send('GET', sha256);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`S3 GET ${sha256} failed: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}
