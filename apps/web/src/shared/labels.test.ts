import { describe, expect, it } from 'vitest';
import { mayVerify, whenSigned, whyNotVerify } from './labels';

const sup = { userId: 'sup-1', name: '李秀英', unitId: 'county-office', role: 'supervisor' as const };
const waiting = { state: 'AwaitingVerification', owner: { id: 'off-1', name: '甲', unitId: 'town-01' }, rectificationSignedBy: { id: 'off-1', name: '甲' } };

describe('who the page offers verification to (DESIGN rule 2, as the domain enforces it)', () => {
  it('a supervisor who neither owns the fix nor signed it', () => {
    expect(mayVerify(sup, waiting)).toBe(true);
  });
  it('not the owner, not the rectification signer, not another role, not before it is submitted', () => {
    expect(mayVerify({ ...sup, userId: 'off-1' }, waiting)).toBe(false);
    expect(mayVerify(sup, { ...waiting, owner: null, rectificationSignedBy: { id: 'sup-1', name: '李秀英' } })).toBe(false);
    expect(mayVerify({ ...sup, role: 'discipline_inspector' }, waiting)).toBe(false);
    expect(mayVerify(sup, { ...waiting, state: 'InRectification' })).toBe(false);
  });
  it('says why not in the words of the rule', () => {
    expect(whyNotVerify({ ...sup, userId: 'off-1' }, waiting)).toBe('整改责任人不能验收自己负责的问题');
  });
});

describe('when a step happened, on the audit timeline', () => {
  it('an online step: its signed time', () => {
    expect(whenSigned({ at: '2026-11-23T02:00:00.000Z', recordedAt: '2026-11-23T02:00:01.000Z', capturedAt: null })).toBe('2026/11/23 10:00:00');
  });
  it('an offline capture: the capture time on the phone and the server time it arrived', () => {
    expect(whenSigned({ at: '2026-11-23T02:00:00.000Z', recordedAt: '2026-11-23T02:00:00.000Z', capturedAt: '2026-11-22T23:15:00.000Z' })).toBe(
      '现场采集 2026/11/23 07:15:00（离线，2026/11/23 10:00:00 同步）',
    );
  });
});
