import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import type { ApiHarness } from '../support/api-harness';
import { launchProfile, newContext, PHONE, screenshot, seriousViolations, signIn } from './browser';
import { command, startWebStack, stopWebStack, type WebStack } from './stack';

/**
 * The app as a town official's phone keeps it: installed (manifest, service worker, every screen cached), and
 * today's progress report sent from a village without signal. The API's clock is fixed on Monday 2026-11-23 at
 * 10:00 (Beijing); the phone captures at 08:30 the same morning and reaches the network at 10:00.
 */
const NOW = '2026-11-23T02:00:00.000Z';
const CAPTURED = '2026-11-23T00:30:00.000Z';
const DESCRIPTION = '村道边坡塌方未修复，存在安全隐患（离线进度）';
const SUMMARY = '已设置警示标志，挖掘机进场清理塌方';

describe('the installed app on a phone (390×844)', () => {
  let stack: WebStack;
  let h: ApiHarness;
  let browser: Browser;
  let base: string;
  let photo: Buffer;

  beforeAll(async () => {
    stack = await startWebStack(NOW);
    ({ h, browser, base, photo } = stack);
  }, 180_000);

  afterAll(() => stopWebStack(stack));

  it('can be installed: a manifest Chromium accepts, PNG icons of the sizes it names, and a service worker holding every screen', async () => {
    const context = await launchProfile(base, PHONE);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: /督办/ }).waitFor();
    // The first screen (plain markup, no Ant Design) passes axe like the others.
    await page.getByRole('combobox', { name: '选择人员' }).and(page.locator(':enabled')).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '00-phone-sign-in');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await (await page.request.get(href!)).json();
    expect(manifest).toMatchObject({ short_name: '督办', lang: 'zh-CN', start_url: '/', scope: '/', display: 'standalone' });
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i: { sizes: string }) => i.sizes === `${size}x${size}`);
      const { format, width, height } = await sharp(await (await page.request.get(icon.src)).body()).metadata();
      expect([icon.type, format, width, height]).toEqual(['image/png', 'png', size, size]);
    }
    // The worker takes the page over once it has cached the shell and every chunk the build lists.
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    const cdp = await context.newCDPSession(page);
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    const chunks: string[] = await (await page.request.get('/precache.json')).json();
    expect(chunks.some((c) => c.includes('ProgressCapturePage'))).toBe(true);
    const cached = (await page.evaluate(
      `caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.keys())))).then((all) => all.flat().map((r) => new URL(r.url).pathname))`,
    )) as string[];
    expect(chunks.filter((c) => !cached.includes(c))).toEqual([]);
    await context.close();
  }, 120_000);

  it('a town official reports today’s progress with a photo without signal: 待同步 on the phone, sent once when the network returns, shown with its capture time', async () => {
    // Set-up through the API: recorded by an inspector, dispatched to 洺北街道, claimed by its official.
    const recorded = await command(h, 'insp-2', '/findings', {
      campaignId: 'campaign-2026-q4',
      source: 'household_inspection',
      categoryCode: '1.1',
      severity: 'yellow',
      townUnitId: 'town-01',
      village: '王庄村',
      description: DESCRIPTION,
    });
    const findingId: string = recorded.body.findingId;
    expect((await command(h, 'sup-3', `/findings/${findingId}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    expect((await command(h, 'off-town-01-a', `/findings/${findingId}/claim`)).status).toBe(200);
    await h.catchUp();

    // 08:30 in the village: the app, opened with signal earlier, is on the phone.
    const context = await newContext(browser, base, CAPTURED, PHONE, true);
    const page = await context.newPage();
    await signIn(page, '郑爱民');
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    await page.goto('/tasks');
    await page.getByRole('link', { name: '今日进度' }).click();
    await page.getByRole('heading', { name: '今日进度' }).waitFor();
    await page.getByRole('link', { name: DESCRIPTION }).waitFor();

    await context.setOffline(true);
    // No signal: the page still opens (from the service worker's cache), reloaded as a person would.
    await page.reload();
    await page.getByRole('heading', { name: '今日进度' }).waitFor();
    const before = await h.eventCount();
    await page.getByLabel('进度说明').fill(SUMMARY);
    await page.getByLabel('完成百分比').fill('30');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '上传现场照片' }).click()]);
    const sitePhoto = await sharp(photo).rotate(180).png().toBuffer();
    await chooser.setFiles({ name: '边坡现场.png', mimeType: 'image/png', buffer: sitePhoto });
    await page.getByText('边坡现场.png').waitFor();
    await page.getByRole('button', { name: '上报今日进度' }).click();
    await page.getByText('当前无网络：已保存在本机，待同步').waitFor();
    const waiting = page.getByRole('listitem').filter({ hasText: '今日进度：' });
    await waiting.getByText('待同步').waitFor();
    await waiting.getByText('采集于 2026/11/23 08:30:00').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '10-phone-offline-progress');
    expect(await h.eventCount()).toBe(before);

    // 10:00, back in range: it goes out by itself, photo first, and leaves the phone.
    await context.clock.setFixedTime(new Date(NOW));
    await context.setOffline(false);
    await waiting.waitFor({ state: 'detached', timeout: 60_000 });
    const { rows } = await h.db.adminPool.query(
      `SELECT metadata::jsonb->>'capturedAt' AS "capturedAt", metadata::jsonb->>'commandId' AS "commandId", recorded_at AS "recordedAt",
              data::jsonb->>'summary' AS summary, (data::jsonb->>'percent')::int AS percent, data::jsonb->'evidence' AS evidence
         FROM events WHERE type = 'ProgressReported' AND stream_id LIKE $1`,
      [`%${findingId}`],
    );
    const hash = createHash('sha256').update(sitePhoto).digest('hex');
    expect(rows).toEqual([
      { capturedAt: CAPTURED, commandId: expect.stringMatching(/^off-town-01-a:/), recordedAt: new Date(NOW), summary: SUMMARY, percent: 30, evidence: [hash] },
    ]);

    // The same command again (a phone that never heard the answer): the first result, nothing appended.
    const appended = await h.eventCount();
    const key = rows[0].commandId.slice('off-town-01-a:'.length);
    const replay = await command(h, 'off-town-01-a', `/findings/${findingId}/progress`, { summary: SUMMARY, percent: 30, evidence: [hash] }, key).set('X-Captured-At', CAPTURED);
    expect(replay.status).toBeLessThan(300);
    expect(await h.eventCount()).toBe(appended);
    await context.close();

    // The discipline inspector's timeline says when it was captured and when it reached the server.
    await h.catchUp();
    const inspector = await newContext(browser, base, NOW);
    const timeline = await inspector.newPage();
    await signIn(timeline, '陆少华');
    await timeline.goto(`/case/${findingId}`);
    await timeline.getByRole('heading', { name: '审计轨迹' }).waitFor();
    await timeline.getByText('现场采集 2026/11/23 08:30:00（离线，2026/11/23 10:00:00 同步）').waitFor();
    expect(await timeline.getByText(/现场采集/).count()).toBe(1);
    await screenshot(timeline, '11-timeline-capture-time');
    await inspector.close();
  }, 180_000);
});
