import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../infra/web/build';
import { ApiHarness, startApi } from '../support/api-harness';
import { launchChromium } from './browser';

/**
 * What a browser test runs against: the API (serving the built app at /) on a fresh PostgreSQL seeded with the demo
 * county, its clock fixed at `now`, listening on a free port; Debian's Chromium; and a small photo of a site made here
 * (a red house on grey). No Temporal: projections are brought up to date with `h.catchUp()`, as the worker would.
 */
export interface WebStack {
  h: ApiHarness;
  browser: Browser;
  base: string;
  photo: Buffer;
}

export async function startWebStack(now: string): Promise<WebStack> {
  ensureWebBuild();
  const [h, browser, photo] = await Promise.all([
    startApi(now),
    launchChromium(),
    sharp({ create: { width: 96, height: 64, channels: 3, background: '#9e9e9e' } })
      .composite([{ input: { create: { width: 40, height: 30, channels: 3, background: '#b71c1c' } }, left: 28, top: 20 }])
      .png()
      .toBuffer(),
  ]);
  await h.app.listen(0, '127.0.0.1');
  await h.catchUp(); // the seeded campaign into its read model
  return { h, browser, photo, base: `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}` };
}

export async function stopWebStack(stack: Partial<WebStack> | undefined): Promise<void> {
  await stack?.browser?.close();
  await stack?.h?.close();
}

/** A command sent straight to the API as a person (test set-up, or to show the API refuses what the page hides). */
export const command = (h: ApiHarness, userId: string, path: string, body: object = {}, key: string = randomUUID()) =>
  h.http().post(path).set('Authorization', `Bearer ${h.token(userId)}`).set('Idempotency-Key', key).send(body);
