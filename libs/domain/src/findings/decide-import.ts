import { requireSeverity } from '../campaigns/policy';
import type { Actor } from '../shared/actor';
import { InvalidInputError, InvalidStateError } from '../shared/errors';
import { optionalLocalDate, optionalText, requireInteger, requireRole, requireText } from '../shared/guards';
import { isFindingSource } from './sources';
import type { FindingCommand, FindingContext, FindingEvent, FindingState } from './types';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * One row of a county's existing 问题清单. The importer signs the transcription, as an importer: an open row becomes
 * a recorded finding (dispatched afterwards with a numbered notice by a supervisor), a closed row becomes history with
 * the sheet's dates and no owner or verifier, since nobody signed those steps in Duban.
 */
export const decideImport = (
  command: Extract<FindingCommand, { type: 'ImportFinding' }>,
  state: FindingState,
  ctx: FindingContext,
  signed: { signedBy: Actor; at: string },
): FindingEvent[] => {
  requireRole(command.metadata.actor, ['supervisor', 'admin']);
  const d = command.data;
  const findingId = requireText(d.findingId, 'findingId', '问题编号');
  const campaignId = requireText(d.campaignId, 'campaignId', '专项行动编号');
  if (campaignId !== ctx.campaign.campaignId) {
    throw new InvalidInputError('CAMPAIGN_MISMATCH', 'campaignId', '问题所属专项行动与当前专项行动不一致');
  }
  if (!isFindingSource(d.source)) {
    throw new InvalidInputError('INVALID_SOURCE', 'source', `未知问题来源：${String(d.source)}`);
  }
  const from = d.importedFrom;
  if (!from || typeof from.sha256 !== 'string' || !SHA256_HEX.test(from.sha256)) {
    throw new InvalidInputError('INVALID_IMPORT_SOURCE', 'importedFrom.sha256', '导入文件的 SHA-256 应为 64 位小写十六进制');
  }
  const row = requireInteger(from.row, 'importedFrom.row', '导入行号', 1, 1_048_576);
  const facts = {
    findingId,
    campaignId,
    source: d.source,
    categoryCode: requireText(d.categoryCode, 'categoryCode', '问题类别'),
    severity: requireSeverity(d.severity, 'severity'),
    townUnitId: requireText(d.townUnitId, 'townUnitId', '所属乡镇'),
    village: optionalText(d.village, 'village', '村'),
    household: optionalText(d.household, 'household', '农户'),
    description: requireText(d.description, 'description', '问题描述'),
  };
  const sheetUnitId = optionalText(d.sheetUnitId, 'sheetUnitId', '责任单位');
  const sheetDueDate = optionalLocalDate(d.sheetDueDate, 'sheetDueDate');
  if (state.status !== 'Empty') {
    throw new InvalidStateError('FINDING_ALREADY_EXISTS', '该问题已导入，不能重复导入');
  }
  if (!d.closed) {
    return [
      {
        type: 'FindingRecorded',
        data: { ...facts, evidence: [], importedFrom: { sha256: from.sha256, row, sheetUnitId, sheetDueDate }, ...signed },
      },
    ];
  }
  const closedOn = optionalLocalDate(d.closed.closedOn, 'closed.closedOn');
  if (!closedOn) throw new InvalidInputError('MISSING_CLOSING_DATE', 'closed.closedOn', '已销号的问题需要销号日期');
  if (closedOn > ctx.calendar.localDateOf(signed.at)) {
    throw new InvalidInputError('CLOSED_IN_THE_FUTURE', 'closed.closedOn', `销号日期 ${closedOn} 晚于今天`);
  }
  const statusText = requireText(d.closed.statusText, 'closed.statusText', '整改情况');
  return [
    {
      type: 'FindingImported',
      data: {
        ...facts,
        importedFrom: { sha256: from.sha256, row },
        sourceState: 'closed',
        unitId: sheetUnitId,
        dueDate: sheetDueDate,
        closedOn,
        statusText,
        ...signed,
      },
    },
  ];
};
