import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { locales } from '#shared/core/vocabulary';
import { branding, customerViews, LOGO_SVG, LOGO_URL } from '#test/browser/customer-views';

/**
 * The customer's e-mail and every page, in a real Chromium, as a phone and a desktop show them:
 * nothing scrolls sideways, axe-core finds no serious or critical violation, and the scale stays
 * one even scale. Screenshots land in test/browser/screenshots/ (git-ignored) for a person to look at.
 */

const WIDTHS = [320, 390, 1280] as const;
const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

let browser: Browser;
let page: Page;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args });
  // axe-core opens a page of its own in the same context: the page needs an explicit context.
  const context = await browser.newContext();
  page = await context.newPage();
  await page.route(LOGO_URL, (route) => route.fulfill({ contentType: 'image/svg+xml', body: LOGO_SVG }));
});

afterAll(async () => {
  await browser?.close();
});

const show = async (html: string, width: number) => {
  await page.setViewportSize({ width, height: 800 });
  await page.setContent(html, { waitUntil: 'load' });
};

/** A value computed in the page (the tsconfig has no DOM types, so the expression is text), checked on its way out. */
const inPage = async <T>(schema: z.ZodType<T>, expression: string): Promise<T> => schema.parse(await page.evaluate(expression));

const horizontalOverflow = () =>
  inPage(
    z.object({ scrollWidth: z.number(), clientWidth: z.number() }),
    '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
  );

const seriousViolations = async () => {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

const Box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
type Box = z.infer<typeof Box>;
const boxes = (selector: string): Promise<Box[]> =>
  inPage(
    z.array(Box),
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })`,
  );
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.each(locales)('what the customer sees, in %s', (locale) => {
  describe.each(WIDTHS)('at %i px', (width) => {
    it.each(customerViews(locale).map((v) => [v.name, v.html] as const))('%s fits the width and passes axe-core', async (name, html) => {
      // GIVEN the view in a window this wide
      await show(html, width);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${locale}-${width}.png`), fullPage: true });
      // THEN nothing scrolls sideways, and axe-core finds nothing serious
      const { scrollWidth, clientWidth } = await horizontalOverflow();
      expect(scrollWidth, `${name} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
      expect(await seriousViolations()).toEqual([]);
    });

    it('the e-mail scale is one row of 11 cells, 44 px tall, inside the window, ends apart', async () => {
      // GIVEN the e-mail
      await show(customerViews(locale)[0]?.html ?? '', width);
      // THEN
      const cells = await boxes('a[href*="?score="]');
      expect(cells).toHaveLength(11);
      expect(new Set(cells.map((c) => Math.round(c.y))).size).toBe(1);
      for (const c of cells) {
        expect(c.height).toBeGreaterThanOrEqual(44);
        expect(c.width).toBeGreaterThanOrEqual(24); // WCAG 2.2 AA; 44 from ~540 px (see shared/email.ts)
        expect(c.x + c.width).toBeLessThanOrEqual(width);
      }
      if (width >= 1280) for (const c of cells) expect(c.width).toBeGreaterThanOrEqual(44);
      const ends = await page.getByText(/^(0|10)\s=\s/).all();
      expect(ends).toHaveLength(2);
      const [left, right] = await Promise.all(ends.map(async (e) => (await e.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 }));
      expect(overlap(left ?? { x: 0, y: 0, width: 0, height: 0 }, right ?? { x: 0, y: 0, width: 0, height: 0 })).toBe(false);
    });

    it('the survey scale is one even row, or two even rows under 360 px, with the end labels apart', async () => {
      // GIVEN the survey page
      await show(customerViews(locale).find((v) => v.name === 'survey')?.html ?? '', width);
      // THEN every cell has the same width, 44 px or more tall
      const cells = await boxes('.scale label');
      expect(cells).toHaveLength(11);
      const widths = new Set(cells.map((c) => Math.round(c.width)));
      expect(widths.size).toBe(1);
      const rows = [...new Set(cells.map((c) => Math.round(c.y)))];
      expect(rows).toHaveLength(width < 360 ? 2 : 1);
      for (const c of cells) expect(c.height).toBeGreaterThanOrEqual(44);
      if (width < 360) for (const c of cells) expect(c.width).toBeGreaterThanOrEqual(44);
      // AND the end labels never touch
      const [left, right] = await boxes('.ends span');
      expect(left && right && !overlap(left, right)).toBe(true);
      expect(await page.locator('.ends').innerText()).toMatch(/0 = .+\s+10 = /);
    });
  });
});

describe('a light brand colour', () => {
  it('keeps the selected score and the button readable', async () => {
    // GIVEN a yellow brand, which white text cannot be read on
    const yellow = customerViews('en', { ...branding, brandColor: '#ffd400', logoUrl: undefined }).find((v) => v.name === 'survey-from-link');
    await show(yellow?.html ?? '', 390);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'survey-from-link-yellow-en-390.png'), fullPage: true });
    // THEN axe-core finds no contrast problem on the selected score or the button
    expect(await seriousViolations()).toEqual([]);
    expect(await inPage(z.string(), `getComputedStyle(document.querySelector('button')).color`)).toBe('rgb(0, 0, 0)');
  });
});
