import { BadRequestException, Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { type Actor, NotFoundError } from '@duban/domain';
import { EvidenceOwnersQuery } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { unitScopeDenied } from '../../ledgers/shared/scope';
import { DocumentResponses } from '../../openapi/api-responses';
import { EVIDENCE_STORE, type EvidenceStore } from '../storage/evidence-store';
import { EvidenceUploadsRepository, type StoredEvidence } from '../storage/evidence-uploads.repository';

/** Evidence hashes are lowercase hex SHA-256; anything else is a 400 naming the path parameter. */
export class Sha256Pipe {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'sha256', message: '字段 sha256 无效：必须是 64 位十六进制 SHA-256 (VALIDATION_FAILED)' });
    }
    return value.toLowerCase();
  }
}

const notFound = () => new NotFoundError('EVIDENCE_NOT_FOUND', '佐证材料不存在');

/** `filename*` carries the UTF-8 name (RFC 6266/5987); `filename` an ASCII stand-in for old clients. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

@ApiTags('evidence')
@ApiBearerAuth()
@Controller('evidence')
export class ReadEvidenceController {
  constructor(
    @Inject(EVIDENCE_STORE) private readonly store: EvidenceStore,
    private readonly uploads: EvidenceUploadsRepository,
    private readonly owners: EvidenceOwnersQuery,
  ) {}

  @Get(':sha256')
  @DocumentResponses('application/octet-stream')
  @ApiOperation({
    summary: '下载佐证材料：能查看其所属问题的人（或上传者本人）可下载；ETag 为 SHA-256',
    operationId: 'getEvidence',
  })
  async file(
    @Param('sha256', Sha256Pipe) sha256: string,
    @CurrentActor() actor: Actor,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const { stored, name } = await this.authorise(sha256, actor);
    await this.send(res, stored.sha256, stored.type, name, ifNoneMatch);
  }

  @Get(':sha256/thumbnail')
  @DocumentResponses('image/jpeg')
  @ApiOperation({ summary: '佐证图片的缩略图（JPEG，最长边 320 像素），权限同原图', operationId: 'getEvidenceThumbnail' })
  async thumbnail(
    @Param('sha256', Sha256Pipe) sha256: string,
    @CurrentActor() actor: Actor,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const { stored, name } = await this.authorise(sha256, actor);
    if (!stored.thumbnailSha256) throw new NotFoundError('THUMBNAIL_NOT_FOUND', '该佐证材料没有缩略图（不是图片）');
    await this.send(res, stored.thumbnailSha256, 'image/jpeg', `${name.replace(/\.[^.]*$/, '')}-缩略图.jpg`, ifNoneMatch);
  }

  /**
   * The findings' read rule: whoever may read a finding the file is attached to (a unit official only their unit's;
   * the county office, the inspectors and the discipline inspector every one), and the uploader before it is attached.
   * A file attached nowhere the reader may see is 404 unless it is attached somewhere (then 403, as for findings).
   */
  private async authorise(sha256: string, actor: Actor): Promise<{ stored: StoredEvidence; name: string }> {
    const stored = await this.uploads.stored(sha256);
    const naming = stored ? await this.uploads.nameFor(sha256, actor.userId) : null;
    if (!stored || !naming) throw notFound();
    if (naming.uploadedByUser) return { stored, name: naming.name };
    const owners = await this.owners.findingsOf(sha256);
    if (!owners.length) throw notFound();
    if (actor.role !== 'unit_official' || owners.some((o) => o.unitId === actor.unitId)) return { stored, name: naming.name };
    throw unitScopeDenied();
  }

  private async send(res: ServerResponse, sha256: string, type: string, name: string, ifNoneMatch: string | undefined): Promise<void> {
    const etag = `"${sha256}"`;
    res.setHeader('ETag', etag);
    // Access is checked per person: never a shared cache, but the browser may keep the immutable bytes.
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (ifNoneMatch && ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, '')).includes(etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const bytes = await this.store.get(sha256);
    if (!bytes) throw notFound();
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', contentDisposition(name));
    res.setHeader('Content-Length', String(bytes.length));
    res.statusCode = 200;
    res.end(bytes);
  }
}
