import { mkdir } from 'node:fs/promises';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { adminCaller, pageChecker, SCREENSHOTS } from '#test/browser/console-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '#local/runtime';
import { readWholeOutbox } from '#local/outbox/outbox-page';
import type { OutboxEmail } from '#local/outbox/email-outbox';
import { CampaignView } from '#shared/contract/campaigns';
import { eventually, uniqueEmail } from '#test/integration/client';

/**
 * The console end to end, in a real Chromium against the real local runtime (`npm start`'s):
 * a manager signs in on the local identity provider's page, a detractor answers a real survey, the
 * case shows in the open inbox without a reload, and the manager works it to the end: assigns it
 * to themself, notes, replies by e-mail (sent once, with their Reply-To), closes it with a reason,
 * and sees the closed-loop figures move. axe-core checks every page; screenshots at desktop and
 * phone sizes land in test/browser/screenshots/console/ for a person to look at.
 */

const MANAGER = 'manager@example.com';
const PASSWORD = process.env.NPSLOOP_LOCAL_PASSWORD || 'local-dev-password';

let runtime: Runtime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Schedules every second, as in the integration suite: nothing waits a minute for the next run.
  [runtime, browser] = await Promise.all([
    startRuntime({ port: 0, quiet: true, scheduleIntervalMs: 1000 }),
    playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args }),
  ]);
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const admin = adminCaller(() => runtime);

const emailsTo = (address: string) => readWholeOutbox<OutboxEmail>(`${runtime.url}/local/outbox/email`, { to: address });

const checkPage = pageChecker(() => page, 'live');

const closedLoop = () => page.locator('[data-testid="closed-loop"]').innerText();

describe('a manager closes the loop on a detractor in the console', () => {
  let loopBefore = '';
  let customer: string;
  let comment: string;

  it('signs in through the local identity provider’s login page', async () => {
    // GIVEN the console's landing page
    await page.goto(runtime.consoleUrl);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await checkPage('landing');
    // WHEN the manager signs in on the real login page
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#email').waitFor();
    expect(new URL(page.url()).pathname.startsWith('/oidc/')).toBe(true);
    await page.locator('#email').fill(MANAGER);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    // THEN the console shows who is signed in, with their role
    await page.locator('.who').waitFor();
    expect(await page.locator('.who').innerText()).toMatch(/manager@example.com\s+Manager/);
    expect(new URL(page.url()).search).toBe('');
  });

  it('shows the detractor’s case in the open inbox without a reload', async () => {
    // GIVEN a campaign and a customer invited by e-mail, and the manager on the overview, then the inbox
    const campaign = CampaignView.parse(await admin('POST', '/v1/campaigns', { name: 'Checkout survey', brand: 'Acme', channel: 'email', segments: ['plan'] }));
    customer = uniqueEmail('ann');
    comment = `The parcel came a week late (${customer.split('@')[0]})`;
    await admin('POST', `/v1/campaigns/${campaign.id}/recipients`, { recipients: [{ email: customer, name: 'Ann Smith', attributes: { plan: 'pro' } }] });
    const invitation = await eventually(async () => (await emailsTo(customer))[0], { timeoutMs: 15_000, what: 'the invitation e-mail' });
    const token = /\/s\/([^?"]+)/.exec(invitation.html ?? '')?.[1];
    expect(token).toBeDefined();
    await page.goto(`${runtime.consoleUrl}#/overview`);
    await page.locator('[data-testid="closed-loop"]').waitFor();
    await page.locator('.trend canvas, .trend + p, .card .muted').first().waitFor();
    await checkPage('overview-before');
    loopBefore = await closedLoop();
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.locator('.tabs').waitFor();
    await page.evaluate('window.__sameDocument = true');
    // WHEN the customer answers 2 with a comment
    const answered = performance.now();
    const answer = await fetch(`${runtime.url}/s/${token}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: '2', comment }).toString(),
    });
    expect(answer.status).toBe(200);
    // THEN the case appears in the open inbox within 5 s, in the same document (no reload)
    const row = page.locator('.case-row', { hasText: comment });
    await row.waitFor({ timeout: 5000 });
    const seconds = (performance.now() - answered) / 1000;
    console.log(`console: detractor answer → case visible in the open inbox in ${seconds.toFixed(1)} s (no reload)`);
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    expect(await row.innerText()).toContain('plan: pro');
    await checkPage('inbox');
  });

  it('filters the inbox by the theme of the comment, and the case shows it', async () => {
    // GIVEN the open inbox with the late parcel's case, tagged by the real tagger
    const row = page.locator('.case-row', { hasText: comment });
    await expect.poll(() => row.locator('[data-testid="themes"]').innerText(), { timeout: 15_000 }).toContain('Delivery');
    // WHEN the manager narrows the inbox to Delivery
    await page.getByLabel('Theme').selectOption({ label: 'Delivery' });
    // THEN the address keeps the filter and the case is still there
    await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('#/inbox/open/delivery');
    await row.waitFor();
    await checkPage('inbox-theme');
    // AND under Price it is not
    await page.getByLabel('Theme').selectOption({ label: 'Price' });
    await expect.poll(() => page.locator('.empty').innerText(), { timeout: 15_000 }).toBe('No case in this view mentions “Price”.');
    expect(await row.count()).toBe(0);
    // AND Every theme brings it back
    await page.getByLabel('Theme').selectOption({ label: 'Every theme' });
    await row.waitFor({ timeout: 15_000 });
  });

  it('assigns the case to themself, adds a note, replies by e-mail once (across an ended session), and closes it with a reason', async () => {
    // GIVEN the case
    await page.locator('.case-row', { hasText: comment }).getByRole('link').click();
    await page.locator('[data-testid="timeline"]').waitFor();
    expect(await page.locator('.quote').innerText()).toBe(comment);
    expect(await page.locator('.card [data-testid="themes"]').innerText()).toContain('Delivery');
    // WHEN the manager assigns it to themself
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => page.locator('[data-testid="assignee"]').innerText(), { timeout: 15_000 }).toBe(MANAGER);
    // AND adds a note
    await page.locator('#note-text').fill('Courier confirmed the delay; offering a refund.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('[data-testid="timeline"]', { hasText: 'Courier confirmed the delay' }).waitFor();
    // AND starts a reply by e-mail, when the session ends: the API refuses the token the console holds
    expect(await page.locator('#reply-how').innerText()).toContain(`By e-mail to ${customer}`);
    const draft = 'Dear Ann, we are sorry about the late parcel. We have refunded the delivery.';
    await page.locator('#reply-text').fill(draft);
    const caseUrl = page.url();
    const spoil = (fields: string) =>
      page.evaluate(`for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user:'))) {
        const user = JSON.parse(sessionStorage.getItem(key));
        sessionStorage.setItem(key, JSON.stringify({ ...user, ${fields} }));
      }`);
    // (first only the ID token: the refresh token renews it, and the manager never leaves the case)
    await spoil(`id_token: 'no-longer.valid.token'`);
    const visited: string[] = [];
    const visit = (frame: import('playwright-core').Frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    };
    page.on('framenavigated', visit);
    await page.reload();
    await page.locator('[data-testid="timeline"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#reply-text').inputValue()).toBe(draft);
    page.off('framenavigated', visit);
    expect(visited.filter((url) => new URL(url).pathname.startsWith('/oidc/'))).toEqual([]);
    // (then the whole sign-in: the refresh token is spent too)
    await spoil(`id_token: 'no-longer.valid.token', refresh_token: 'revoked'`);
    await page.reload({ waitUntil: 'commit' });
    // THEN the console signs in again (the login page, unless the provider still knows the browser) and comes back to the same case, draft intact
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/') || url.search.includes('code='), { timeout: 20_000, waitUntil: 'commit' });
    if (await page.locator('#password').isVisible().catch(() => false)) {
      await page.locator('#email').fill(MANAGER);
      await page.locator('#password').fill(PASSWORD);
      await page.locator('button[type="submit"]').click();
    }
    await page.waitForURL(caseUrl, { timeout: 20_000, waitUntil: 'commit' });
    await page.locator('[data-testid="timeline"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#reply-text').inputValue()).toBe(draft);
    // WHEN the manager sends it (a double click: still one e-mail)
    await page.getByRole('button', { name: 'Send reply' }).dblclick();
    await page.getByText('Reply sent.').waitFor();
    await checkPage('case');
    // THEN the customer gets the reply exactly once, with the manager as Reply-To
    const replies = await eventually(
      async () => {
        const mail = (await emailsTo(customer)).filter((m) => (m.text ?? m.html ?? '').includes('refunded the delivery'));
        return mail.length > 0 ? mail : undefined;
      },
      { timeoutMs: 10_000, what: 'the reply e-mail' },
    );
    await new Promise((settle) => setTimeout(settle, 1500)); // a second copy, if any, would have landed by now
    const again = (await emailsTo(customer)).filter((m) => (m.text ?? m.html ?? '').includes('refunded the delivery'));
    expect(again).toHaveLength(1);
    expect(replies[0]?.replyTo).toEqual([MANAGER]);
    // WHEN the manager closes the case as resolved
    await page.locator('#close-reason').selectOption('resolved');
    await page.getByRole('button', { name: 'Close case' }).click();
    // THEN the case says so, and its timeline too
    await page.locator('.case-head-meta', { hasText: 'Closed: Resolved' }).waitFor();
    await page.locator('[data-testid="timeline"]', { hasText: 'Closed: Resolved' }).waitFor();
  });

  it('moves the closed-loop figures on the overview', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('[data-testid="closed-loop"]').waitFor();
    await expect.poll(closedLoop, { timeout: 10_000 }).not.toBe(loopBefore);
    expect(await page.locator('[data-testid="contacted-share"]').innerText()).toMatch(/\d+%/);
    await checkPage('overview-after');
  });

  it('shows the assignment rules, read-only for a manager', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByText('Only an admin can change the rules.').waitFor();
    await checkPage('rules');
  });

  it('signs out, at the identity provider too, and lands on the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The local provider asks before it signs the browser out
    await page.locator('button[name="logout"]').click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
    expect(await page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("oidc.user:")).length')).toBe(0);
  });
});
