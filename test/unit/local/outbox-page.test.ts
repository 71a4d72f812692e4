import { describe, expect, it } from 'vitest';
import { createSmsOutbox, smsOutboxRoute, type OutboxSms } from '#local/outbox/sms-outbox';
import { DEFAULT_OUTBOX_LIMIT, encodeOutboxCursor, MAX_OUTBOX_LIMIT, OutboxPageQuery, outboxPage, sameAddress } from '#local/outbox/outbox-page';

/** The local outboxes' paging: newest first, bounded pages, an opaque cursor, filters. */

const sent = (count: number) => Array.from({ length: count }, (_, index) => index); // oldest first: 0 is the first sent
const query = (raw: Record<string, string>) => OutboxPageQuery.parse(raw);

describe('a page of a local outbox', () => {
  it('starts with the newest message, and holds 20 by default', () => {
    const page = outboxPage(sent(50), query({}));
    expect(DEFAULT_OUTBOX_LIMIT).toBe(20);
    expect(page.items).toEqual(sent(50).reverse().slice(0, 20));
  });

  it('is followed, cursor after cursor, through every message once, newest to oldest', () => {
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = outboxPage(sent(7), query({ limit: '3', ...(cursor !== undefined && { cursor }) }));
      pages.push([...page.items]);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(pages).toEqual([[6, 5, 4], [3, 2, 1], [0]]);
  });

  it('does not shift when messages are sent between two reads', () => {
    const first = outboxPage(sent(5), query({ limit: '2' }));
    const second = outboxPage(sent(9), query({ limit: '2', cursor: first.nextCursor ?? '' }));
    expect([first.items, second.items]).toEqual([[4, 3], [2, 1]]);
  });

  it('has no next cursor on the last page, even when that page is exactly full', () => {
    expect(outboxPage(sent(4), query({ limit: '4' }))).toEqual({ items: [3, 2, 1, 0] });
    expect(outboxPage([], query({}))).toEqual({ items: [] });
  });

  it('keeps only the messages the filter accepts, and pages through those', () => {
    const even = (n: number) => n % 2 === 0;
    const first = outboxPage(sent(10), query({ limit: '2' }), even);
    expect(first.items).toEqual([8, 6]);
    expect(outboxPage(sent(10), query({ limit: '10', cursor: first.nextCursor ?? '' }), even)).toEqual({ items: [4, 2, 0] });
  });
});

describe('the paging parameters', () => {
  it.each([
    ['0', 'must be at least 1'],
    [String(MAX_OUTBOX_LIMIT + 1), `must be at most ${MAX_OUTBOX_LIMIT}`],
    ['2.5', 'must be a whole number'],
    ['ten', 'must be a number'],
  ])('refuse a limit of %s', (limit, message) => {
    const parsed = OutboxPageQuery.safeParse({ limit });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toContain(message);
  });

  it('accept a limit up to 500', () => {
    expect(query({ limit: '500' }).limit).toBe(MAX_OUTBOX_LIMIT);
    expect(MAX_OUTBOX_LIMIT).toBe(500);
  });

  it.each([
    ['not base64 JSON', 'x'],
    ['JSON of another shape', Buffer.from('{"after":3}').toString('base64url')],
    ['a negative position', Buffer.from('{"before":-1}').toString('base64url')],
  ])('refuse a cursor that is %s', (_, cursor) => {
    expect(OutboxPageQuery.safeParse({ cursor }).error?.issues[0]?.message).toMatch(/not a cursor this outbox gave out/);
  });

  it('take back the cursor a page gave out', () => {
    expect(query({ cursor: encodeOutboxCursor(12) }).cursor).toBe(12);
  });
});

describe('GET /local/outbox/sms', () => {
  const outboxOf = (...texts: Omit<OutboxSms, 'messageId' | 'at'>[]) => {
    const outbox = createSmsOutbox();
    texts.forEach((text, index) => outbox.record({ ...text, messageId: `m${index}`, at: `2026-12-01T10:00:0${index}.000Z` }));
    return smsOutboxRoute(outbox);
  };
  const get = async (route: ReturnType<typeof outboxOf>, search: string) => {
    const reply = await route.handle({ body: Buffer.alloc(0), query: new URLSearchParams(search) });
    return { status: reply.statusCode, body: JSON.parse(reply.body.toString('utf8')) as unknown };
  };

  it('keeps the texts to one number, newest first, under ?to= or ?phone=', async () => {
    const route = outboxOf({ to: '+15550000001', body: 'a' }, { to: '+15550000002', body: 'b' }, { to: '+15550000001', body: 'c' });
    const expected = { status: 200, body: { items: [expect.objectContaining({ body: 'c' }), expect.objectContaining({ body: 'a' })] } };
    expect(await get(route, 'to=%2B15550000001')).toEqual(expected);
    expect(await get(route, 'phone=%2B15550000001')).toEqual(expected);
    expect(await get(route, 'to=+15550000001')).toEqual(expected); // curl users rarely encode the +
  });

  it.each([
    ['a limit out of bounds', 'limit=501', /limit: must be at most 500/],
    ['a forged cursor', 'cursor=abc', /cursor: is not a cursor this outbox gave out/],
    ['a filter this outbox does not have', 'campaignId=c1', /Unrecognized key.*campaignId/],
    ['two different numbers', 'to=%2B15550000001&phone=%2B15550000002', /give the number once/],
  ])('answers 400, naming the parameter, to %s', async (_, search, message) => {
    const { status, body } = await get(outboxOf(), search);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(message) } });
  });
});

describe('an address filter', () => {
  it('matches a bare address or one with a display name, ignoring case', () => {
    expect(sameAddress('Ann <Ann@Example.com>', 'ann@example.com')).toBe(true);
    expect(sameAddress('ann@example.com', 'ANN@example.com')).toBe(true);
    expect(sameAddress('annie@example.com', 'ann@example.com')).toBe(false);
  });
});
