import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { locales } from '#shared/core/vocabulary';
import { errorPage, loginPage, logoutPage } from '#local/oidc/pages';

/**
 * The local sign-in server's pages (local/oidc/pages.ts) in a real Chromium, on a phone and a
 * desktop: nothing scrolls sideways, axe-core finds no serious or critical violation, and the
 * fields are big enough to tap. Screenshots land in test/browser/screenshots/ (git-ignored).
 */

const WIDTHS = [320, 390, 1280] as const;
const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

let browser: Browser;
let page: Page;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args });
  page = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
});

const views = (locale: (typeof locales)[number]) => [
  { name: 'sign-in', html: loginPage({ locale, action: '/oidc/interaction/x' }) },
  { name: 'sign-in-wrong-password', html: loginPage({ locale, action: '/oidc/interaction/x', email: 'manager@example.com', problem: 'wrong' }) },
  { name: 'sign-out', html: logoutPage(locale, '<form id="op.logoutForm" method="post" action="/oidc/session/end/confirm"></form>') },
  { name: 'sign-in-error', html: errorPage(locale, 'expired') },
];

describe.each(locales)('the local sign-in pages, in %s', (locale) => {
  describe.each(WIDTHS)('at %i px', (width) => {
    it.each(views(locale).map((v) => [v.name, v.html] as const))('%s fits the width and passes axe-core', async (name, html) => {
      // GIVEN the page in a window this wide
      await page.setViewportSize({ width, height: 800 });
      await page.setContent(html, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${locale}-${width}.png`), fullPage: true });

      // THEN nothing scrolls sideways, every field and button is at least 44 px tall, and axe-core finds nothing serious
      const layout = z
        .object({ scrollWidth: z.number(), clientWidth: z.number(), heights: z.array(z.number()) })
        .parse(
          await page.evaluate(
            `({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
                heights: [...document.querySelectorAll('input, button')].map((e) => e.getBoundingClientRect().height) })`,
          ),
        );
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.heights.every((h) => h >= 44)).toBe(true);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
      expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    });
  });
});
