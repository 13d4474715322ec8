import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (npm test installs it with apt-get when missing); never a downloaded browser. */
const CHROMIUM = { executablePath: process.env.DUBAN_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] };
export const launchChromium = (): Promise<Browser> => chromium.launch(CHROMIUM);

/**
 * Chromium with a profile of its own on disk, as a phone's browser is: the only kind that offers to install an app
 * (every context of `launchChromium` is incognito, which Chromium never installs from). Closed by the caller.
 */
export const launchProfile = (baseURL: string, device: object): Promise<BrowserContext> =>
  chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'duban-profile-')), {
    ...CHROMIUM,
    ...device,
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'allow',
  });

export const ARTEFACTS = join(__dirname, '..', '..', 'test-artefacts', 'web');
mkdirSync(ARTEFACTS, { recursive: true });

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

/**
 * A browser context on the server's fixed day, so "today", deadlines and the SLA clock agree with the API's clock.
 * Service workers are blocked unless asked for (`installed`: the app as a phone keeps it): the page's requests must
 * otherwise stay visible to the test's network controls.
 */
export async function newContext(browser: Browser, baseURL: string, nowIso: string, device: object = DESKTOP, installed = false): Promise<BrowserContext> {
  const context = await browser.newContext({
    ...device,
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: installed ? 'allow' : 'block',
    reducedMotion: 'reduce',
  });
  await context.clock.setFixedTime(new Date(nowIso));
  context.setDefaultTimeout(15_000);
  return context;
}

/** Signs in as a demo person through the development picker, as a person would. */
export async function signIn(page: Page, name: string): Promise<void> {
  await page.goto('/sign-in');
  const picker = page.getByRole('combobox', { name: '选择人员' });
  // The picker is the phone's own list (a native select); the option reads "name（unit · title）".
  const option = picker.getByRole('option', { name: new RegExp(`^${name}（`) });
  await picker.selectOption((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: '以此身份登录' }).click();
  await page.getByRole('heading', { name: /今日待办/ }).waitFor();
}

/** Picks an option of an Ant Design select by typing, as a keyboard user would. */
export async function choose(page: Page, label: string, text: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.fill(text);
  await page.getByTitle(text, { exact: true }).click();
  await page.getByRole('combobox', { name: label, expanded: false }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical violations on the page as it stands: the test expects none. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}
