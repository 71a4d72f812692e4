import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { locales } from '#shared/core/vocabulary';
import { CLIENT_ID, CONSOLE, followupCase, ISSUER, newStandIn, serveConsole, signedInAs, type StandIn } from '#test/browser/console-fixtures';

/**
 * The console's screens in a real Chromium against a stand-in API (console-fixtures.ts): each
 * screen in English and Russian, at a desktop and a phone size, fits the width and passes axe-core,
 * with a screenshot in test/browser/screenshots/console/ for a person to look at; and the behaviour
 * that matters on each: live inbox, replies sent once, drafts that survive an ended session, roles.
 * console.test.ts runs the same console against the real local runtime, end to end.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots', 'console');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let standIn: StandIn;
const now = Date.now();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args });
  // @sparticuz/chromium runs as one process: closing its last page would end it. This page keeps it alive
  // while each test gets a context of its own (its own storage and viewport).
  await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
});

const open = async (
  options: { role?: 'manager' | 'admin' | 'marketing'; locale?: string; signedIn?: boolean; size?: { width: number; height: number }; refreshToken?: string } = {},
) => {
  const role = options.role ?? 'manager';
  context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.size ?? SIZES[0] });
  page = await context.newPage();
  standIn = newStandIn(now, role);
  await serveConsole(page, standIn, now);
  if (options.signedIn !== false) await signedInAs(page, `${role}@example.com`, options.refreshToken ? { refresh_token: options.refreshToken } : {});
};

// Closing a context would end the single-process browser; closing the page is enough.
afterEach(async () => {
  await page?.close();
  expect(standIn.broken, 'a fixture the contract refuses').toEqual([]);
});

const seriousViolations = async () => {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

const horizontalOverflow = async () =>
  z.number().parse(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

interface Screen {
  readonly name: string;
  readonly hash: string;
  readonly role?: 'manager' | 'admin' | 'marketing';
  readonly signedIn?: boolean;
  /** What shows once the screen has its data. */
  readonly ready: string;
}

const screens: readonly Screen[] = [
  { name: 'landing', hash: '', signedIn: false, ready: 'button.button-primary' },
  { name: 'overview', hash: '#/overview', ready: '[data-testid="closed-loop"]' },
  { name: 'inbox', hash: '#/inbox/open', ready: '[data-testid="inbox"]' },
  { name: 'inbox-theme', hash: '#/inbox/all/delivery', ready: '[data-testid="inbox"]' },
  { name: 'case', hash: '#/cases/case-0', ready: '[data-testid="timeline"]' },
  { name: 'rules-admin', hash: '#/rules', role: 'admin', ready: 'form.card' },
  { name: 'rules-manager', hash: '#/rules', ready: 'table' },
];

describe.each(locales)('the console in %s', (locale) => {
  describe.each(SIZES)('at $width × $height', (size) => {
    it.each(screens.map((s) => [s.name, s] as const))('%s fits the width and passes axe-core', async (name, screen) => {
      // GIVEN the screen, with its data
      await open({ role: screen.role, signedIn: screen.signedIn, locale: locale === 'ru' ? 'ru-RU' : 'en-US', size });
      await page.goto(`${CONSOLE}${screen.hash}`);
      await page.locator(screen.ready).first().waitFor();
      if (name === 'overview') await page.locator('.trend canvas').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${locale}-${size.width}.png`), fullPage: true });
      // THEN it speaks the browser's language, nothing scrolls sideways, and axe-core finds nothing serious
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await horizontalOverflow(), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
      expect(await seriousViolations()).toEqual([]);
    });
  });
});

describe('the inbox', () => {
  it('shows a new case without a reload, asks with If-None-Match, and announces it politely', async () => {
    // GIVEN a manager on the open inbox
    await open();
    await page.goto(`${CONSOLE}#/inbox/open`);
    await page.locator('[data-case-id="case-0"]').waitFor();
    await expect.poll(() => standIn.requests.some((r) => r.path.startsWith('/v1/followups?') && r.headers['if-none-match']?.startsWith('W/"v1?') === true), { timeout: 6000 }).toBe(true);
    // WHEN a detractor answers
    standIn.cases.push(followupCase(9, now, { id: 'case-new', comment: 'Brand new complaint', score: 1 }));
    standIn.version += 1;
    // THEN the case shows within 5 s, without a reload, and screen readers hear of it
    await page.locator('[data-case-id="case-new"]').waitFor({ timeout: 5000 });
    await expect.poll(() => page.locator('[aria-live="polite"]').innerText(), { timeout: 15_000 }).toContain('1');
    expect(standIn.requests.filter((r) => r.path.startsWith('/console/') && r.path.endsWith('.html')).length).toBe(0);
  });

  it('filters by a theme chosen in a select, kept in the address, and shows each case’s themes', async () => {
    // GIVEN a manager on the open inbox, every theme
    await open();
    await page.goto(`${CONSOLE}#/inbox/open`);
    await page.locator('[data-case-id="case-0"]').waitFor();
    expect(await page.locator('[data-case-id="case-0"] [data-testid="themes"]').innerText()).toMatch(/Delivery\s+Communication/);
    // WHEN they choose Price
    await page.getByLabel('Theme').selectOption({ label: 'Price' });
    // THEN the address says so, the API is asked for it, and only the price case is left
    await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('#/inbox/open/price');
    await expect.poll(() => page.locator('[data-case-id]').count(), { timeout: 15_000 }).toBe(1);
    await page.locator('[data-case-id="case-3"]').waitFor();
    expect(standIn.requests.some((r) => r.path.startsWith('/v1/followups?') && new URLSearchParams(r.path.split('?')[1]).get('theme') === 'price')).toBe(true);
    expect(await seriousViolations()).toEqual([]);
    // AND another view keeps the theme
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('#/inbox/all/price');
    // AND a theme no case mentions says so in words
    await page.getByLabel('Theme').selectOption({ label: 'Staff' });
    await expect.poll(() => page.locator('.empty').innerText(), { timeout: 15_000 }).toBe('No case in this view mentions “Staff”.');
    // AND Every theme shows them all again, the case opened before themes without a badge
    await page.getByLabel('Theme').selectOption({ label: 'Every theme' });
    await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('#/inbox/all');
    await page.locator('[data-case-id="case-4"]').waitFor();
    expect(await page.locator('[data-case-id="case-4"] [data-testid="themes"]').count()).toBe(0);
  });

  it('opens filtered from a shared address, in Russian too', async () => {
    await open({ locale: 'ru-RU' });
    await page.goto(`${CONSOLE}#/inbox/open/delivery`);
    await page.locator('[data-case-id="case-0"]').waitFor();
    expect(await page.locator('[data-case-id]').count()).toBe(1);
    expect(await page.locator('#inbox-theme option:checked').innerText()).toBe('Доставка');
    expect(await page.locator('label[for="inbox-theme"]').innerText()).toBe('Тема');
    // ... and the badges speak the console's language, though the API named the themes in the customer's (English)
    await expect.poll(() => page.locator('[data-case-id="case-0"] [data-testid="themes"]').innerText(), { timeout: 15_000 }).toMatch(/Доставка\s+Информирование/);
  });

  it('marks an overdue case in words, not colour alone', async () => {
    await open();
    await page.goto(`${CONSOLE}#/inbox/overdue`);
    const row = page.locator('[data-case-id="case-3"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Overdue, was due 5 hours ago/);
    expect(await page.locator('[data-case-id]').count()).toBe(1);
  });
});

describe('a case', () => {
  it('shows the themes of the customer’s comment beside it', async () => {
    await open();
    await page.goto(`${CONSOLE}#/cases/case-3`);
    await page.locator('[data-testid="timeline"]').waitFor();
    expect(await page.locator('[data-testid="themes"]').innerText()).toMatch(/Price\s+Billing/);
  });
});

describe('the top navigation', () => {
  // Found on a phone in Russian: the last tab ("Обращения") ran off the screen's edge.
  it.each(locales.flatMap((locale) => SIZES.map((size) => [locale, size.width, size] as const)))(
    'shows every page’s tab whole on screen, and each one opens its page (%s, %i px)',
    async (locale, _width, size) => {
      // GIVEN an admin, who has every tab
      await open({ role: 'admin', locale: locale === 'ru' ? 'ru-RU' : 'en-US', size });
      await page.goto(`${CONSOLE}#/overview`);
      await page.locator('[data-testid="closed-loop"]').waitFor();
      const tabs = page.locator('.nav .nav-link');
      expect(await tabs.count()).toBe(5);
      await page.locator('.topbar').screenshot({ path: path.join(SCREENSHOTS, `nav-${locale}-${size.width}.png`) });
      // THEN each tab lies whole inside the screen, with nothing scrolled
      for (const tab of await tabs.all()) {
        const box = await tab.boundingBox();
        expect(box, await tab.innerText()).not.toBeNull();
        expect(box?.x ?? -1, await tab.innerText()).toBeGreaterThanOrEqual(0);
        expect((box?.x ?? 0) + (box?.width ?? 0), await tab.innerText()).toBeLessThanOrEqual(size.width);
        expect(box?.height ?? 0, await tab.innerText()).toBeGreaterThanOrEqual(24);
      }
      // AND the last one, the inbox's neighbour on a phone's edge, opens its page on a tap
      await tabs.last().click();
      await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('#/rules');
      await page.getByRole('link', { name: locale === 'ru' ? 'Обращения' : 'Inbox', exact: true }).click();
      await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('#/inbox');
      expect(await horizontalOverflow()).toBeLessThanOrEqual(0);
    },
  );
});

describe('a reply', () => {
  it('is sent once on a double click, with the draft’s Idempotency-Key', async () => {
    // GIVEN a manager who has written a reply
    await open();
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.locator('#reply-text').fill('Hello Ann, we are sorry about the delivery.');
    // WHEN they double-click Send
    await page.getByRole('button', { name: 'Send reply' }).dblclick();
    // THEN one reply left, and the draft is gone
    await page.getByText('Reply sent.').waitFor();
    const replies = standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/replies'));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replies[0]?.body).toEqual({ text: 'Hello Ann, we are sorry about the delivery.' });
    expect(await page.locator('#reply-text').inputValue()).toBe('');
  });

  it('is retried with the same Idempotency-Key after a failure, so it cannot go out twice', async () => {
    await open();
    standIn.failNext.set('POST /v1/followups/case-0/replies', { status: 500, times: 1 });
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.locator('#reply-text').fill('We will refund the delivery.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Something went wrong on the server').waitFor();
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Reply sent.').waitFor();
    const keys = standIn.requests.filter((r) => r.path.endsWith('/replies')).map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('says why it cannot be sent instead of showing a dead button', async () => {
    await open();
    standIn.cases.push(followupCase(7, now, { id: 'case-blocked' }));
    await page.goto(`${CONSOLE}#/cases/case-blocked`);
    await page.locator('[data-testid="reply-blocked"]').waitFor();
    expect(await page.locator('[data-testid="reply-blocked"]').innerText()).toBe('You cannot reply: this customer has opted out of messages.');
    expect(await page.locator('#reply-text').count()).toBe(0);
  });

  it('says plainly when the mail service refused it, instead of "sent"', async () => {
    await open();
    standIn.replyDelivery = 'failed';
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.locator('#reply-text').fill('This address bounces.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('The reply was not delivered: the mail service or the phone network refused it. Nothing reached the customer.').waitFor();
    expect(await page.getByText('Reply sent.').count()).toBe(0);
  });

  it('Reply & close sends the reason with the reply', async () => {
    await open();
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.locator('#reply-text').fill('Refund sent, sorry again.');
    await page.locator('#reply-reason').selectOption('resolved');
    await page.getByRole('button', { name: 'Reply & close' }).click();
    await page.getByText('Reply sent.').waitFor();
    expect(standIn.requests.find((r) => r.path.endsWith('/replies'))?.body).toEqual({ text: 'Refund sent, sorry again.', close: 'resolved' });
  });

  it('checks the form with the API’s schema before sending: an empty reply never leaves', async () => {
    await open();
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Write something first.').waitFor();
    expect(standIn.requests.filter((r) => r.path.endsWith('/replies'))).toHaveLength(0);
  });
});

describe('a token the API refuses while the sign-in still holds', () => {
  it('is renewed with the refresh token and the call goes through, without leaving the page', async () => {
    // GIVEN a manager with a refresh token, typing a reply, when the API starts refusing their ID token
    await open({ refreshToken: 'a-refresh-token-0' });
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.locator('#reply-text').fill('We are sorry; a refund is on its way.');
    standIn.failNext.set('POST /v1/followups/case-0/replies', { status: 401, times: 1 });
    const left: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) left.push(frame.url());
    });
    // WHEN they send it
    await page.getByRole('button', { name: 'Send reply' }).click();
    // THEN the console renewed the token once and sent the reply again with it, under the same key, and stayed on the case
    await page.getByText('Reply sent.').waitFor();
    expect(standIn.tokenGrants).toEqual(['refresh_token']);
    const replies = standIn.requests.filter((r) => r.path.endsWith('/replies'));
    expect(replies).toHaveLength(2);
    expect(replies[1]?.headers.authorization).not.toBe(replies[0]?.headers.authorization);
    expect(replies[1]?.headers['idempotency-key']).toBe(replies[0]?.headers['idempotency-key']);
    expect(left).toEqual([]);
  });

  it('is renewed ahead of time when it is about to end, so the API never refuses it', async () => {
    // GIVEN a sign-in whose ID token ends in 30 seconds
    await open({ refreshToken: 'a-refresh-token-0' });
    await page.addInitScript(`for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user:'))) {
      const user = JSON.parse(sessionStorage.getItem(key));
      if (!user.renewedByTest) sessionStorage.setItem(key, JSON.stringify({ ...user, expires_at: Math.floor(Date.now() / 1000) + 30, renewedByTest: true }));
    }`);
    // WHEN the console opens
    await page.goto(`${CONSOLE}#/inbox/open`);
    await page.locator('[data-testid="inbox"]').waitFor();
    // THEN it renews it at once with the refresh token, and keeps the new one
    await expect.poll(() => standIn.tokenGrants, { timeout: 15_000 }).toEqual(['refresh_token']);
    const stored = z
      .object({ refresh_token: z.string(), expires_at: z.number() })
      .parse(await page.evaluate(`JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))))`));
    expect(stored.refresh_token).toBe('a-refresh-token-1');
    expect(stored.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
  });
});

describe('an ended session', () => {
  it('signs in again and comes back to the same case with the reply being typed', async () => {
    // GIVEN a manager typing a reply when the session ends
    await open();
    await page.goto(`${CONSOLE}#/cases/case-0`);
    await page.locator('#reply-text').fill('Half a sentence I do not want to lose');
    standIn.failNext.set('POST /v1/followups/case-0/replies', { status: 401, times: 1 });
    // WHEN the API refuses the token, the console goes through sign-in (which signs in at once here)
    await page.getByRole('button', { name: 'Send reply' }).click();
    // (The address is the case's before the sign-in too: wait for the refused call first.)
    await expect.poll(() => standIn.requests.filter((r) => r.path.endsWith('/replies')).length, { timeout: 15_000 }).toBe(1);
    // THEN it is back on the same case, signed in, the draft still there
    await page.waitForURL((url) => url.hash === '#/cases/case-0' && !url.search, { timeout: 10_000 });
    await page.locator('[data-testid="timeline"]').waitFor();
    expect(await page.locator('#reply-text').inputValue()).toBe('Half a sentence I do not want to lose');
    expect(standIn.requests.filter((r) => r.path.endsWith('/replies'))).toHaveLength(1);
  });
});

describe('assignment rules', () => {
  it('are checked with the API’s schema before saving: a wrong e-mail is marked and nothing is sent', async () => {
    // GIVEN an admin adding a rule
    await open({ role: 'admin' });
    await page.goto(`${CONSOLE}#/rules`);
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.locator('#rule-2-attribute').fill('region');
    await page.locator('#rule-2-value').fill('US');
    await page.locator('#rule-2-assignee').fill('not-an-address');
    // WHEN they save
    await page.getByRole('button', { name: 'Save rules' }).click();
    // THEN the field is marked and nothing left
    await page.getByText('Check the highlighted fields.').waitFor();
    expect(await page.locator('#rule-2-assignee').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Give the person’s e-mail address.').waitFor();
    expect(standIn.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    // WHEN they correct it
    await page.locator('#rule-2-assignee').fill('olga@example.com');
    await page.getByRole('button', { name: 'Save rules' }).click();
    // THEN the rules are saved, in order
    await page.getByText('Rules saved.').waitFor();
    expect(standIn.requests.find((r) => r.method === 'PUT')?.body).toEqual({
      rules: [
        { attribute: 'plan', value: 'enterprise', assignee: 'admin@example.com' },
        { attribute: 'region', value: 'EU', assignee: 'manager@example.com' },
        { attribute: 'region', value: 'US', assignee: 'olga@example.com' },
      ],
    });
  });
});

describe('roles', () => {
  it('shows marketing the overview, campaigns and responses, and says so on a manager’s page', async () => {
    await open({ role: 'marketing' });
    await page.goto(`${CONSOLE}#/inbox`);
    await page.getByText('This page is for managers. Your role (Marketing) sees the overview, the campaigns and the responses.').waitFor();
    expect(await page.locator('nav.nav a').allInnerTexts()).toEqual(['Overview', 'Campaigns', 'Responses']);
    expect(standIn.requests.filter((r) => r.path.startsWith('/v1/followups?'))).toHaveLength(0);
  });

  it('signs out where the stack says (Cognito’s /logout), forgetting the session', async () => {
    await open();
    standIn.config = { scope: 'openid email profile', logoutUrl: `${ISSUER}/cognito-logout?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent(CONSOLE)}` };
    await page.goto(`${CONSOLE}#/overview`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/oidc/cognito-logout');
    expect(new URL(page.url()).searchParams.get('logout_uri')).toBe(CONSOLE);
    expect(await page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("oidc.user:")).length')).toBe(0);
  });

  it('shows who is signed in, with their role', async () => {
    await open({ role: 'admin' });
    await page.goto(`${CONSOLE}#/overview`);
    expect(await page.locator('.who').innerText()).toMatch(/admin@example.com\s+Admin/);
  });
});

describe('errors and language', () => {
  it('shows a readable message when the server fails, and recovers on Try again', async () => {
    await open();
    standIn.failNext.set('GET /v1/score', { status: 500, times: 1 });
    await page.goto(`${CONSOLE}#/overview`);
    await page.getByText('Something went wrong on the server. Try again in a moment.').waitFor();
    await page.getByRole('button', { name: 'Try again' }).first().click();
    await page.locator('[data-testid="nps"]').waitFor();
  });

  it('remembers a language chosen with the switch over the browser’s', async () => {
    await open({ locale: 'en-US' });
    await page.goto(`${CONSOLE}#/overview`);
    await page.locator('.account select').selectOption('ru');
    await page.getByRole('heading', { name: 'Обзор' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Обзор' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
  });
});
