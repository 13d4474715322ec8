import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { type Actor, ForbiddenError, InvalidInputError } from '@duban/domain';
import { ACCEPTED_TYPES_TEXT, contradicts, detectEvidenceType, IMAGE_TYPES } from '../upload-evidence/file-types';
import { EVIDENCE_STORE, type EvidenceStore } from './evidence-store';
import { EvidenceUploadsRepository } from './evidence-uploads.repository';

export interface EvidenceUploadResult {
  sha256: string;
  name: string;
  type: string;
  size: number;
  thumbnailSha256?: string;
}

/** Those who sign evidence into a finding: inspectors record, officials report and submit, supervisors may attach. */
const UPLOADERS = new Set(['inspector', 'supervisor', 'unit_official']);
const THUMBNAIL_EDGE = 320;

const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Taking in one evidence file, for every entry point (POST /evidence, the demo seed): checks who uploads, its type by
 * its magic bytes, makes a thumbnail of an image, stores the bytes under their SHA-256 and records the upload.
 * The size limit is the multipart parser's (the bytes never reach here whole when too large).
 */
@Injectable()
export class EvidenceIntake {
  constructor(
    @Inject(EVIDENCE_STORE) private readonly store: EvidenceStore,
    private readonly uploads: EvidenceUploadsRepository,
  ) {}

  async accept(file: { bytes: Buffer; name: string; declaredType: string }, actor: Actor, at: Date): Promise<EvidenceUploadResult> {
    if (!UPLOADERS.has(actor.role)) throw new ForbiddenError('ROLE_REQUIRED', 'ROLE_REQUIRED', '只有督查人员、督办人员和整改单位可以上传佐证材料');
    if (!file.bytes.length) throw new InvalidInputError('EVIDENCE_FILE_REQUIRED', 'file', '请选择要上传的文件（file 字段，不能为空）');
    const name = file.name.normalize('NFC').trim().slice(0, 255) || 'evidence';
    if (/[\u0000-\u001f\u007f]|[\ud800-\udfff]/.test(name)) throw new InvalidInputError('UNSTORABLE_TEXT', 'file', '文件名含有不可保存的字符');
    const type = detectEvidenceType(file.bytes, name, file.declaredType);
    if (!type) throw new InvalidInputError('EVIDENCE_TYPE_NOT_ALLOWED', 'file', `只接受 ${ACCEPTED_TYPES_TEXT}（按文件内容判断）`);
    if (contradicts(file.declaredType, type)) {
      throw new InvalidInputError('EVIDENCE_TYPE_MISMATCH', 'file', `声明的类型 ${file.declaredType} 与文件内容（${type}）不符`);
    }
    const sha256 = sha256Of(file.bytes);
    const thumbnail = (IMAGE_TYPES as readonly string[]).includes(type) ? await this.thumbnailOf(file.bytes) : null;
    // Bytes first, then the record: a record never names bytes that are not stored (the reverse is only an orphan).
    await this.store.put(sha256, file.bytes, type);
    if (thumbnail) await this.store.put(thumbnail.sha256, thumbnail.bytes, 'image/jpeg');
    await this.uploads.record(
      { sha256, type, size: file.bytes.length, thumbnailSha256: thumbnail?.sha256 ?? null },
      { name, uploadedBy: actor.userId, at },
    );
    return { sha256, name, type, size: file.bytes.length, ...(thumbnail ? { thumbnailSha256: thumbnail.sha256 } : {}) };
  }

  private async thumbnailOf(bytes: Buffer): Promise<{ sha256: string; bytes: Buffer }> {
    try {
      const out = await sharp(bytes)
        .rotate()
        .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 75 })
        .toBuffer();
      return { sha256: sha256Of(out), bytes: out };
    } catch {
      throw new InvalidInputError('EVIDENCE_UNREADABLE', 'file', '图片无法解码，请重新拍摄或导出后上传');
    }
  }
}
