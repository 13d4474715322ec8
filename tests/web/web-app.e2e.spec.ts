import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import type { ApiHarness } from '../support/api-harness';
import { createAccount, GOOD_PASSWORD } from '../support/sign-in-fixtures';
import { demoFindingId, seedDemoHistoryIn } from '../../apps/api/src/cli/demo-history';
import { choose, newContext, PHONE, screenshot, seriousViolations, signIn } from './browser';
import { command, startWebStack, stopWebStack, type WebStack } from './stack';

/**
 * The web app in a real Chromium against the real stack: the API (serving the built app at /) on a fresh PostgreSQL
 * seeded with the demo county, its clock fixed on Monday 2026-11-23 10:00 (Beijing) and the browser's with it. No
 * Temporal: no timer fires in this story. Projections are brought up to date the way the worker would, before each
 * page is (re)loaded.
 */
const NOW = '2026-11-23T02:00:00.000Z';
const DESCRIPTION = '脱贫户住房为C级危房，未纳入改造（浏览器测试）';

describe('the web app, person by person, in Chromium', () => {
  let stack: WebStack;
  let h: ApiHarness;
  let browser: Browser;
  let base: string;
  let findingId: string;
  let photo: Buffer;

  const open = async (name: string, device?: object) => {
    const context = await newContext(browser, base, NOW, device);
    const page = await context.newPage();
    await signIn(page, name);
    return page;
  };
  const fresh = async (page: Page, path: string) => {
    await h.catchUp();
    await page.goto(path);
  };
  const api = (userId: string, path: string, body: object = {}) => command(h, userId, path, body);
  const expectAccessible = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);

  beforeAll(async () => {
    stack = await startWebStack(NOW);
    ({ h, browser, base, photo } = stack);
  }, 180_000);

  afterAll(() => stopWebStack(stack));

  it('an administrator signs in with a one-time password, must change it first, lands home, and signing out revokes the session', async () => {
    const { temporaryPassword } = await createAccount(h, 'admin-1', 'wangjj');
    const context = await newContext(browser, base, NOW);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('tab', { name: '账号密码' }).click();
    await page.getByRole('textbox', { name: '账号' }).fill('wangjj');
    await page.getByLabel('密码', { exact: true }).fill(temporaryPassword);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { name: '修改密码' }).waitFor();
    // Nothing else opens until the password is changed.
    await page.goto('/search');
    await page.getByRole('heading', { name: '修改密码' }).waitFor();
    await page.getByLabel('当前密码（一次性密码）').fill(temporaryPassword);
    await page.getByLabel('新密码', { exact: true }).fill('wangjj-2026-new');
    await page.getByLabel('再次输入新密码').fill('wangjj-2026-new');
    await page.getByRole('button', { name: '修改密码并继续' }).click();
    await page.getByRole('alert').getByText(/密码不能包含登录名/).waitFor();
    await page.getByRole('alert').getByText(/密码要求：至少 10 个字符/).waitFor();
    await page.getByLabel('新密码', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel('再次输入新密码').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: '修改密码并继续' }).click();
    await page.getByRole('heading', { name: /今日待办/ }).waitFor();
    await page.getByText(/系统管理员维护单位与人员.*不签署任何业务步骤/).waitFor();
    await expectAccessible(page);
    const stored = JSON.parse((await page.evaluate('localStorage.getItem("duban.session")')) as string);
    expect(stored).toMatchObject({ mustChangePassword: false, person: { userId: 'admin-1', role: 'admin' } });

    // An access token the API no longer takes: the page's parallel requests share one refresh and are sent again.
    await page.evaluate(`localStorage.setItem("duban.session", JSON.stringify({ ...${JSON.stringify(stored)}, accessToken: "no-longer-valid" }))`);
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/findings' && r.status() === 200);
    await page.goto('/search');
    await page.getByRole('heading', { name: /问题查询/ }).waitFor();
    await answered;
    const renewed = JSON.parse((await page.evaluate('localStorage.getItem("duban.session")')) as string);
    expect(renewed.refreshToken).not.toBe(stored.refreshToken);
    expect(renewed.accessToken).not.toBe('no-longer-valid');
    expect((await h.http().post('/auth/refresh').send({ refreshToken: stored.refreshToken })).status).toBe(401);

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('tab', { name: '账号密码' }).waitFor();
    const revoked = await h.http().post('/auth/refresh').send({ refreshToken: renewed.refreshToken });
    expect(revoked.status).toBe(401);
    await context.close();
  }, 120_000);

  it('an inspector records a finding with the two-level checklist, severity and town → village', async () => {
    const page = await open('陈红梅');
    await expectAccessible(page);
    await page.getByRole('link', { name: '记录问题' }).first().click();
    await page.getByRole('heading', { name: '记录问题' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('combobox', { name: '清单条目' }).click();
    await page.getByRole('menuitemcheckbox', { name: /^2 / }).click();
    await page.getByRole('menuitemcheckbox', { name: /^2\.3 住房安全政策/ }).click();
    await page.getByText('红', { exact: true }).click();
    await choose(page, '乡镇', '洺北街道');
    await page.getByLabel('行政村').fill('张庄村');
    await page.getByLabel('问题描述').fill(DESCRIPTION);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '佐证照片' }).click()]);
    const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/evidence' && r.request().method() === 'POST');
    await chooser.setFiles({ name: '张庄村危房.png', mimeType: 'image/png', buffer: photo });
    expect((await uploaded).status()).toBe(201);
    await screenshot(page, '01-record-finding');
    await page.getByRole('button', { name: '签字提交' }).click();
    await page.getByText('已记录并签字').waitFor();
    const link = await page.getByRole('link', { name: '查看问题' }).getAttribute('href');
    findingId = link!.split('/').pop()!;
    await h.catchUp();
    const recorded = await h.http().get(`/findings/${findingId}`).set('Authorization', `Bearer ${h.token('jw-1')}`);
    expect(recorded.body).toMatchObject({ state: 'Recorded', severity: 'red', categoryCode: '2.3', townUnitId: 'town-01', village: '张庄村' });
    const { rows } = await h.db.adminPool.query(`SELECT data::jsonb->'evidence' AS evidence FROM events WHERE type = 'FindingRecorded' AND stream_id LIKE $1`, [`%${findingId}`]);
    expect(rows).toEqual([{ evidence: [createHash('sha256').update(photo).digest('hex')] }]);
    await page.context().close();
  }, 120_000);

  it('a supervisor dispatches it under one notice, seeing the due date before signing', async () => {
    const page = await open('李秀英');
    await screenshot(page, '02-supervisor-home');
    await fresh(page, '/board/dispatch');
    await page.getByRole('row', { name: new RegExp(DESCRIPTION.slice(0, 10)) }).getByRole('checkbox').check();
    await choose(page, '责任单位', '洺北街道');
    const due = await h.http().get('/calendar/due-date?workdays=3&campaignId=campaign-2026-q4').set('Authorization', `Bearer ${h.token('sup-1')}`);
    await page.getByText(`整改期限：${due.body.dueDate}（3 个工作日`).waitFor();
    await expectAccessible(page);
    await screenshot(page, '03-dispatch-board');
    await page.getByRole('button', { name: '交办 1 件' }).click();
    await page.getByRole('dialog').getByText(due.body.dueDate).waitFor();
    await page.getByRole('button', { name: '签字签发' }).click();
    await page.getByText(/督办通知书 .+ 已签发/).waitFor();
    await h.catchUp(); // the notice's read model
    const [print] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: '打印督办通知书' }).click()]);
    await print.getByRole('button', { name: '打印督办通知书' }).waitFor();
    await print.frameLocator('iframe').getByText('洺北街道').first().waitFor();
    await page.context().close();
  }, 120_000);

  it('the town official claims (signing that they own the fix), reports today and submits; verification is not theirs', async () => {
    const page = await open('郑爱民');
    await fresh(page, '/tasks');
    await page.getByRole('button', { name: '认领', exact: true }).click();
    await page.getByRole('dialog').getByText('您将对此问题的整改负责').waitFor();
    await page.getByRole('button', { name: '我认领，签字' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await fresh(page, '/tasks');
    await page.getByRole('link', { name: '今日进度' }).click();
    await page.getByLabel('进度说明').fill('已联系住建部门完成鉴定，施工队进场');
    await page.getByRole('button', { name: '上报今日进度' }).click();
    await page.getByText('今日进度已上报').waitFor();
    await fresh(page, '/tasks');
    await page.getByRole('button', { name: '整改完成' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: '整改完成' }).click();
    await page.getByLabel('整改完成情况').fill('危房改造完成，已入住');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '上传整改照片' }).click()]);
    const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/evidence' && r.request().method() === 'POST');
    await chooser.setFiles({ name: '改造后.png', mimeType: 'image/png', buffer: await sharp(photo).negate().png().toBuffer() });
    expect((await uploaded).status()).toBe(201);
    await page.getByRole('button', { name: '签字确认' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await fresh(page, `/case/${findingId}`);
    await page.getByText('待验收').first().waitFor();
    // Forbidden: absent from the page, and refused by the API.
    expect(await page.getByRole('button', { name: '验收销号' }).count()).toBe(0);
    const refused = await api('off-town-01-a', `/findings/${findingId}/verify`);
    expect([refused.status, refused.body.rule]).toEqual([403, 'ROLE_REQUIRED']);
    await page.context().close();
  }, 120_000);

  it('a different supervisor verifies it and it is closed', async () => {
    const page = await open('张国强');
    await fresh(page, '/board/verify');
    await page.getByRole('button', { name: '验收销号' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, '04-verify-queue');
    await page.getByRole('button', { name: '验收销号' }).click();
    await page.getByRole('button', { name: '签字确认' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await h.catchUp();
    const closed = await h.http().get(`/findings/${findingId}`).set('Authorization', `Bearer ${h.token('jw-1')}`);
    expect([closed.body.state, closed.body.verifiedBy?.id]).toEqual(['Closed', 'sup-2']);
    await page.context().close();
  }, 120_000);

  it('the discipline inspector sees the timeline with each signature and chain hash, and can change nothing', async () => {
    const page = await open('陆少华');
    await fresh(page, `/case/${findingId}`);
    await page.getByRole('heading', { name: '审计轨迹' }).waitFor();
    const trail = await h.http().get(`/findings/${findingId}/audit-trail`).set('Authorization', `Bearer ${h.token('jw-1')}`);
    // The newest entry on the page first (the timeline loads after its heading), then every entry is there.
    await page.getByText(`链哈希 ${trail.body.at(-1).hash}`).waitFor();
    expect(await page.getByText(/^链哈希 /).count()).toBe(trail.body.length);
    for (const name of ['郑爱民', '张国强', '李秀英', '陈红梅']) await page.getByRole('link', { name }).first().waitFor();
    // The inspector's photo, fetched with the token: its thumbnail has loaded.
    const thumb = page.getByRole('img', { name: '张庄村危房.png' });
    await thumb.waitFor();
    await page.waitForFunction(`[...document.images].some((i) => i.alt === '张庄村危房.png' && i.complete && i.naturalWidth > 0)`);
    await page.getByRole('img', { name: '改造后.png' }).waitFor();
    expect(await page.getByRole('note', { name: '演示数据' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /认领|验收销号|退回|改派|签字/ }).count()).toBe(0);
    const refused = await api('jw-1', `/findings/${findingId}/reopen`, { reason: '抽查' });
    expect([refused.status, refused.body.rule]).toEqual([403, 'READ_ONLY_ROLE']);
    await expectAccessible(page);
    await screenshot(page, '05-audit-timeline');
    await page.context().close();
  }, 120_000);

  it('the ledgers, reports and integrity screens read well and pass axe', async () => {
    const page = await open('陆少华');
    for (const [path, heading] of [
      ['/search', /问题查询/],
      ['/accountability', /问责台账/],
      ['/cadence', /通报与讲评/],
      ['/integrity-check', /数据完整性/],
    ] as const) {
      await fresh(page, path);
      await page.getByRole('heading', { name: heading }).waitFor();
      await expectAccessible(page);
    }
    await page.getByRole('button', { name: '立即校验' }).click();
    await page.getByText(/哈希链完好/).waitFor();
    await screenshot(page, '08-integrity');
    await page.context().close();
  }, 120_000);

  it('the town inbox fits a phone (390×844)', async () => {
    const recorded = await api('insp-2', '/findings', {
      campaignId: 'campaign-2026-q4',
      source: 'household_inspection',
      categoryCode: '1.1',
      severity: 'yellow',
      townUnitId: 'town-01',
      village: '李庄村',
      description: '监测户帮扶措施未落实到户',
    });
    expect((await api('sup-3', `/findings/${recorded.body.findingId}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    const page = await open('郑爱民', PHONE);
    await fresh(page, '/tasks');
    await page.getByRole('heading', { name: /本单位问题/ }).waitFor();
    await page.getByText('监测户帮扶措施未落实到户').waitFor();
    await page.getByText('剩 10 个工作日').waitFor();
    await page.getByRole('button', { name: '认领', exact: true }).waitFor();
    // Evaluated in the page (a string: the test's compiler has no DOM types).
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('link', { name: '今日待办' }).waitFor();
    await page.keyboard.press('Escape');
    await expectAccessible(page);
    await screenshot(page, '06-phone-inbox');
    await page.context().close();
  }, 120_000);

  it('captures offline on a phone: kept as 待同步, sent when the network returns, and a lost answer appends nothing twice', async () => {
    const page = await open('陈红梅', PHONE);
    await page.goto('/record');
    await page.getByRole('heading', { name: '记录问题' }).waitFor();
    const fill = async (text: string) => {
      await page.getByRole('combobox', { name: '清单条目' }).click();
      await page.getByRole('menuitemcheckbox', { name: /^1 / }).click();
      await page.getByRole('menuitemcheckbox', { name: /^1\.1 / }).click();
      await choose(page, '乡镇', '宁平镇');
      await page.getByLabel('问题描述').fill(text);
    };
    const before = await h.eventCount();
    await page.context().setOffline(true);
    await fill('村口饮水点停水三天（离线采集）');
    // The photo taken without signal waits on the phone with the command, and goes up before it.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '佐证照片' }).click()]);
    const offlinePhoto = await sharp(photo).flip().png().toBuffer();
    await chooser.setFiles({ name: '停水现场.png', mimeType: 'image/png', buffer: offlinePhoto });
    await page.getByText('停水现场.png').waitFor();
    await page.getByRole('button', { name: '签字提交' }).click();
    await page.getByText('已保存在本机，待同步').waitFor();
    await page.getByText(/记录问题：宁平镇 村口饮水点停水三天/).waitFor();
    await screenshot(page, '07-offline-pending');
    expect(await h.eventCount()).toBe(before);

    // The network returns, but the first answer is lost on the way back: the app keeps it and sends it again with
    // the same key — the API answers with the first result and appends nothing more.
    let lost = false;
    await page.route('**/findings', async (route) => {
      if (lost || route.request().method() !== 'POST') return route.continue();
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.context().setOffline(false);
    await page.getByText(/记录问题：宁平镇 村口饮水点停水三天/).waitFor({ state: 'detached', timeout: 60_000 });
    expect(lost).toBe(true);
    expect(await h.eventCount()).toBe(before + 1);
    const { rows } = await h.db.adminPool.query(
      `SELECT metadata::jsonb->>'capturedAt' AS "capturedAt" FROM events WHERE type = 'FindingRecorded' AND data::jsonb->>'description' LIKE '%离线采集%'`,
    );
    expect(rows).toEqual([{ capturedAt: NOW }]);
    const recorded = await h.db.adminPool.query(`SELECT data::jsonb->'evidence' AS evidence FROM events WHERE type = 'FindingRecorded' AND data::jsonb->>'description' LIKE '%离线采集%'`);
    expect(recorded.rows).toEqual([{ evidence: [createHash('sha256').update(offlinePhoto).digest('hex')] }]);
    await page.context().close();
  }, 180_000);

  it('the demo campaign’s month of history carries the 演示数据 banner wherever it shows', async () => {
    await seedDemoHistoryIn(h.app, new Date(NOW));
    const page = await open('陆少华');
    await fresh(page, `/case/${demoFindingId(1)}`);
    await page.getByRole('heading', { name: '审计轨迹' }).waitFor();
    await page.getByRole('note', { name: '演示数据' }).getByText(/是演示用的专项行动/).waitFor();
    await expectAccessible(page);
    await screenshot(page, '09-demo-banner');
    await page.context().close();
  }, 180_000);
});
