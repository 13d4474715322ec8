import {
  CallHandler,
  Controller,
  ExecutionContext,
  HttpCode,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { catchError, Observable, throwError } from 'rxjs';
import { type Actor, InvalidInputError } from '@duban/domain';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, type Clock } from '../../database/database.module';
import { CommandResponses } from '../../openapi/api-responses';
import { DUBAN_EVIDENCE_CONFIG } from '../storage/evidence-config';
import type { EvidenceConfig } from '../storage/evidence-config';
import { EvidenceIntake, type EvidenceUploadResult } from '../storage/evidence-intake';

/** What multer hands over for the `file` field (memory storage). */
interface UploadedPart {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** Multer's refusals (too large, a second file, another field) as a 400 naming the field, as every bad input is. */
@Injectable()
export class MultipartErrors implements NestInterceptor {
  constructor(@Inject(DUBAN_EVIDENCE_CONFIG) private readonly config: EvidenceConfig) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (!(err instanceof HttpException) || ![400, 413].includes(err.getStatus()) || 'code' in Object(err.getResponse())) {
          return throwError(() => err);
        }
        const mb = Math.floor(this.config.maxBytes / (1024 * 1024));
        return throwError(() =>
          err.getStatus() === 413
            ? new InvalidInputError('EVIDENCE_TOO_LARGE', 'file', `文件超过 ${mb} MB 上限 (${this.config.maxBytes} 字节)`)
            : new InvalidInputError('EVIDENCE_MULTIPART_INVALID', 'file', `请以 multipart/form-data 的 file 字段上传一个文件：${err.message}`),
        );
      }),
    );
  }
}

@ApiTags('evidence')
@ApiBearerAuth()
@Controller('evidence')
export class UploadEvidenceController {
  constructor(
    private readonly intake: EvidenceIntake,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @UseInterceptors(MultipartErrors, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @CommandResponses('EvidenceUpload', { status: 201, without: [404, 409] })
  @ApiOperation({
    summary: '上传佐证材料（图片、PDF、办公文档）：按 SHA-256 存储，命令以哈希引用',
    operationId: 'uploadEvidence',
  })
  upload(@UploadedFile() file: UploadedPart | undefined, @CurrentActor() actor: Actor): Promise<EvidenceUploadResult> {
    const bytes = file?.buffer ?? Buffer.alloc(0);
    return this.intake.accept({ bytes, name: file?.originalname ?? '', declaredType: file?.mimetype ?? '' }, actor, this.clock.now());
  }
}
