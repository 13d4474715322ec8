import { type Actor, addDays, compareLocalDates, type FindingCommand, InvalidStateError, type LocalDate, shanghaiInstant } from '@duban/domain';
import { END_MS, mulberry32, official, type Profile, supervisors, UNIT_NAMES } from './cadence-county';
import type { CampaignWriter } from './support';

/**
 * One finding's life from its recording to the report day, workday by workday: the people's steps at fixed hours,
 * and before each of them (and at the end of a stretch) whatever timers fell due in between, at their own instants.
 * It runs in stretches (`through`), so that reports can be published in between as the worker would have.
 */
export class FindingLife {
  private day: LocalDate;
  private unitId: string;
  private dispatchDay: LocalDate | null = null;
  private claimDay: LocalDate | null = null;
  private submittedDay: LocalDate | null = null;
  private resubmitDay: LocalDate | null = null;
  private rejected = false;
  private reassigned = false;
  private extended = false;
  private reopened = false;
  private readonly rnd: () => number;

  constructor(
    private readonly w: CampaignWriter,
    private readonly p: Profile,
  ) {
    this.day = p.recordDay;
    this.unitId = p.unitId;
    this.rnd = mulberry32(0x5eed ^ Number(p.findingId.slice(-5)));
  }

  /** Lives every workday up to `lastDay` (inclusive), then lets the timers due by `until` fire. */
  async through(lastDay: LocalDate, until: string): Promise<void> {
    for (; compareLocalDates(this.day, lastDay) <= 0; this.day = addDays(this.day, 1)) {
      if (this.w.ctx.calendar.isWorkday(this.day)) await this.workday(this.day);
    }
    await this.w.fireDue(this.p.findingId, until);
  }

  private async workday(day: LocalDate): Promise<void> {
    const { w, p } = this;
    const cal = w.ctx.calendar;
    const id = p.findingId;
    const plus = (d: LocalDate, n: number): LocalDate => (n <= 0 ? d : cal.addWorkdaysToDate(d, n));
    const [sup, sup2] = supervisors;
    const owner = () => official(this.unitId, p.claimant);
    const act = async (time: string, type: FindingCommand['type'], data: Record<string, unknown>, actor: Actor) => {
      const now = shanghaiInstant(day, time);
      await w.fireDue(id, now);
      await w.exec(id, type, data, actor, now);
    };
    const status = () => w.state(id).status;
    const due = (): LocalDate => (w.state(id) as { dueDate: LocalDate }).dueDate;
    const by = (time: string) => Date.parse(shanghaiInstant(day, time)) <= END_MS;

    if (day === p.recordDay) {
      await act(p.recordTime, 'RecordFinding', {
        findingId: id,
        campaignId: w.campaignId,
        source: 'household_inspection',
        categoryCode: ['2.3', '2.4', '3.1', '1.2'][Number(id.slice(-1)) % 4],
        severity: p.severity,
        townUnitId: p.townUnitId,
        village: `${UNIT_NAMES.get(p.townUnitId)}第${1 + (Number(id.slice(-3)) % 20)}村`,
        household: `户主${id.slice(-5)}`,
        description: '脱贫户住房安全鉴定后未落实改造（合成数据）',
        evidence: ['photo-1'],
      }, p.team.inspector);
      if (p.annul === 'recorded') await act('17:00', 'AnnulFinding', { reason: '重复登记' }, sup);
    }
    // 09:00 an extension asked for and decided.
    if (status() === 'InRectification' && p.extension && !this.extended && this.claimDay && day === plus(this.claimDay, 2) && by('09:15')) {
      this.extended = true;
      await act('09:00', 'RequestExtension', { workdays: 5, reason: '材料未到' }, owner());
      try {
        await act('09:15', 'GrantExtension', {}, sup);
      } catch (err) {
        if (!(err instanceof InvalidStateError)) throw err;
        await act('09:15', 'RefuseExtension', { reason: '已到阶段截止日' }, sup);
      }
    }
    // 09:30 the claim.
    if (status() === 'Dispatched' && this.dispatchDay && p.claimLag !== null && compareLocalDates(day, plus(this.dispatchDay, p.claimLag)) >= 0 && by('09:30')) {
      await act('09:30', 'ClaimFinding', {}, owner());
      this.claimDay = day;
    }
    // 10:00 the verification (a rejection the first time, for some), and a reopen after the look-back.
    if (status() === 'AwaitingVerification' && this.submittedDay && compareLocalDates(day, plus(this.submittedDay, p.verifyLag)) >= 0 && by('10:00')) {
      if (p.reject && !this.rejected) {
        this.rejected = true;
        await act('10:00', 'RejectRectification', { reason: '佐证不全' }, sup2);
        this.resubmitDay = plus(day, 2);
      } else {
        await act('10:00', 'VerifyRectification', { note: '同意销号' }, sup);
      }
    }
    if (status() === 'Closed' && p.reopen && !this.reopened && by('10:00')) {
      await w.fireDue(id, shanghaiInstant(day, '10:00'));
      const s = w.state(id) as { lookBackDueFor: string | null; closedAt: string | null };
      if (s.lookBackDueFor && s.lookBackDueFor === s.closedAt) {
        this.reopened = true;
        await act('10:00', 'ReopenFinding', { reason: '回头看发现反弹' }, sup);
        this.resubmitDay = plus(day, 2);
      }
    }
    // 10:30 the plan, on the day of the claim.
    if (status() === 'InRectification' && p.plan && this.claimDay === day && by('10:30')) {
      await act('10:30', 'SubmitRectificationPlan', { plan: '一户一策改造', measures: ['鉴定', '施工'] }, owner());
    }
    // 11:00 a reassignment the day after the claim; an annulment the day after the dispatch.
    if (status() === 'InRectification' && p.reassignTo && !this.reassigned && this.claimDay && day === plus(this.claimDay, 1) && by('11:00')) {
      this.reassigned = true;
      await act('11:00', 'ReassignFinding', { toUnitId: p.reassignTo, reason: '属行业部门职责' }, sup);
      this.unitId = p.reassignTo;
      this.dispatchDay = day;
      this.claimDay = null;
    }
    if (status() === 'Dispatched' && p.annul === 'dispatched' && this.dispatchDay && day === plus(this.dispatchDay, 1) && by('11:00')) {
      await act('11:00', 'AnnulFinding', { reason: '经核实不属于本次整改范围' }, sup);
    }
    // 15:00 the dispatch, under the campaign's next notice number.
    if (status() === 'Recorded' && p.annul !== 'recorded' && by('15:00')) {
      const lag = p.dispatchLag === 0 && p.recordTime >= '15:00' ? 1 : p.dispatchLag;
      if (compareLocalDates(day, plus(p.recordDay, lag)) >= 0) {
        await act('15:00', 'DispatchFinding', { unitId: this.unitId }, sup);
        this.dispatchDay = day;
      }
    }
    // 16:00 the day's progress report (most owners, most days); 16:30 the fix signed when its day has come.
    if (status() === 'InRectification' && this.claimDay && compareLocalDates(day, this.claimDay) > 0 && by('16:00') && this.rnd() < p.reportRate) {
      await act('16:00', 'ReportProgress', { summary: '按方案推进', percent: 50, evidence: [] }, owner());
    }
    const submit = status() === 'InRectification' ? this.submitDay(due, plus) : null;
    if (submit && compareLocalDates(day, submit) >= 0 && by('16:30')) {
      await act('16:30', 'SubmitRectification', { summary: '整改完成', evidence: ['done-1'] }, owner());
      this.submittedDay = day;
      this.resubmitDay = null;
    }
  }

  private submitDay(due: () => LocalDate, plus: (d: LocalDate, n: number) => LocalDate): LocalDate | null {
    if (this.resubmitDay) return this.resubmitDay;
    if (!this.claimDay || this.p.completion === 'stalled') return null;
    if (this.p.completion === 'late') return plus(due(), this.p.lateBy);
    return plus(this.claimDay, Math.round(this.p.onTimeShare * this.w.ctx.calendar.workdaysBetween(this.claimDay, due())));
  }
}
