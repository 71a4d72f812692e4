import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ResponseRow } from '#shared/contract/responses';
import { api, baseUrl, eventually, outbox, request, signIn, uniqueEmail } from '#test/integration/client';

/**
 * The response feed on the local runtime: newest first across campaigns, each filter on the
 * server, paging with cursors, the CSV of a filtered view, marketing without contact details,
 * and responses written before the feed keys, which the re-tag sweep brings into the feed.
 */
let recordAnswer: typeof import('#shared/app/responses').recordAnswer;
let surveyById: typeof import('#shared/app/responses').surveyById;
let runRetag: typeof import('#shared/app/themes').runRetag;
let dynamo: typeof import('#shared/aws/clients').dynamo;
let keys: typeof import('#shared/table/items').keys;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ recordAnswer, surveyById } = await import('#shared/app/responses'));
  ({ runRetag } = await import('#shared/app/themes'));
  ({ dynamo } = await import('#shared/aws/clients'));
  ({ keys } = await import('#shared/table/items'));
});

const DAY_MS = 86_400_000;

/** A word no other test writes, so the feed across every campaign can be narrowed to this test's answers. */
const marker = () => `zq${randomBytes(4).toString('hex')}`;

/** A campaign sent to `people`, and each one's invitation token, in order. */
const campaignWith = async (name: string, people: readonly { email: string; plan?: string }[]) => {
  const id = (await api('POST /v1/campaigns', { body: { name, brand: 'Acme', channel: 'email', segments: ['plan'] } })).body.id;
  await api('POST /v1/campaigns/{id}/recipients', {
    params: { id },
    body: { recipients: people.map((p) => ({ email: p.email, ...(p.plan ? { attributes: { plan: p.plan } } : {}) })) },
  });
  const tokens = await eventually(
    async () => {
      const mails = await Promise.all(people.map((p) => outbox<{ html: string }>({ box: 'email', to: p.email })));
      const found = mails.map((m) => /\/s\/([^?"]+)\?score=/.exec(m[0]?.html ?? '')?.[1]);
      return found.every(Boolean) ? (found as string[]) : undefined;
    },
    { what: `${people.length} invitation e-mails of ${name}` },
  );
  return { id, tokens };
};

const answer = async (token: string, body: { score: number; comment?: string }) => {
  const reply = await request('POST', `/s/${token}`, { body, auth: false, headers: { accept: 'application/json' } });
  expect(reply.status).toBe(200);
};

/** Every row of the feed for this query, page after page, and how many pages it took. */
const wholeFeed = async (query: Record<string, string | number>, headers: Record<string, string> = {}) => {
  const rows: ResponseRow[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await api('GET /v1/responses', { query: { ...query, ...(cursor ? { cursor } : {}) }, headers });
    rows.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 20);
  return { rows, pages };
};

const comments = (rows: readonly ResponseRow[]) => rows.map((r) => r.comment);

describe('the response feed', () => {
  it('shows the newest answers first across campaigns, narrowed on the server, page by page', async () => {
    // GIVEN two campaigns, and answers given one after the other (one of them 40 days ago)
    const word = marker();
    const a = await campaignWith('Feed A', [
      { email: uniqueEmail('fa1'), plan: 'pro' },
      { email: uniqueEmail('fa2'), plan: 'free' },
      { email: uniqueEmail('fa3'), plan: 'pro' },
      { email: uniqueEmail('fa4'), plan: 'free' },
    ]);
    const b = await campaignWith('Feed B', [{ email: uniqueEmail('fb1') }, { email: uniqueEmail('fb2') }]);
    const longAgo = new Date(Date.now() - 40 * DAY_MS);
    const old = await surveyById(a.tokens[3]?.split('.')[0] ?? '');
    if (!old) throw new Error('no survey behind the fourth invitation');
    await recordAnswer(old, { score: 5, comment: `${word} old news` }, longAgo);
    await answer(a.tokens[0] ?? '', { score: 2, comment: `${word} Доставка ЁЛКИ опоздала на неделю` });
    await answer(b.tokens[0] ?? '', { score: 10, comment: `=SUM(1) ${word} love it` });
    await answer(a.tokens[1] ?? '', { score: 8, comment: `${word} fine` });
    await answer(b.tokens[1] ?? '', { score: 0 });
    await answer(a.tokens[2] ?? '', { score: 9, comment: `${word} great support` });
    const today = [`${word} great support`, `${word} fine`, `=SUM(1) ${word} love it`, `${word} Доставка ЁЛКИ опоздала на неделю`];

    // WHEN the feed of every campaign is searched for the word, in capitals, two to a page
    const all = await wholeFeed({ q: word.toUpperCase(), limit: 2 });

    // THEN today's answers come newest first, from both campaigns, over two pages or more
    expect(comments(all.rows)).toEqual(today);
    expect(all.pages).toBeGreaterThanOrEqual(2);
    expect(all.rows.map((r) => r.campaignName)).toEqual(['Feed A', 'Feed A', 'Feed B', 'Feed A']);
    expect(all.rows[3]).toMatchObject({ score: 2, category: 'detractor', segments: { plan: 'pro' } });
    expect(all.rows[3]?.themes).toContain('delivery');

    // AND within one campaign, the answer of 40 days ago comes last
    expect(comments((await wholeFeed({ campaignId: a.id, q: word })).rows)).toEqual([today[0], today[1], today[3], `${word} old news`]);
    // AND each filter narrows it
    const narrowed = async (query: Record<string, string>) => comments((await wholeFeed({ campaignId: a.id, ...query })).rows);
    expect(await narrowed({ q: 'ёлки' })).toEqual([today[3]]);
    expect(await narrowed({ category: 'detractor' })).toEqual([today[3], `${word} old news`]);
    expect(await narrowed({ segment: 'plan:pro' })).toEqual([today[0], today[3]]);
    expect(await narrowed({ theme: 'delivery' })).toEqual([today[3]]);
    const day = longAgo.toISOString().slice(0, 10);
    expect(await narrowed({ from: day, to: day })).toEqual([`${word} old news`]);
    expect(await narrowed({ days: '7' })).toEqual([today[0], today[1], today[3]]);
    expect(comments((await wholeFeed({ campaignId: b.id, category: 'promoter' })).rows)).toEqual([today[2]]);
    // AND the answer without a comment is in the feed too
    expect((await wholeFeed({ campaignId: b.id })).rows.map((r) => r.score)).toEqual([0, 10]);

    // AND the filtered view exports as formula-safe CSV, newest first, with its campaign
    const csv = await request('GET', `/v1/responses?q=${word}&category=promoter&format=csv`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toContain('"campaign"');
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]).toContain(`"${word} great support"`);
    expect(lines[2]).toContain(`"'=SUM(1) ${word} love it"`);
    expect(lines[2]).toContain('"Feed B"');
  });

  it('shows marketing every campaign’s answers without contact details, in JSON and CSV', async () => {
    const word = marker();
    const email = uniqueEmail('fm');
    const c = await campaignWith('Feed M', [{ email }]);
    await answer(c.tokens[0] ?? '', { score: 6, comment: `${word} meh` });
    const marketing = { authorization: `Bearer ${await signIn({ url: baseUrl() }, 'marketing@example.com')}` };

    const feed = await wholeFeed({ q: word }, marketing);
    const csv = await request('GET', `/v1/responses?q=${word}&format=csv`, { headers: marketing });

    expect(comments(feed.rows)).toEqual([`${word} meh`]);
    expect(feed.rows[0]).not.toHaveProperty('contact');
    expect(csv.text).toContain(`${word} meh`);
    expect(csv.text).not.toContain(email);
    expect(csv.text.split('\r\n')[0]).not.toContain('"email"');
    // A manager sees who answered.
    expect((await wholeFeed({ q: word })).rows[0]?.contact?.email).toBe(email);
  });

  it('brings responses written before the feed into it with the re-tag sweep', async () => {
    // GIVEN an answer stored as before the feed: sorted by invitation id, no month key, no search text
    const word = marker();
    const c = await campaignWith('Feed legacy', [{ email: uniqueEmail('fl') }]);
    await answer(c.tokens[0] ?? '', { score: 4, comment: `${word} Ёжик в тумане` });
    const invitationId = c.tokens[0]?.split('.')[0] ?? '';
    await dynamo.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.response(invitationId),
        UpdateExpression: 'SET GSI1SK = :id REMOVE GSI4PK, GSI4SK, commentFolded',
        ExpressionAttributeValues: { ':id': invitationId },
      }),
    );
    expect((await wholeFeed({ campaignId: c.id })).rows).toEqual([]);

    // WHEN the sweep has finished whatever it was doing, and a deployment with newer feed keys starts one
    const later = () => new Date(Date.now() + 10 * 60_000);
    const sweepDone = async () => {
      await runRetag({ now: later, timeLeftMs: () => 10_000, leaseMs: 60_000 });
      const job = (await api('GET /v1/themes')).body.retag;
      return job?.status === 'done' ? job : undefined;
    };
    await eventually(sweepDone, { what: 'the re-tag job to finish' });
    await dynamo.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.retagJob(),
        UpdateExpression: 'REMOVE feedKeys',
        ConditionExpression: '#status = :done',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );

    // THEN the sweep gives the old answer its keys: it shows in its campaign's feed, across
    // campaigns, and in a search that ignores ё
    const found = await eventually(
      async () => {
        await runRetag({ now: later, timeLeftMs: () => 10_000, leaseMs: 60_000 });
        const rows = (await wholeFeed({ q: `${word} ежик` })).rows;
        return rows.length === 1 ? rows : undefined;
      },
      { what: 'the old answer in the feed' },
    );
    expect(found[0]).toMatchObject({ invitationId, campaignId: c.id, score: 4 });
    expect(comments((await wholeFeed({ campaignId: c.id })).rows)).toEqual([`${word} Ёжик в тумане`]);
    await eventually(sweepDone, { what: 'the feed-key sweep to finish' });
  });

  it('erases the comment and its search text with the contact, and keeps the score in the feed', async () => {
    const word = marker();
    const email = uniqueEmail('fe');
    const c = await campaignWith('Feed erase', [{ email }]);
    await answer(c.tokens[0] ?? '', { score: 1, comment: `${word} call me back` });
    expect((await wholeFeed({ q: word })).rows).toHaveLength(1);

    await api('DELETE /v1/contacts', { body: { email } });

    expect((await wholeFeed({ q: word })).rows).toEqual([]);
    const rows = (await wholeFeed({ campaignId: c.id })).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 1 });
    expect(rows[0]).not.toHaveProperty('comment');
    expect(JSON.stringify(rows)).not.toContain(email);
  });
});
