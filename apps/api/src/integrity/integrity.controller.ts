import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Actor, ForbiddenError, InvalidInputError, ROLE_LABELS } from '@duban/domain';
import {
  ChainReport,
  checkpointText,
  ConsistencyProofResult,
  type EventSigner,
  InclusionProofResult,
  LogReport,
  MerkleLogReader,
  SignedCheckpoint,
  verifyChains,
  verifyMerkleLog,
} from '@duban/event-store';
import { CurrentActor } from '../auth/auth';
import { EVENT_SIGNER, PG_POOL } from '../database/database.module';
import { CheckpointListQueryDto, ConsistencyProofQueryDto, InclusionProofQueryDto } from './integrity.dto';
import { QueryResponses } from '../openapi/api-responses';

/** Who may check the record: the discipline inspector first of all, and the office that runs the system. */
export const INTEGRITY_ROLES = ['discipline_inspector', 'admin', 'supervisor'] as const;

function requireIntegrityRole(actor: Actor): void {
  if (!(INTEGRITY_ROLES as readonly string[]).includes(actor.role)) {
    throw new ForbiddenError(
      'ROLE_REQUIRED',
      'ROLE_REQUIRED',
      `完整性校验需要角色：${INTEGRITY_ROLES.map((r) => ROLE_LABELS[r]).join('、')}`,
    );
  }
}

/** A checkpoint as handed to an inspector: the fields, and the exact text the signature covers. */
export interface CheckpointView extends SignedCheckpoint {
  signedText: string;
  signatureAlgorithm: 'Ed25519';
}

const view = (cp: SignedCheckpoint): CheckpointView => ({ ...cp, signedText: checkpointText(cp), signatureAlgorithm: 'Ed25519' });

/**
 * Read-only integrity checks for discipline inspectors (纪委监委): the hash chains, the signed checkpoints of the
 * global Merkle log (RFC 6962), and inclusion / consistency proofs an inspector verifies with the public key alone.
 */
@ApiTags('integrity')
@ApiBearerAuth()
@Controller('integrity')
export class IntegrityController {
  private readonly log: MerkleLogReader;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_SIGNER) private readonly eventSigner: EventSigner,
  ) {
    this.log = new MerkleLogReader(pool);
  }

  @Get('chains')
  @QueryResponses('ChainReport', { without: [400, 404] })
  @ApiOperation({
    summary: '重算每个事件流的哈希链并校验每个事件的服务器签名，列出每个流第一个被破坏或伪造的事件（独立校验请用保存的公钥运行 npm run verify）',
    operationId: 'verifyChains',
  })
  chains(@CurrentActor() actor: Actor): Promise<ChainReport> {
    requireIntegrityRole(actor);
    return verifyChains(this.pool, { publicKeys: [this.eventSigner.publicKeyPem] });
  }

  @Get('event-public-key')
  @QueryResponses('EventPublicKey', { without: [400, 404] })
  @ApiOperation({ summary: '事件签名公钥（Ed25519，PEM）与密钥编号：检查人员保存在系统之外，用于 npm run verify', operationId: 'eventPublicKey' })
  eventPublicKey(@CurrentActor() actor: Actor): { keyId: string; publicKeyPem: string; algorithm: 'Ed25519' } {
    requireIntegrityRole(actor);
    return { keyId: this.eventSigner.keyId, publicKeyPem: this.eventSigner.publicKeyPem, algorithm: 'Ed25519' };
  }

  @Get('log')
  @QueryResponses('LogReport', { without: [400, 404] })
  @ApiOperation({
    summary: '重算全局默克尔日志：每个叶子对应的事件、每个检查点的根与签名（以数据库中登记的公钥校验；独立校验请用保存的公钥）',
    operationId: 'verifyMerkleLog',
  })
  merkleLog(@CurrentActor() actor: Actor): Promise<LogReport> {
    requireIntegrityRole(actor);
    return verifyMerkleLog(this.pool);
  }

  @Get('checkpoints')
  @QueryResponses('CheckpointList', { without: [404] })
  @ApiOperation({ summary: '签名检查点列表（新的在前）', operationId: 'listCheckpoints' })
  async checkpoints(@Query() q: CheckpointListQueryDto, @CurrentActor() actor: Actor): Promise<{ items: CheckpointView[] }> {
    requireIntegrityRole(actor);
    return { items: (await this.log.checkpoints({ limit: q.limit ?? 100, beforeSize: q.beforeSize })).map(view) };
  }

  @Get('checkpoints/latest')
  @QueryResponses('CheckpointView', { without: [400] })
  @ApiOperation({ summary: '最新的签名检查点（检查人员可保存在系统之外）', operationId: 'latestCheckpoint' })
  async latest(@CurrentActor() actor: Actor): Promise<CheckpointView> {
    requireIntegrityRole(actor);
    const cp = await this.log.latestCheckpoint();
    if (!cp) throw new NotFoundException({ code: 'CHECKPOINT_NOT_FOUND', message: '尚无签名检查点 (CHECKPOINT_NOT_FOUND)' });
    return view(cp);
  }

  @Get('public-key')
  @QueryResponses('PublicKey', { without: [400] })
  @ApiOperation({ summary: '检查点签名公钥（Ed25519，PEM）与密钥编号', operationId: 'logPublicKey' })
  async publicKey(
    @CurrentActor() actor: Actor,
  ): Promise<{ keyId: string; publicKeyPem: string; algorithm: 'Ed25519'; keys: { keyId: string; publicKeyPem: string; firstUsedAt: string }[] }> {
    requireIntegrityRole(actor);
    const keys = await this.log.signingKeys();
    if (!keys.length) {
      throw new NotFoundException({ code: 'SIGNING_KEY_NOT_FOUND', message: '尚未签署任何检查点，没有可公布的公钥 (SIGNING_KEY_NOT_FOUND)' });
    }
    const current = keys[keys.length - 1];
    return { keyId: current.keyId, publicKeyPem: current.publicKeyPem, algorithm: 'Ed25519', keys };
  }

  @Get('proofs/inclusion')
  @QueryResponses('InclusionProof', { also: [409] })
  @ApiOperation({ summary: '事件的包含证明（RFC 6962 审计路径）及其签名检查点', operationId: 'inclusionProof' })
  async inclusion(
    @Query() q: InclusionProofQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Omit<InclusionProofResult, 'checkpoint'> & { rootHash: string; checkpoint: CheckpointView }> {
    requireIntegrityRole(actor);
    const proof = await this.log.inclusionProof(q.eventId.toLowerCase(), q.treeSize);
    return { ...proof, rootHash: proof.checkpoint.rootHash, checkpoint: view(proof.checkpoint) };
  }

  @Get('proofs/consistency')
  @QueryResponses('ConsistencyProof', { also: [409] })
  @ApiOperation({ summary: '两个签名检查点之间的一致性证明（RFC 6962：旧日志是新日志的前缀）', operationId: 'consistencyProof' })
  async consistency(
    @Query() q: ConsistencyProofQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Omit<ConsistencyProofResult, 'from' | 'to'> & { from: CheckpointView; to: CheckpointView }> {
    requireIntegrityRole(actor);
    if (q.from > q.to) throw new InvalidInputError('INVALID_RANGE', 'from', `起点 ${q.from} 不能大于终点 ${q.to}`);
    const proof = await this.log.consistencyProof(q.from, q.to);
    return { proof: proof.proof, from: view(proof.from), to: view(proof.to) };
  }
}
