import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { adminCaller, pageChecker, SCREENSHOTS } from '#test/browser/console-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../cli/api-client.ts';
import { importRecipients } from '../../cli/csv-import.ts';
import { startRuntime, type Runtime } from '#local/runtime';
import { pollUntil } from '#local/deadline';
import { readWholeOutbox } from '#local/outbox/outbox-page';
import type { OutboxEmail } from '#local/outbox/email-outbox';
import { CampaignView } from '#shared/contract/campaigns';
import { eventually, uniqueEmail } from '#test/integration/client';

/**
 * Marketing in the console, end to end in a real Chromium against the real local runtime: they
 * sign in, look at the preview and create an e-mail campaign with two segments, upload a CSV of 200
 * rows with invalid, duplicate and opted-out rows, see the right totals and skip reasons and
 * download the skipped rows; the invitations reach the local SES outbox; answers show in the feed
 * and in the campaign's NPS; a manager's page and a manager's API call are refused to them. Then a
 * 10,000-row file is checked in the page with no long task over 200 ms, and its upload time is
 * printed next to the CLI's for the same file. axe-core checks every new page; screenshots at
 * 1280 × 800 and 390 × 844 land in test/browser/screenshots/console/.
 */

const MARKETING = 'marketing@example.com';
const PASSWORD = process.env.NPSLOOP_LOCAL_PASSWORD || 'local-dev-password';

let runtime: Runtime;
let browser: Browser;
let page: Page;
let work: string;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  work = path.join(tmpdir(), `npsloop-marketing-${process.pid}`);
  await mkdir(work, { recursive: true });
  [runtime, browser] = await Promise.all([
    startRuntime({ port: 0, quiet: true, scheduleIntervalMs: 1000 }),
    playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args }),
  ]);
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const admin = adminCaller(() => runtime);

const emailsTo = (address: string) => readWholeOutbox<OutboxEmail>(`${runtime.url}/local/outbox/email`, { to: address });

const checkPage = pageChecker(() => page, 'marketing');

/** The file of the flow: 200 data rows, the header in mixed case. */
const flowCsv = (emails: readonly string[], optedOut: readonly string[]) => {
  const lines = ['EMAIL,Name,plan,region'];
  emails.forEach((email, i) => lines.push(`${email},Customer ${i},${i % 2 ? 'pro' : 'basic'},${i % 3 ? 'EU' : 'US'}`));
  for (let i = 0; i < 5; i++) lines.push(`not-an-address-${i},Bad ${i},pro,EU`); // invalid_email (the API's check)
  for (let i = 0; i < 3; i++) lines.push(`row${i}@example.com,Too,many,fields,here`); // invalid_row (the page's check)
  for (let i = 0; i < 4; i++) lines.push(`${emails[i]},Again ${i},pro,EU`); // duplicate
  for (const email of optedOut) lines.push(`${email},Gone,pro,EU`); // opted_out
  return `${lines.join('\r\n')}\r\n`;
};

describe('marketing runs a campaign in the console', () => {
  const emails = Array.from({ length: 185 }, (_, i) => uniqueEmail(`c${i}`));
  const optedOut = [uniqueEmail('gone0'), uniqueEmail('gone1'), uniqueEmail('gone2')];
  let campaignId = '';

  it('signs in as marketing and sees the campaigns', async () => {
    await page.goto(runtime.consoleUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#email').fill(MARKETING);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('.who').waitFor();
    expect(await page.locator('.who').innerText()).toMatch(/marketing@example.com\s+Marketing/);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  });

  it('creates an e-mail campaign with two segments after looking at the preview; a wrong field says so beside it', async () => {
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    // A wrong field: checked with the API's own schema before anything is sent
    await page.getByLabel('Brand', { exact: true }).fill('Acme Shoes');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.locator('#campaign-name-problem').waitFor();
    expect(await page.locator('#campaign-name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Campaign name').fill('Spring survey');
    await page.getByLabel('Segments (optional)').fill('plan, region');
    await page.getByLabel('Question (optional)', { exact: true }).fill('How likely are you to recommend Acme Shoes to a friend?');
    // The preview: the e-mail as rendered, in a frame with no script, and its text part
    const frame = page.frameLocator('[data-testid="email-preview"]');
    await expect.poll(() => frame.locator('body').innerText(), { timeout: 15_000 }).toContain('How likely are you to recommend Acme Shoes to a friend?');
    expect(await frame.locator('a').count()).toBeGreaterThanOrEqual(11);
    // Its inline styles survive the console's CSP (given back through the CSSOM)
    expect(await frame.locator('body').evaluate((b) => (b as unknown as { style: { margin: string } }).style.margin)).toBe('0px');
    expect(await page.locator('[data-testid="email-text"]').textContent()).toContain('Acme Shoes');
    await checkPage('new-campaign');
    // An SMS shows its encoding and segment count
    await page.getByLabel('Channel').selectOption('sms');
    expect(await page.locator('[data-testid="sms-cost"]').innerText()).toMatch(/GSM-7, \d+ characters: 1 SMS segment/);
    await page.getByLabel('Question (optional)', { exact: true }).fill('Насколько вероятно, что вы порекомендуете Acme Shoes другу или коллеге? Ответьте числом');
    expect(await page.locator('[data-testid="sms-cost"]').innerText()).toMatch(/UCS-2, \d+ characters: [2-9] SMS segment/);
    await page.getByLabel('Channel').selectOption('email');
    await page.getByLabel('Question (optional)', { exact: true }).fill('How likely are you to recommend Acme Shoes to a friend?');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Campaign “Spring survey” created' }).waitFor();
    const { items } = await admin<{ items: CampaignView[] }>('GET', '/v1/campaigns');
    const created = items.find((c) => c.name === 'Spring survey');
    expect(created).toMatchObject({ channel: 'email', brand: 'Acme Shoes', segments: ['plan', 'region'], throttleDays: 90 });
    campaignId = created?.id ?? '';
  });

  it('uploads a 200-row CSV with invalid, duplicate and opted-out rows: right totals and reasons, and the skipped rows download', async () => {
    for (const email of optedOut) await admin('DELETE', '/v1/contacts', { email }); // erased contacts stay opted out
    const file = path.join(work, 'customers.csv');
    await writeFile(file, flowCsv(emails, optedOut));
    await page.getByRole('button', { name: 'Add recipients from a CSV file' }).click();
    await page.getByLabel('Choose a CSV file').setInputFiles(file);
    await page.locator('[data-testid="upload-checked"]').waitFor();
    expect(await page.locator('[data-testid="upload-checked"]').innerText()).toContain('3 rows are not valid');
    expect(await page.locator('[data-testid="upload-checked"] tbody tr').first().innerText()).toMatch(/^192\s+5 fields, but the header has 4/);
    await checkPage('upload-checked');
    await page.getByRole('button', { name: 'Send 197 recipients' }).click();
    await page.locator('[data-testid="upload-result"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="upload-accepted"]').innerText()).toBe('185 recipients added.');
    const reasons = Object.fromEntries(
      await page.locator('[data-testid="upload-skips"] li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-reason'), Number(li.querySelector('strong')?.textContent)])),
    );
    expect(reasons).toEqual({ invalid_row: 3, invalid_email: 5, duplicate: 4, opted_out: 3 });
    expect(await page.getByRole('progressbar', { name: 'Upload' }).getAttribute('aria-valuenow')).toBe('200');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="skipped-download"]').click()]);
    const report = await readFile(await download.path(), 'utf8');
    const lines = report.trim().split('\r\n');
    expect(lines[0]).toBe('"EMAIL","Name","plan","region","skip_reason","skip_line","skip_detail"');
    expect(lines).toHaveLength(1 + 15);
    expect(report).toContain('"not-an-address-0","Bad 0","pro","EU","invalid_email","187",""');
    // The stream counts the new invitations within moments.
    const stored = await pollUntil(
      async () => {
        const campaign = await admin<{ counts: { recipients: number; skipped: Record<string, number> } }>('GET', `/v1/campaigns/${campaignId}`);
        return campaign.counts.recipients === 185 ? campaign : undefined;
      },
      { what: '185 recipients counted', timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(stored.counts.recipients).toBe(185);
    expect(stored.counts.skipped).toMatchObject({ invalid_email: 5, duplicate: 4, opted_out: 3 });
    await checkPage('upload-done');
  });

  it('sends the invitations through the local SES outbox, and the feed and the campaign NPS show the answers', async () => {
    const answers = [10, 9, 3];
    for (const [i, score] of answers.entries()) {
      const address = emails[i] ?? '';
      const invitation = await eventually(async () => (await emailsTo(address))[0], { timeoutMs: 30_000, what: `the invitation to row ${i}` });
      const token = /\/s\/([^?"]+)/.exec(invitation.html ?? '')?.[1];
      const answered = await fetch(`${runtime.url}/s/${token}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ score: String(score), comment: `Answer ${score} from the console test` }).toString(),
      });
      expect(answered.status).toBe(200);
    }
    await page.getByRole('link', { name: 'Responses' }).click();
    await page.locator('[data-testid="feed"] li').nth(2).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="feed"]').innerText()).toContain('Answer 3 from the console test');
    // Marketing sees no contact details
    expect(await page.locator('[data-testid="feed-contact"]').count()).toBe(0);
    // Newest first: the last answer given heads the feed
    expect(await page.locator('[data-testid="feed"] li').first().innerText()).toContain('Answer 3 from the console test');
    await checkPage('responses-all');
    // A filter narrows the feed on the server, and the search narrows it further
    const items = page.locator('[data-testid="feed"] li');
    await page.locator('[data-testid="feed-category"]').selectOption('promoter');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(2);
    await page.locator('[data-testid="feed-search"]').fill('ANSWER 9');
    await page.locator('[data-testid="feed-search"]').press('Enter');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(1);
    expect(await items.first().innerText()).toContain('Answer 9 from the console test');
    // The filters live in the address: a reload keeps them
    expect(page.url()).toMatch(/#\/responses\/.*category=promoter/);
    await page.reload();
    await page.locator('[data-testid="feed"] li').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-testid="feed-search"]').inputValue()).toBe('ANSWER 9');
    expect(await page.locator('[data-testid="feed-category"]').inputValue()).toBe('promoter');
    const [exported] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="feed-export"]').click()]);
    const csv = await readFile(await exported.path(), 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).not.toContain('@example.com');
    await checkPage('responses');
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const card = page.locator('[data-testid="campaign"]', { hasText: 'Spring survey' });
    // The list asks again every 10 s once nothing is sending: the answers' figures arrive without a reload
    await expect.poll(() => card.locator('[data-testid="campaign-nps"]').innerText(), { timeout: 30_000 }).toBe('+33.3');
    expect(await card.locator('[data-testid="campaign-rate"]').innerText()).toBe('2%');
    expect(await card.locator('[data-testid="campaign-counts"]').innerText()).toMatch(/Recipients\s+185/);
    await checkPage('campaigns');
  });

  it('refuses a manager-only page and a manager-only call to marketing', async () => {
    await page.goto(`${runtime.consoleUrl}#/inbox`);
    await page.getByText('This page is for managers.').waitFor();
    const status = await page.evaluate(`(async () => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
      const user = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      return (await fetch('/v1/followups', { headers: { authorization: 'Bearer ' + user.id_token } })).status;
    })()`);
    expect(status).toBe(403);
  });

  it('checks a 10,000-row file in the page without a long task over 200 ms, and uploads it about as fast as the CLI', async () => {
    const sendAt = new Date(Date.now() + 24 * 3_600_000).toISOString(); // held: nothing of this is sent
    const [forPage, forCli] = await Promise.all(
      ['Big file (console)', 'Big file (CLI)'].map(async (name) => CampaignView.parse(await admin('POST', '/v1/campaigns', { name, brand: 'Acme', channel: 'email', sendAt, throttleDays: 0, segments: ['plan'] }))),
    );
    const file = path.join(work, 'big.csv');
    const stamp = Date.now().toString(36);
    await writeFile(file, ['email,name,plan', ...Array.from({ length: 10_000 }, (_, i) => `big${i}.${stamp}@example.com,Customer ${i},${['pro', 'basic', 'free'][i % 3]}`)].join('\n'));
    await page.goto(`${runtime.consoleUrl}#/campaigns/${forPage?.id}/recipients`);
    await page.getByLabel('Choose a CSV file').waitFor();
    await page.evaluate(`window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });`);
    await page.getByLabel('Choose a CSV file').setInputFiles(file);
    await page.locator('[data-testid="upload-checked"]').waitFor({ timeout: 30_000 });
    const longTasks = (await page.evaluate('window.longTasks')) as number[];
    console.log(`console: 10,000-row CSV checked with ${longTasks.length} long tasks, the longest ${Math.round(Math.max(0, ...longTasks))} ms`);
    expect(Math.max(0, ...longTasks)).toBeLessThan(200);
    await page.getByRole('button', { name: 'Send 10,000 recipients' }).click();
    // About 35 s on a quiet machine; a machine shared with other work can take several times that.
    await page.locator('[data-testid="upload-result"]').waitFor({ timeout: 170_000 });
    expect(await page.locator('[data-testid="upload-accepted"]').innerText()).toBe('10,000 recipients added.');
    const browserSeconds = Number(await page.locator('[data-testid="upload-result"]').getAttribute('data-seconds'));
    // The CLI's time for the same file doubles this test's minute: only when asked (NPSLOOP_COMPARE_CLI=1).
    if (!process.env.NPSLOOP_COMPARE_CLI) {
      console.log(`console: 10,000-row CSV uploaded in ${browserSeconds.toFixed(1)} s in the browser`);
      return;
    }
    const cli = await importRecipients({
      campaignId: forCli?.id ?? '',
      csvPath: file,
      api: createApiClient({ baseUrl: runtime.url, apiKey: runtime.apiKey }),
      progress: { sending: () => undefined, update: () => undefined, note: () => undefined, done: () => undefined },
    });
    expect(cli.accepted).toBe(10_000);
    console.log(`console: 10,000-row CSV uploaded in ${browserSeconds.toFixed(1)} s in the browser, ${cli.seconds.toFixed(1)} s with the CLI`);
  }, 360_000);
});
