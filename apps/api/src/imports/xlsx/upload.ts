import { applyDecorators, BadRequestException } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import multer = require('multer');
import { ImportFileRefused } from './import-file-refused';
import { DEFAULT_XLSX_LIMITS } from './zip-guard';

// One spreadsheet per request, as multipart/form-data: the file in `file`, small text fields beside it. Read into
// memory under a hard size limit (multer stops reading at the limit), so a file over it costs the limit, not its size.

export const MAX_UPLOAD_BYTES = DEFAULT_XLSX_LIMITS.maxBytes;

/** The OpenAPI side of `readUpload`: one workbook in `file`, and the import's own text fields beside it. */
export const ApiXlsxUpload = (fields: Record<string, { type: 'string'; description: string }> = {}) =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary', description: `XLSX 文件（至多 ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB）` }, ...fields },
      },
    }),
  );

export interface Upload {
  fileName: string;
  buffer: Buffer;
  fields: Record<string, string>;
}

const parser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 256 * 1024, parts: 6 },
}).single('file');

export function readUpload(req: IncomingMessage, res: ServerResponse): Promise<Upload> {
  return new Promise((resolve, reject) => {
    parser(req, res, (err: unknown) => {
      if (err) return reject(uploadError(err));
      const file = (req as IncomingMessage & { file?: { buffer: Buffer; originalname: string } }).file;
      if (!file) {
        return reject(
          new BadRequestException({
            code: 'FILE_REQUIRED',
            field: 'file',
            message: '字段 file 无效：请以 multipart/form-data 上传一个 XLSX 文件，字段名为 file (FILE_REQUIRED)',
          }),
        );
      }
      const body = ((req as IncomingMessage & { body?: unknown }).body ?? {}) as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      // multer reads the name as latin1; browsers send UTF-8 bytes.
      resolve({ fileName: Buffer.from(file.originalname, 'latin1').toString('utf8'), buffer: file.buffer, fields });
    });
  });
}

function uploadError(err: unknown): Error {
  const code = (err as { code?: string }).code;
  if (code === 'LIMIT_FILE_SIZE') {
    return new ImportFileRefused('FILE_TOO_LARGE', `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB 的上限，请分批导入`);
  }
  const field = (err as { field?: string }).field ?? 'file';
  return new BadRequestException({
    code: 'BAD_UPLOAD',
    field,
    message: `字段 ${field} 无效：上传格式不正确（${code ?? (err as Error).message ?? '无法读取'}）；只上传一个文件，字段名为 file (BAD_UPLOAD)`,
  });
}
