import { createHash } from 'node:crypto';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN, findingBody as finding, idempotencyKeys } from '../support/api-fixtures';
import { open } from '../support/xlsx-reader';
import { createWriteSide } from '@duban/application';
import { EVENT_STORE, EventStore } from '@duban/event-store';

const key = idempotencyKeys('prop');

/** 举一反三 over HTTP on real PostgreSQL: launch from a finding to three towns, claim, attest, completeness on the origin. */
describe('举一反三 (propagation) over HTTP', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object, idem = key()) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', idem).send(body);
  const launchBody = (origin: string, over: Record<string, unknown> = {}) => ({
    campaignId: DEMO_CAMPAIGN,
    originFindingId: origin,
    scope: 'chosen',
    unitIds: ['town-01', 'town-02', 'town-03'],
    instruction: '对照洺北街道张某某危房问题，逐户自查本乡镇C级危房改造情况',
    deadlineWorkdays: 5,
    ...over,
  });
  let origin: string;

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z');
    origin = (await post('insp-1', '/findings', finding())).body.findingId as string;
  });
  afterAll(async () => h.close());

  it('launch, claim, "none found", "found 2" (two linked findings dispatched to that unit), completeness on the origin', async () => {
    const idem = key();
    const launched = await post('sup-1', '/propagations', launchBody(origin), idem);
    expect(launched.status).toBe(201);
    expect(launched.body).toMatchObject({ unitIds: ['town-01', 'town-02', 'town-03'], version: 1, events: ['PropagationLaunched'] });
    const p = launched.body.propagationId as string;
    // The same request again is the same launch: nothing appended twice.
    const before = await h.eventCount();
    const again = await post('sup-1', '/propagations', launchBody(origin), idem);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(launched.body);
    expect(await h.eventCount()).toBe(before);

    expect((await post('off-town-01-a', `/propagations/${p}/units/town-01/claim`, {})).body).toMatchObject({ unitId: 'town-01', version: 2, events: ['SelfCheckClaimed'] });
    const none = await post('off-town-01-a', `/propagations/${p}/units/town-01/attest`, {
      outcome: 'none_found',
      checked: '逐户核对洺北街道 312 户C级危房台账，均已纳入改造',
      evidence: [],
    });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ version: 3, events: ['SelfCheckAttested'] });

    expect((await post('off-town-02-b', `/propagations/${p}/units/town-02/claim`, {})).status).toBe(200);
    const foundIdem = key();
    const foundBody = {
      outcome: 'found',
      checked: '逐户核对洺南街道危房台账',
      problems: [
        { categoryCode: '2.3', severity: 'red', village: '李庄村', household: '李某某', description: '脱贫户李某某住房为C级危房，未纳入改造' },
        { categoryCode: '2.3', severity: 'yellow', village: '王庄村', description: '监测户王某某危房改造资金未拨付' },
      ],
    };
    const found = await post('off-town-02-b', `/propagations/${p}/units/town-02/attest`, foundBody, foundIdem);
    expect(found.status).toBe(200);
    expect(found.body.findings).toHaveLength(2);
    for (const f of found.body.findings) expect(f.noticeNo).toMatch(/^郸巩督〔2026〕\d+号$/);
    const replay = await post('off-town-02-b', `/propagations/${p}/units/town-02/attest`, foundBody, foundIdem);
    expect(replay.body).toEqual(found.body);

    await h.catchUp();
    for (const { findingId } of found.body.findings) {
      const f = await h.http().get(`/findings/${findingId}`).set(as('sup-1'));
      expect(f.status).toBe(200);
      expect(f.body).toMatchObject({ state: 'Dispatched', unitId: 'town-02', source: 'self_inspection', townUnitId: 'town-02' });
      // The unit owns it at once: its official claims it like any dispatched finding.
    }
    const claimFound = await post('off-town-02-a', `/findings/${found.body.findings[0].findingId}/claim`, {});
    expect(claimFound.status).toBe(200);

    // The read side: the fan-out, each unit's task, and the origin's completeness.
    await h.catchUp();
    const view = await h.http().get(`/propagations/${p}`).set(as('sup-1'));
    expect(view.status).toBe(200);
    // Monday 23 November 10:00 + 5 workdays: Monday 30 November (the phase's last day).
    expect(view.body).toMatchObject({ origin: { kind: 'finding', findingId: origin }, unitsAsked: 3, unitsAttested: 2, problemsFound: 2, overdueTasks: 0, dueDate: '2026-11-30' });
    expect(view.body.tasks.map((t: { unitId: string; status: string; owner: { id: string } | null; foundCount: number }) => [t.unitId, t.status, t.owner?.id ?? null, t.foundCount])).toEqual([
      ['town-01', 'attested', 'off-town-01-a', 0],
      ['town-02', 'attested', 'off-town-02-b', 2],
      ['town-03', 'requested', null, 0],
    ]);
    const completeness = await h.http().get(`/findings/${origin}/propagation`).set(as('jw-1'));
    expect(completeness.body).toEqual({ findingId: origin, propagationIds: [p], unitsAsked: 3, unitsAttested: 2, problemsFound: 2, overdueTasks: 0 });
    // A unit official sees their own unit's task, and the whole fan-out's counts.
    const own = await h.http().get(`/propagations/${p}`).set(as('off-town-03-a'));
    expect(own.body.tasks.map((t: { unitId: string }) => t.unitId)).toEqual(['town-03']);
    expect(own.body.unitsAttested).toBe(2);
    // The audit trail says it in Chinese: the signer's attestation, and the self-found finding's origin.
    const trail = await h.http().get('/signers/off-town-02-b/audit-trail').set(as('jw-1'));
    const summaries = JSON.stringify(trail.body);
    expect(summaries).toContain('洺南街道 自查签字：发现问题 2 个，已登记并交本单位整改');
    expect(summaries).toContain('举一反三自查发现（洺南街道）');
    const listed = await h.http().get(`/propagations?originFindingId=${origin}`).set(as('sup-2'));
    expect(listed.body.items.map((i: { propagationId: string }) => i.propagationId)).toContain(p);

    // At the deadline, town-03's timer records the missing attestation against the unit (nobody claimed); it still
    // attests, late. The timer fires as a workflow would: planned from the stream, sent at its instant, once.
    const timers = createWriteSide({ store: h.app.get<EventStore>(EVENT_STORE), clock: h.clock }).selfCheckTimers;
    const plan = await timers.plan(p, 'town-03');
    expect(plan.timers.map((t) => t.dueAt)).toEqual(['2026-11-30T16:00:00.000Z']);
    expect((await timers.plan(p, 'town-01')).finished).toBe(true);
    h.clock.set('2026-12-01T02:00:00.000Z');
    try {
      // The overdue record and the ladder's first rung (通报) together; the same firing again is the same result.
      expect((await timers.fire(p, 'town-03', plan.timers[0], 'test')).events).toEqual(['SelfCheckOverdue', 'SelfCheckEscalated']);
      expect((await timers.fire(p, 'town-03', plan.timers[0], 'test')).events).toEqual(['SelfCheckOverdue', 'SelfCheckEscalated']);
      expect((await timers.plan(p, 'town-03')).timers.map((t) => t.command)).toEqual([{ type: 'EscalateSelfCheck', data: { level: 'interview' } }]);
      await h.catchUp();
      // In 问责台账 against the unit (nobody claimed), as a finding's unclaimed dispatch is.
      const ledger = await h.http().get(`/ledgers/accountability?propagationId=${p}`).set(as('jw-1'));
      expect(ledger.status).toBe(200);
      expect(ledger.body.items.map((i: { kind: string; level: string | null; person: unknown; unitId: string; subject: string }) => [i.subject, i.kind, i.level, i.person, i.unitId])).toEqual([
        ['self_check', 'escalation', 'notice', null, 'town-03'],
        ['self_check', 'self_check_overdue', null, null, 'town-03'],
      ]);
      expect(ledger.body.totals.byKind.self_check_overdue).toBe(1);
      const late = await h.http().get(`/propagations/${p}`).set(as('sup-1'));
      expect(late.body.overdueTasks).toBe(1);
      expect(late.body.tasks[2]).toMatchObject({ unitId: 'town-03', overdue: true, overdueRecorded: { at: '2026-11-30T16:00:00.000Z', accountable: null } });
      // No person answers (nobody claimed), so no signer's trail shows it; the task stream's audit rows do.
      const trail = await h.db.appPool.query<{ summary: string }>('SELECT summary FROM audit_trail_v2 WHERE stream_id = $1 ORDER BY version', [`selfcheck-${p}-town-03`]);
      expect(trail.rows.map((r) => r.summary)).toContain('东风街道 逾期未完成举一反三自查签字（期限 2026-11-30），责任单位 东风街道（尚无人签字认领）');
      expect((await post('off-town-03-a', `/propagations/${p}/units/town-03/claim`, {})).status).toBe(200);
      expect((await post('off-town-03-a', `/propagations/${p}/units/town-03/attest`, { outcome: 'none_found', checked: '逐户自查' })).status).toBe(200);
      await h.catchUp();
      const done = await h.http().get(`/findings/${origin}/propagation`).set(as('sup-1'));
      const after = await h.http().get(`/propagations/${p}`).set(as('sup-1'));
      expect(done.body).toMatchObject({ unitsAsked: 3, unitsAttested: 3, overdueTasks: 0 });
      // The origin's own page shows the fan-out; a finding nobody propagated from shows none.
      const page = await h.http().get(`/findings/${origin}`).set(as('sup-1'));
      expect(page.body.propagation).toEqual({ propagationIds: [p], unitsAsked: 3, unitsAttested: 3, problemsFound: 2, overdueTasks: 0 });
      const selfFound = after.body.tasks[1].findingIds[0] as string;
      expect((await h.http().get(`/findings/${selfFound}`).set(as('sup-1'))).body.propagation).toBeNull();
      expect(after.body.tasks[2]).toMatchObject({ status: 'attested', late: true, overdue: false });
      // The 举一反三 sheet of the ledger export: one row per unit asked.
      const file = await h
        .http()
        .get(`/exports/propagation-ledger.xlsx?originFindingId=${origin}`)
        .set(as('sup-1'))
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(file.status).toBe(200);
      const sheet = open(file.body as Buffer).sheets['举一反三'];
      expect(sheet.data.map((r) => [r['自查单位'], r['状态'], r['自查结论'], r['发现问题数'], r['逾期签字'], r['升级层级']])).toEqual([
        ['洺北街道', '已签字', '未发现同类问题', 0, '否', null],
        ['洺南街道', '已签字', '发现问题', 2, '否', null],
        ['东风街道', '已签字', '未发现同类问题', 0, '是', '通报'],
      ]);
      // The late attestation stopped the climb: no interview is planned.
      expect((await timers.plan(p, 'town-03')).timers).toEqual([]);
    } finally {
      h.clock.set('2026-11-23T02:00:00.000Z');
    }
  });

  it('refuses who may not: 403 naming the rule, nothing appended', async () => {
    const launched = await post('sup-1', '/propagations', launchBody(origin, { unitIds: ['town-04'] }));
    const p = launched.body.propagationId as string;
    const before = await h.eventCount();
    for (const userId of ['insp-1', 'off-town-04-a', 'jw-1', 'admin-1']) {
      const res = await post(userId, '/propagations', launchBody(origin));
      expect(res.status).toBe(403);
    }
    // Another unit's official claims nothing; a supervisor claims nothing.
    expect((await post('off-town-05-a', `/propagations/${p}/units/town-04/claim`, {})).body).toMatchObject({ code: 'NOT_YOUR_UNIT', rule: 'UNIT_SCOPE' });
    expect((await post('sup-1', `/propagations/${p}/units/town-04/claim`, {})).status).toBe(403);
    expect(await h.eventCount()).toBe(before);
    // Only the claimant attests.
    expect((await post('off-town-04-a', `/propagations/${p}/units/town-04/claim`, {})).status).toBe(200);
    const other = await post('off-town-04-b', `/propagations/${p}/units/town-04/attest`, { outcome: 'none_found', checked: '已自查' });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'NOT_CLAIMANT', rule: 'SIGNER_OWNS_IT' });
    // A second claim is a 409; an unasked unit's task is a 404.
    expect((await post('off-town-04-b', `/propagations/${p}/units/town-04/claim`, {})).status).toBe(409);
    expect((await post('off-town-05-a', `/propagations/${p}/units/town-05/claim`, {})).status).toBe(404);
  });

  it.each([
    [{ unitIds: [] }, 'unitIds'],
    [{ unitIds: ['town-01', 'nowhere-99'] }, 'unitIds[1]'],
    [{ deadlineWorkdays: 0 }, 'deadlineWorkdays'],
    [{ instruction: '' }, 'instruction'],
    [{ scope: 'everyone' }, 'scope'],
    [{ originFindingId: undefined }, 'originFindingId'],
    [{ originFindingId: '6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11' }, 'origin.findingId'],
    [{ scope: 'all_towns' }, 'unitIds'],
  ])('bad launch %j → 400 naming %s, nothing appended', async (over, field) => {
    const before = await h.eventCount();
    const res = await post('sup-1', '/propagations', launchBody(origin, over));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(await h.eventCount()).toBe(before);
  });

  it('bad attestations → 400 naming the field, nothing recorded', async () => {
    const p = (await post('sup-1', '/propagations', launchBody(origin, { unitIds: ['town-06'] }))).body.propagationId as string;
    expect((await post('off-town-06-a', `/propagations/${p}/units/town-06/claim`, {})).status).toBe(200);
    const before = await h.eventCount();
    const attest = (body: object) => post('off-town-06-a', `/propagations/${p}/units/town-06/attest`, body);
    expect((await attest({ outcome: 'found', checked: '已自查' })).body.field).toBe('problems');
    expect((await attest({ outcome: 'maybe', checked: '已自查' })).body.field).toBe('outcome');
    expect((await attest({ outcome: 'none_found', checked: '' })).body.field).toBe('checked');
    const badProblem = await attest({ outcome: 'found', checked: '已自查', problems: [{ categoryCode: '2.3', severity: 'red', description: '' }] });
    expect(badProblem.status).toBe(400);
    expect(badProblem.body.field).toMatch(/^problems\.0\.description|problems\[0\]\.description$/);
    const unknownCategory = await attest({ outcome: 'found', checked: '已自查', problems: [{ categoryCode: '9.9', severity: 'red', description: '某问题' }] });
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.field).toBe('problems[0].categoryCode');
    expect((await h.http().post(`/propagations/not-a-uuid/units/town-06/claim`).set(as('off-town-06-a')).set('Idempotency-Key', key()).send({})).body.field).toBe('propagationId');
    expect(await h.eventCount()).toBe(before);
  });

  it('races: two officials claim at once (one owns it, the other gets 409); a doubled "found" request records once', async () => {
    const p = (await post('sup-1', '/propagations', launchBody(origin, { unitIds: ['town-05'] }))).body.propagationId as string;
    const claims = await Promise.all(['off-town-05-a', 'off-town-05-b'].map((u) => post(u, `/propagations/${p}/units/town-05/claim`, {})));
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    const owner = claims[0].status === 200 ? 'off-town-05-a' : 'off-town-05-b';
    const idem = key();
    const body = { outcome: 'found', checked: '逐户自查', problems: [{ categoryCode: '2.3', severity: 'blue', description: '一户危房鉴定资料缺失' }] };
    const before = await h.eventCount();
    const [a, b] = await Promise.all([1, 2].map(() => post(owner, `/propagations/${p}/units/town-05/attest`, body, idem)));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    // One finding recorded and dispatched (its record, its dispatch, the campaign's notice number), one attestation.
    expect((await h.eventCount()) - before).toBe(4);
  });

  it('all towns / all departments: every active one of the directory is asked', async () => {
    const res = await post('sup-1', '/propagations', { ...launchBody(origin), scope: 'all_towns', unitIds: undefined });
    expect(res.status).toBe(201);
    expect(res.body.unitIds).toHaveLength(19);
    expect(res.body.unitIds).toContain('town-19');
    const depts = await post('sup-1', '/propagations', { ...launchBody(origin), scope: 'all_departments', unitIds: undefined });
    expect(depts.status).toBe(201);
    expect(depts.body.unitIds.length).toBeGreaterThan(3);
    expect(depts.body.unitIds.every((u: string) => u.startsWith('dept-'))).toBe(true);
  });

  it('a claimed task left unsigned climbs 通报 → 约谈 → 问责 against its claimant: in 问责台账 and the person\'s record', async () => {
    const p = (await post('sup-1', '/propagations', launchBody(origin, { unitIds: ['town-07'] }))).body.propagationId as string;
    expect((await post('off-town-07-a', `/propagations/${p}/units/town-07/claim`, {})).status).toBe(200);
    const timers = createWriteSide({ store: h.app.get<EventStore>(EVENT_STORE), clock: h.clock }).selfCheckTimers;
    // Each timer as the workflow fires it: planned from the stream, sent at its own instant.
    const fired: string[][] = [];
    for (;;) {
      const plan = await timers.plan(p, 'town-07');
      const next = plan.timers[0];
      if (!next) {
        expect(plan.finished).toBe(true);
        break;
      }
      fired.push((await timers.fire(p, 'town-07', next, 'test')).events);
    }
    expect(fired).toEqual([['SelfCheckOverdue', 'SelfCheckEscalated'], ['SelfCheckEscalated'], ['SelfCheckEscalated']]);
    await h.catchUp();
    const record = await h.http().get('/ledgers/accountability?userId=off-town-07-a').set(as('jw-1'));
    expect(record.body.items.map((i: { kind: string; level: string | null; step: string; propagationId: string }) => [i.kind, i.level, i.step, i.propagationId])).toEqual([
      ['escalation', 'accountability', 'SelfCheckClaimed', p],
      ['escalation', 'interview', 'SelfCheckClaimed', p],
      ['escalation', 'notice', 'SelfCheckClaimed', p],
      ['self_check_overdue', null, 'SelfCheckClaimed', p],
    ]);
    expect(record.body.totals.byLevel).toEqual({ notice: 1, interview: 1, accountability: 1 });
    // The unit's own official sees it; another unit's does not.
    expect((await h.http().get(`/ledgers/accountability?propagationId=${p}`).set(as('off-town-07-a'))).body.total).toBe(4);
    expect((await h.http().get(`/ledgers/accountability?propagationId=${p}`).set(as('off-town-08-a'))).body.total).toBe(0);
    // The person's audit trail says each rung in Chinese, against them.
    const trail = JSON.stringify((await h.http().get('/signers/off-town-07-a/audit-trail').set(as('jw-1'))).body);
    expect(trail).toMatch(/举一反三自查未签字升级：问责（建议），自查期限 \d{4}-\d{2}-\d{2}，责任人 /);
    expect(trail).toMatch(/举一反三自查未签字升级：约谈（建议），自查期限 [-\d]+，责任人 [^，]+；\d{4}-\d{2}-\d{2} 后问责/);
    const task = (await h.http().get(`/propagations/${p}`).set(as('sup-1'))).body.tasks[0];
    expect(task.ladder).toEqual({ level: 'accountability', nextDueDate: null });

    // 确认约谈: the supervisor signs that the interview goes ahead; nobody else may, and it is signed once.
    const ackPath = `/propagations/${p}/units/town-07/escalations/acknowledge`;
    const before = await h.eventCount();
    for (const userId of ['off-town-07-a', 'jw-1', 'insp-1']) expect((await post(userId, ackPath, { level: 'interview' })).status).toBe(403);
    expect((await post('sup-1', ackPath, { level: 'notice' })).body.field).toBe('level');
    expect(await h.eventCount()).toBe(before);
    const acked = await post('sup-2', ackPath, { level: 'interview', note: '已约谈曾庆华' });
    expect(acked.status).toBe(200);
    expect(acked.body.events).toEqual(['SelfCheckEscalationAcknowledged']);
    expect((await post('sup-1', ackPath, { level: 'interview' })).body).toMatchObject({ code: 'NO_ESCALATION_TO_ACKNOWLEDGE' });
    await h.catchUp();
    const interview = (await h.http().get(`/ledgers/accountability?propagationId=${p}&level=interview`).set(as('jw-1'))).body.items;
    expect(interview).toHaveLength(1);
    expect(interview[0].acknowledgement).toMatchObject({ by: { id: 'sup-2' }, note: '已约谈曾庆华' });
    // The 问责台账 XLSX has the task's rows, and its digest covers the task's own stream at the export's checkpoint.
    const xlsx = await h
      .http()
      .get(`/exports/accountability-ledger.xlsx?propagationId=${p}`)
      .set(as('jw-1'))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const f = open(xlsx.body as Buffer);
    expect(f.sheets['问责台账'].data.map((r) => [r['类别'], r['升级层级'], r['举一反三编号'], r['问题编号']])).toEqual([
      ['升级（通报/约谈/问责）', '问责', p, null],
      ['升级（通报/约谈/问责）', '约谈', p, null],
      ['升级（通报/约谈/问责）', '通报', p, null],
      ['逾期未完成举一反三自查', null, p, null],
    ]);
    expect(f.notes.get('所含问题事件流数')).toBe(1);
    const head = await h.db.adminPool.query(
      `SELECT stream_id, version, hash FROM events WHERE stream_id = $1 AND (transaction_id, position) <= ($2::text::xid8, $3::bigint)
        ORDER BY version DESC LIMIT 1`,
      [`selfcheck-${p}-town-07`, String(f.notes.get('检查点事务号（transaction_id）')), String(f.notes.get('检查点位置（position）'))],
    );
    const line = `${head.rows[0].stream_id}\t${head.rows[0].version}\t${head.rows[0].hash}\n`;
    expect(f.notes.get('问题流头哈希摘要（SHA-256）')).toBe(createHash('sha256').update(line, 'utf8').digest('hex'));
    const supTrail = JSON.stringify((await h.http().get('/signers/sup-2/audit-trail').set(as('jw-1'))).body);
    expect(supTrail).toContain('确认约谈（');
    expect(supTrail).toContain('举一反三自查未签字');
  });
});
