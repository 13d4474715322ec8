import type { Browser, Page } from 'playwright-core';
import type { ApiHarness } from '../support/api-harness';
import { seedDemoHistoryIn } from '../../apps/api/src/cli/demo-history';
import { DESKTOP, newContext, PHONE, screenshot, seriousViolations, signIn } from './browser';
import { startWebStack, stopWebStack, type WebStack } from './stack';

/**
 * A newcomer's walk through every screen, role by role, on the demo county with its month of history (the API's
 * clock fixed on Monday 2026-11-23 10:00, Beijing): each screen reached from the menu as a person would, says what it
 * is (a heading), explains an empty list, reads in Chinese, and passes axe. The screenshots
 * (test-artefacts/web/walk-*.png) are the walk-through's record.
 */
const NOW = '2026-11-23T02:00:00.000Z';

/**
 * Latin words a page may show: names of formats and the product, hex (chain hashes, ids), file names, an error's code
 * after its Chinese message, a ledger's identifier beside its Chinese name, and commands set as code. Anything else
 * in Latin letters is English a county official would have to guess at.
 */
const ALLOWED_LATIN = new Set(['Duban', 'XLSX', 'Excel', 'PDF', 'SHA', 'Ed25519', 'Merkle', 'README']);
const latinWords = async (page: Page): Promise<string[]> => {
  let text = (await page.locator('body').innerText()) as string;
  for (const code of await page.locator('code').allInnerTexts()) text = text.split(code).join(' ');
  text = text
    .replace(/\S+\.(png|jpe?g|xlsx|pdf)\b/gi, ' ')
    .replace(/[（(][A-Z][A-Z_]+[)）]/g, ' ')
    .replace(/\b[a-z]+(_[a-z]+)* v\d+\b/g, ' ')
    .replace(/「Setting up a new county」|\/api\/docs/g, ' ');
  const words = text.match(/[A-Za-z][A-Za-z_-]{2,}/g) ?? [];
  return [...new Set(words.filter((w) => !ALLOWED_LATIN.has(w) && !/^[0-9a-f-]+$/i.test(w) && !/^[a-z]+-[\w-]+$/.test(w)))];
};

describe('a newcomer opens every screen of each role (screenshot walk-through)', () => {
  let stack: WebStack;
  let h: ApiHarness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    stack = await startWebStack(NOW);
    ({ h, browser, base } = stack);
    await seedDemoHistoryIn(h.app, new Date(NOW));
    await h.catchUp();
  }, 240_000);

  afterAll(() => stopWebStack(stack));

  /** Opens each entry of the person's menu in turn, then the first finding a screen links to. */
  const walk = async (name: string, slug: string, device: object = DESKTOP) => {
    const context = await newContext(browser, base, NOW, device);
    const page = await context.newPage();
    await signIn(page, name);
    const menu = page.getByRole('navigation', { name: '主菜单' });
    const opener = page.getByRole('button', { name: '打开菜单' });
    const entries = device === PHONE ? [] : await menu.getByRole('link').allInnerTexts();
    const problems: string[] = [];
    const look = async (screen: string) => {
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.getByText('加载中').first().waitFor({ state: 'detached' });
      await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
      for (const v of await seriousViolations(page)) problems.push(`${screen}: axe ${v}`);
      for (const w of await latinWords(page)) problems.push(`${screen}: English "${w}"`);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      const fits = (device as { viewport: { width: number } }).viewport.width;
      if (width > fits) problems.push(`${screen}: ${width} px wide on a ${fits} px screen`);
      await screenshot(page, `walk-${slug}-${screen}`);
    };
    await look('01-home');
    for (const [i, entry] of entries.entries()) {
      if (i === 0) continue; // 今日待办, the home page just seen
      await menu.getByRole('link', { name: entry, exact: true }).click();
      await look(`${String(i + 1).padStart(2, '0')}-${entry}`);
    }
    if (device === PHONE) {
      await opener.click();
      await page.getByRole('dialog').getByRole('link').first().waitFor();
      await screenshot(page, `walk-${slug}-02-menu`);
      await page.keyboard.press('Escape');
    }
    return { page, context, problems, look };
  };

  const openFirstCase = async (page: Page) => {
    await page.locator('main').getByRole('link', { name: /[\u4e00-\u9fa5]{4,}/ }).filter({ hasNot: page.getByRole('img') }).first().click();
    await page.getByRole('heading', { name: '审计轨迹' }).waitFor();
  };

  it('the supervision office (督查办)', async () => {
    const { page, context, problems, look } = await walk('李秀英', 'supervisor');
    await page.goto('/search');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await openFirstCase(page);
    await look('20-case');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('the town official (乡镇责任人), on a phone', async () => {
    const { page, context, problems, look } = await walk('郑爱民', 'official', PHONE);
    for (const [path, screen] of [['/tasks', '03-本单位问题'], ['/cadence', '04-通报与讲评'], ['/accountability', '05-问责台账']] as const) {
      await page.goto(path);
      await look(screen);
    }
    await page.goto('/tasks');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await openFirstCase(page);
    await look('20-case');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('the discipline inspector (纪委监委)', async () => {
    const { page, context, problems, look } = await walk('陆少华', 'discipline');
    await page.goto('/search');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await openFirstCase(page);
    await look('20-case');
    await page.locator('main').getByRole('link', { name: '郑爱民' }).first().click();
    await look('21-person');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('the inspector (督查组) and the administrator', async () => {
    const inspector = await walk('陈红梅', 'inspector');
    expect(inspector.problems).toEqual([]);
    await inspector.context.close();
    const admin = await walk('王建军', 'admin');
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  }, 180_000);
});
