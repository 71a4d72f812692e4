import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** What the end-to-end console tests share: calls with the API key, axe-core, and the screenshots of each page. */

export const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots', 'console');

/** A JSON call to the admin API with the runtime's API key; anything but a 2xx throws with the answer. */
export const adminCaller =
  (runtime: () => { readonly url: string; readonly apiKey: string }) =>
  async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const { url, apiKey } = runtime();
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

export const seriousViolations = async (page: Page): Promise<string[]> => {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

/** axe-core on the page as it is, then screenshots `<prefix>-<name>` at 1280 × 800 and 390 × 844, and no sideways scroll on the phone. */
export const pageChecker = (page: () => Page, prefix: string) => async (name: string) => {
  const current = page();
  expect(await seriousViolations(current), `${name}: axe-core`).toEqual([]);
  await current.screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${name}-1280.png`), fullPage: true });
  await current.setViewportSize({ width: 390, height: 844 });
  await current.screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${name}-390.png`), fullPage: true });
  expect(await current.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), `${name} scrolls sideways at 390 px`).toBe(0);
  await current.setViewportSize({ width: 1280, height: 800 });
};
