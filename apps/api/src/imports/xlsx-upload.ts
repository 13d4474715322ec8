import {
  applyDecorators,
  BadRequestException,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { catchError, Observable, throwError } from 'rxjs';
import { DEFAULT_XLSX_LIMITS, XlsxFileError, type XlsxLimits } from './xlsx-reader';

/** What an upload handler receives: the bytes and the name the client gave. */
export interface UploadedXlsx {
  buffer: Buffer;
  originalName: string;
}

const FIELD = 'file';

/** multer's refusals (too large, a second file, another field name) as the imports' 400s. */
@Injectable()
class UploadRefusals implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err) => {
        if (err instanceof PayloadTooLargeException) {
          return throwError(() => new XlsxFileError('FILE_TOO_LARGE', `文件超过 ${Math.round(DEFAULT_XLSX_LIMITS.maxBytes / 1024 / 1024)} MB 上限 (FILE_TOO_LARGE)`));
        }
        if (err instanceof BadRequestException && /unexpected field|too many/i.test(err.message)) {
          return throwError(() => new XlsxFileError('FILE_REQUIRED', `请用表单字段「${FIELD}」上传一个 .xlsx 文件 (FILE_REQUIRED)`));
        }
        return throwError(() => err);
      }),
    );
  }
}

/**
 * A multipart upload of one workbook in the form field `file`, held in memory and bounded by the limits' size (multer
 * stops reading past it). The OpenAPI document says so.
 */
export const XlsxUpload = (limits: XlsxLimits = DEFAULT_XLSX_LIMITS) =>
  applyDecorators(
    UseInterceptors(UploadRefusals, FileInterceptor(FIELD, { limits: { fileSize: limits.maxBytes, files: 1, fields: 10 } })),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: [FIELD],
        properties: { [FIELD]: { type: 'string', format: 'binary', description: `.xlsx 文件，不超过 ${limits.maxBytes} 字节` } },
      },
    }),
  );

/** The uploaded workbook; none at all is a 400 naming the form field. */
export const UploadedWorkbook = createParamDecorator((_: unknown, ctx: ExecutionContext): UploadedXlsx => {
  const file = ctx.switchToHttp().getRequest().file as { buffer?: Buffer; originalname?: string } | undefined;
  if (!file?.buffer) throw new XlsxFileError('FILE_REQUIRED', `请用表单字段「${FIELD}」上传一个 .xlsx 文件 (FILE_REQUIRED)`);
  return { buffer: file.buffer, originalName: file.originalname ?? '' };
});
