import type { Finding } from '../api/client';
import type { Person } from '../session/session';

export const STATE_LABELS: Record<string, string> = {
  Recorded: '待交办',
  Dispatched: '待认领',
  InRectification: '整改中',
  AwaitingVerification: '待验收',
  Closed: '已销号',
  Annulled: '已作废',
};

export const SEVERITY: Record<string, { label: string; color: string }> = {
  red: { label: '红', color: 'red' },
  yellow: { label: '黄', color: 'gold' },
  blue: { label: '蓝', color: 'blue' },
};

/**
 * DESIGN rule 2, as the domain enforces it (libs/domain findings/decide.ts requireSeparationOfDuties): only a
 * supervisor verifies, and never the official who owns the fix or signed the rectification. The page offers the
 * action only when the API would accept it.
 */
export function mayVerify(person: Person, f: Pick<Finding, 'state' | 'owner' | 'rectificationSignedBy'>): boolean {
  return (
    person.role === 'supervisor' &&
    f.state === 'AwaitingVerification' &&
    f.owner?.id !== person.userId &&
    f.rectificationSignedBy?.id !== person.userId
  );
}

/** Why the page does not offer verification to this person, in their words. */
export function whyNotVerify(person: Person, f: Pick<Finding, 'owner' | 'rectificationSignedBy'>): string {
  if (person.role !== 'supervisor') return '只有督查办可以验收销号';
  if (f.owner?.id === person.userId) return '整改责任人不能验收自己负责的问题';
  if (f.rectificationSignedBy?.id === person.userId) return '整改完成签字人不能验收自己签字的整改';
  return '';
}

export const fmtTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/**
 * When a step happened, as the audit timeline says it. A step captured without signal and sent later shows the
 * phone's capture time first and the server's time it arrived ("同步"); the server's own time is the signed one.
 */
export function whenSigned(e: { at: string | null; recordedAt: string; capturedAt?: string | null }): string {
  if (!e.capturedAt) return fmtTime(e.at ?? e.recordedAt);
  return `现场采集 ${fmtTime(e.capturedAt)}（离线，${fmtTime(e.recordedAt)} 同步）`;
}
