import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_OUTBOX_LIMIT, MAX_OUTBOX_LIMIT } from '#local/outbox/outbox-page';
import { outbox, request } from '#test/integration/client';

/**
 * The e-mail outbox after a large import: 2,000 e-mails sent straight to the SES emulator (as
 * the sender function would send them, without the pipeline in between), read a page at a time.
 */

const IMPORTED = 2000;
const BATCH = 50;

interface Page {
  readonly items: { readonly to: string[]; readonly subject: string; readonly html?: string }[];
  readonly nextCursor?: string;
}

const run = randomUUID().slice(0, 8);
const addressOf = (n: number) => `import-${run}-${n}@example.com`;
/** The batch an e-mail was sent in: batches go out one after another, so later batches are newer. */
const batchOf = (subject: string) => Number(/batch (\d+)/.exec(subject)?.[1]);

const ses = new SESv2Client({
  endpoint: inject('localEnv').AWS_ENDPOINT_URL_SESV2,
  region: inject('localEnv').AWS_REGION,
  credentials: { accessKeyId: inject('localEnv').AWS_ACCESS_KEY_ID ?? '', secretAccessKey: inject('localEnv').AWS_SECRET_ACCESS_KEY ?? '' },
});

beforeAll(async () => {
  for (let first = 0; first < IMPORTED; first += BATCH) {
    await Promise.all(
      Array.from({ length: BATCH }, (_, offset) =>
        ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'surveys@npsloop.local',
            Destination: { ToAddresses: [addressOf(first + offset)] },
            Content: { Simple: { Subject: { Data: `Import ${run} batch ${first / BATCH}` }, Body: { Text: { Data: 'How likely…' } } } },
          }),
        ),
      ),
    );
  }
}, 120_000);

afterAll(() => ses.destroy());

describe('the e-mail outbox after a 2,000-row import', () => {
  it('answers a person with one small page of the newest e-mails, and a cursor to the next', async () => {
    // WHEN
    const reply = await request<Page>('GET', '/local/outbox/email', { auth: false });
    // THEN
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(DEFAULT_OUTBOX_LIMIT);
    expect(reply.body.items[0]?.subject).toBe(`Import ${run} batch ${IMPORTED / BATCH - 1}`);
    expect(reply.body.nextCursor).toEqual(expect.any(String));
  });

  it('is read to the end by following nextCursor: every e-mail once, newest first, pages of at most 500', async () => {
    // WHEN
    const pages: Page[] = [];
    let cursor: string | undefined;
    const started = performance.now();
    do {
      const query = new URLSearchParams({ limit: String(MAX_OUTBOX_LIMIT), ...(cursor !== undefined && { cursor }) });
      const reply = await request<Page>('GET', `/local/outbox/email?${query.toString()}`, { auth: false });
      expect(reply.status).toBe(200);
      pages.push(reply.body);
      cursor = reply.body.nextCursor;
    } while (cursor !== undefined);
    const elapsedMs = performance.now() - started;
    // THEN (the time is a coarse guard against reading the store once per message, not a benchmark)
    expect(elapsedMs).toBeLessThan(5000);
    expect(pages.every((page) => page.items.length <= MAX_OUTBOX_LIMIT)).toBe(true);
    const imported = pages.flatMap((page) => page.items).filter((email) => email.subject.startsWith(`Import ${run} `));
    expect(new Set(imported.map((email) => email.to[0])).size).toBe(IMPORTED);
    expect(imported).toHaveLength(IMPORTED);
    const batches = imported.map((email) => batchOf(email.subject));
    expect(batches).toEqual([...batches].sort((a, b) => b - a));
  });

  it('finds the one e-mail to an address with ?to=, in one request', async () => {
    // WHEN
    const reply = await request<Page>('GET', `/local/outbox/email?to=${encodeURIComponent(addressOf(1234).toUpperCase())}`, { auth: false });
    // THEN
    expect(reply.body).toEqual({ items: [expect.objectContaining({ to: [addressOf(1234)], subject: `Import ${run} batch 24` })] });
  });

  it('gives the same e-mails to the test helper that follows the cursor', async () => {
    expect((await outbox<{ to: string[] }>({ box: 'email', to: addressOf(7) })).map((email) => email.to)).toEqual([[addressOf(7)]]);
  });

  it.each([
    ['limit=0', /limit: must be at least 1/],
    ['limit=5000', /limit: must be at most 500/],
    ['cursor=not-a-cursor', /cursor: is not a cursor this outbox gave out/],
  ])('answers 400 to ?%s', async (search, message) => {
    const reply = await request('GET', `/local/outbox/email?${search}`, { auth: false });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(message) } });
  });
});
