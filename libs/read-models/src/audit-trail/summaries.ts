import type { RecordedEvent } from '@duban/event-store';
import { shanghaiDateText, shanghaiDeadlineText } from '../support';

export type UnitNameResolver = (unitId: string) => string | undefined;

const SEVERITY: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色' };

const LEVEL: Record<string, string> = { notice: '通报', interview: '约谈', accountability: '问责' };

const REMINDER_LABELS: Record<string, string> = { due_tomorrow: '期限前一工作日', report_today: '当日进度', rung_tomorrow: '升级前一工作日', digest: '每日摘要' };

const WEBHOOK_FIELDS: Record<string, string> = { url: '接收地址', secretRef: '签名密钥', eventTypes: '事件类型', unitIds: '单位' };

const FIELD_LABELS: Record<string, string> = { description: '问题描述', categoryCode: '问题类别', severity: '严重程度' };

/**
 * A short Chinese line saying what the event changed, written at projection time from the event alone so the trail
 * reads without replaying the stream. Unknown types fall back to the type name: the row is still there.
 */
export function describeEvent(e: RecordedEvent, unitNameOf: UnitNameResolver = (id) => id): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const d = e.data as any;
  const unit = (id: unknown): string => (typeof id === 'string' ? (unitNameOf(id) ?? id) : '未知单位');
  const due = (date: unknown): string => (typeof date === 'string' ? `期限 ${date}` : '');
  // A timer's consequence names who answers for it: the person who signed the step, else the unit it was sent to.
  const answerable = (a: unknown): string => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const acc = (a ?? {}) as any;
    const unitId = acc.unitId ?? acc.person?.unitId;
    if (acc.person?.name) return `责任人 ${acc.person.name}（${unit(unitId)}）`;
    return `责任单位 ${unit(unitId)}（尚无人签字认领）`;
  };
  const level = (l: unknown): string => (typeof l === 'string' ? (LEVEL[l] ?? l) : '');
  switch (e.type) {
    case 'FindingRecorded':
      return `${
        d.importedFrom
          ? `从问题清单导入（第 ${d.importedFrom.row} 行${d.importedFrom.sheetUnitId ? `，表内责任单位 ${unit(d.importedFrom.sheetUnitId)}` : ''}${
              d.importedFrom.sheetDueDate ? `，表内整改时限 ${d.importedFrom.sheetDueDate}` : ''
            }），待交办；`
          : ''
      }${d.propagatedFrom ? `举一反三自查发现（${unit(d.propagatedFrom.unitId)}）；` : ''}登记问题（${SEVERITY[d.severity] ?? d.severity}，类别 ${d.categoryCode}，${unit(d.townUnitId)}${
        d.village ? ` ${d.village}` : ''
      }）`;
    case 'FindingImported':
      // The importer attests the transcription only: the sheet's dates are the sheet's, nobody signed them in Duban.
      return `从问题清单导入已销号问题（第 ${d.importedFrom?.row ?? '?'} 行，表内销号日期 ${d.closedOn}${
        d.unitId ? `，责任单位 ${unit(d.unitId)}` : ''
      }；导入人仅对转录负责，未经本系统认领、签字或验收）`;
    case 'FindingAmended': {
      const fields = Object.keys(d.changes ?? {}).map((k) => FIELD_LABELS[k] ?? k);
      return `更正问题：${fields.join('、') || '无字段'}`;
    }
    case 'FindingAnnulled':
      return '撤销问题';
    case 'FindingDispatched':
      return `交办至 ${unit(d.unitId)}，${due(d.dueDate)}${d.noticeNo ? `（${d.noticeNo}）` : ''}`;
    case 'FindingClaimed':
      return `${unit(d.unitId ?? d.signedBy?.unitId)} 认领问题`;
    case 'RectificationPlanSubmitted':
      return `提交整改方案（措施 ${Array.isArray(d.measures) ? d.measures.length : 0} 项${
        d.plannedCompletionDate ? `，计划完成 ${d.plannedCompletionDate}` : ''
      }）`;
    case 'ProgressReported':
      return `上报整改进度（${d.workday ?? ''}${typeof d.percent === 'number' ? `，${d.percent}%` : ''}）`;
    case 'ExtensionRequested':
      return `申请延期 ${d.workdays} 个工作日`;
    case 'ExtensionGranted':
      return `批准延期，期限 ${d.previousDueDate} → ${d.dueDate}`;
    case 'ExtensionRefused':
      return `不予延期（申请 ${d.workdays} 个工作日）`;
    case 'RectificationSubmitted':
      return `签字确认整改完成（佐证 ${Array.isArray(d.evidence) ? d.evidence.length : 0} 项）`;
    case 'RectificationRejected':
      return '验收未通过，退回整改';
    case 'FindingClosed':
      return '验收通过，销号';
    case 'FindingReassigned':
      return `改派：${unit(d.fromUnitId)} → ${unit(d.toUnitId)}，${due(d.dueDate)}`;
    case 'FindingReopened':
      return `回头看重新打开，退回 ${d.owner?.name ?? ''}，${due(d.dueDate)}`;
    case 'DispatchOverdue':
      return `逾期未交办（期限 ${shanghaiDeadlineText(d.dueAt)}），${answerable(d.accountable)}`;
    case 'ClaimOverdue':
      return `逾期未认领（期限 ${shanghaiDeadlineText(d.dueAt)}），${answerable(d.accountable)}`;
    case 'DailyReportMissed':
      return `未按时报送 ${d.workday ?? ''} 整改进展，${answerable(d.accountable)}`;
    case 'FindingOverdue':
      return `问题逾期（${due(d.dueDate)}），${answerable(d.accountable)}`;
    case 'FindingEscalated': {
      const proposal = d.level === 'notice' ? '' : '（建议）';
      const next = d.nextLevel && d.nextDueDate ? `；${d.nextDueDate} 后${level(d.nextLevel)}` : '';
      return `升级：${level(d.level)}${proposal}，整改${due(d.dueDate)}，${answerable(d.accountable)}${next}`;
    }
    case 'EscalationAcknowledged':
      return `确认${level(d.level)}（整改${due(d.dueDate)}），${answerable(d.accountable)}${d.note ? `：${d.note}` : ''}`;
    case 'VerificationOverdue':
      return `验收超期（期限 ${shanghaiDeadlineText(d.dueAt)}），${answerable(d.accountable)}`;
    case 'LookBackDue': {
      const closed = shanghaiDateText(d.closedAt);
      const people = [d.owner?.name ? `整改责任人 ${d.owner.name}` : '', d.verifiedBy?.name ? `验收人 ${d.verifiedBy.name}` : '']
        .filter(Boolean)
        .join('，');
      return `回头看到期（${closed} 销号）${people ? `，${people}` : ''}`;
    }
    case 'InspectionReportFiled': {
      const findings = Array.isArray(d.findingIds) ? d.findingIds.length : 0;
      const late = d.late ? `，逾期报送（截止 ${shanghaiDeadlineText(d.cutoffAt)}）` : '';
      return `${unit(d.teamId)} 报送 ${d.date ?? ''} 日督查报告（走访农户 ${d.householdsVisited ?? 0} 户、单位 ${
        d.unitsVisited ?? 0
      } 个，发现问题 ${findings} 个）${late}`;
    }
    case 'InspectionReportMissed': {
      // A team without a leader on record answers as a team; "尚无人签字认领" would not fit a daily report.
      const leader = d.accountable?.person?.name
        ? `责任人 ${d.accountable.person.name}（${unit(d.accountable.unitId ?? d.teamId)}组长）`
        : `责任单位 ${unit(d.accountable?.unitId ?? d.teamId)}（未设组长）`;
      return `未按时报送 ${d.date ?? ''} 日督查报告（截止 ${shanghaiDeadlineText(d.cutoffAt)}），${leader}`;
    }
    case 'CampaignCreated':
      return `创建专项行动「${d.name}」`;
    case 'CampaignPaused':
      return `暂停专项行动${d.reason ? `：${d.reason}` : ''}`;
    case 'CampaignResumed':
      return `恢复专项行动${d.reason ? `：${d.reason}` : ''}`;
    case 'CampaignEnded':
      return `结束专项行动${d.reason ? `：${d.reason}` : ''}`;
    case 'WebhookSubscribed':
      return `订阅 webhook ${d.subscriptionId}：${d.url}，事件 ${(d.eventTypes ?? []).join('、')}，单位 ${d.unitIds?.length ? d.unitIds.map(unit).join('、') : '全部'}`;
    case 'WebhookSubscriptionChanged':
      return `修改 webhook 订阅 ${d.subscriptionId}（${(d.changed ?? []).map((f: string) => WEBHOOK_FIELDS[f] ?? f).join('、')}）${d.reason ? `：${d.reason}` : ''}`;
    case 'WebhookUnsubscribed':
      return `取消 webhook 订阅 ${d.subscriptionId}${d.reason ? `：${d.reason}` : ''}`;
    case 'ReminderSettingsChanged': {
      const q = d.settings?.quietHours ?? {};
      const on = Array.isArray(d.settings?.enabled) ? d.settings.enabled.map((k: string) => REMINDER_LABELS[k] ?? k).join('、') || '无' : '全部';
      return `修改提醒设置：每日摘要 ${d.settings?.digestAt}，临近提醒 ${d.settings?.remindAt}，进度提醒 ${d.settings?.morningAt}，免打扰 ${q.from}–${q.to}；启用：${on}`;
    }
    case 'OfficialCalendarPublished':
      return `${d.yearVersion > 1 ? '更正' : '发布'} ${d.year} 年节假日安排 ${d.documentNo}（该年第 ${d.yearVersion} 版，日历版本 ${d.calendarVersion}）`;
    case 'NoticeRead':
      return `已阅通知：${d.title ?? ''}`;
    case 'DispatchNoticeIssued':
      return `印发督办通知书 ${d.noticeNo}（问题 ${Array.isArray(d.findingIds) ? d.findingIds.length : 0} 个）`;
    case 'PropagationLaunched': {
      const units = Array.isArray(d.unitIds) ? d.unitIds.length : 0;
      const from = d.origin?.kind === 'checklist_item' ? `检查清单 ${d.origin.categoryCode}` : '源问题';
      return `发起举一反三（对照${from}，${units} 个单位自查，${due(d.dueDate)}）`;
    }
    case 'SelfCheckRequested':
      return `要求 ${unit(d.unitId)} 举一反三自查（${due(d.dueDate)}）`;
    case 'SelfCheckClaimed':
      return `认领 ${unit(d.unitId)} 的举一反三自查任务`;
    case 'SelfCheckAttested':
      return `${unit(d.unitId)} 自查签字：${d.outcome === 'found' ? `发现问题 ${Array.isArray(d.findingIds) ? d.findingIds.length : 0} 个，已登记并交本单位整改` : '未发现同类问题'}${
        d.late ? '（逾期签字）' : ''
      }`;
    case 'SelfCheckOverdue':
      return `${unit(d.unitId)} 逾期未完成举一反三自查签字（期限 ${d.dueDate}），${answerable(d.accountable)}`;
    case 'SelfCheckEscalated': {
      const proposal = d.level === 'notice' ? '' : '（建议）';
      const next = d.nextLevel && d.nextDueDate ? `；${d.nextDueDate} 后${level(d.nextLevel)}` : '';
      return `${unit(d.unitId)} 举一反三自查未签字升级：${level(d.level)}${proposal}，自查${due(d.dueDate)}，${answerable(d.accountable)}${next}`;
    }
    case 'SelfCheckEscalationAcknowledged':
      return `确认${level(d.level)}（${unit(d.unitId)} 举一反三自查未签字，自查${due(d.dueDate)}），${answerable(d.accountable)}${d.note ? `：${d.note}` : ''}`;
    default:
      return e.type;
  }
}
