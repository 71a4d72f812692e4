import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ResponseItem } from '#shared/table/items';
import { responseItem, streamRecord } from '#test/fixtures/stream-record';
import { context } from '#test/fixtures/http-event';

/**
 * Fault injection against the real DynamoDB Local: the score counter crashes before and after
 * its writes, batches are redelivered (whole, or from the failed record), bisected, and a shard
 * splits. After each run the aggregates must equal a recount of the final responses, exactly:
 * totals, days, segments all time, and segments on each day and over a range of days; and the
 * same for the answers that mention each comment theme, whose tags change with edits and with
 * re-tags that leave the score alone.
 */
type Handler = typeof import('#functions/count-scores').handler;
let handler: Handler;
let readScore: typeof import('#shared/app/aggregates').readScore;
let campaignScope: typeof import('#shared/core/aggregates').campaignScope;
let category: typeof import('#shared/core/nps').category;
let dynamo: typeof import('#shared/aws/clients').dynamo;
let readThemeTallies: typeof import('#shared/app/themes').readThemeTallies;

beforeAll(async () => {
  // The handler modules read their configuration from env at load, as in Lambda.
  Object.assign(process.env, inject('localEnv'));
  ({ handler } = await import('#functions/count-scores'));
  ({ readScore } = await import('#shared/app/aggregates'));
  ({ campaignScope } = await import('#shared/core/aggregates'));
  ({ category } = await import('#shared/core/nps'));
  ({ dynamo } = await import('#shared/aws/clients'));
  ({ readThemeTallies } = await import('#shared/app/themes'));
  dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      const point = chaos?.(String(ctx.commandName));
      if (point === 'before') throw new Error(`injected crash before ${String(ctx.commandName)}`);
      const result = await next(args);
      if (point === 'after') throw new Error(`injected crash after ${String(ctx.commandName)}`);
      return result;
    },
    { step: 'initialize', name: 'chaos' },
  );
});

/** Decides, per DynamoDB call, whether to crash before it, after it, or not at all. */
let chaos: ((command: string) => 'before' | 'after' | undefined) | undefined;

/** A seeded PRNG, so a failing run can be replayed. */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const PLANS = ['free', 'pro', 'team'];
const REGIONS = ['eu', 'us'];
/** Enough days that a batch of 100 touches more aggregate items than one transaction holds. */
const DAYS = Array.from({ length: 12 }, (_, i) => `2026-11-${String(16 + i).padStart(2, '0')}`);
const RANGE = { from: '2026-11-18', to: '2026-11-24' };
const THEMES = ['delivery', 'price', 'support', 'staff'];

/** Up to three themes (with two segments, what one transaction holds), in the theme set's order. */
const someThemes = (rand: () => number) => THEMES.filter(() => rand() < 0.3).slice(0, 3);

/**
 * A history of answers and edits to `invitations` responses of one campaign, as stream records.
 * With `themes`, each answer is tagged and one write in five is a re-tag (same score, new
 * themes); themes come from a generator of their own, so the crash pattern `rand` drives is the
 * same with or without them.
 */
const history = (rand: () => number, campaignId: string, invitations: number, firstSequence: bigint, options: { themes?: boolean } = {}) => {
  const themeRand = random(invitations * 31 + 17);
  const current = new Map<string, ResponseItem>();
  const records: DynamoDBRecord[] = [];
  let sequence = firstSequence;
  const writes = invitations * 3;
  for (let i = 0; i < writes; i++) {
    const id = `${campaignId}-inv${Math.floor(rand() * invitations)}`;
    const before = current.get(id);
    const score = Math.floor(rand() * 11);
    const retag = options.themes === true && before !== undefined && themeRand() < 0.2;
    const after = responseItem({
      PK: `INV#${id}`,
      invitationId: id,
      campaignId,
      score: retag ? before.score : score,
      ...(options.themes ? { themes: someThemes(themeRand) } : {}),
      segments: before?.segments ?? { plan: PLANS[Math.floor(rand() * 3)] ?? 'free', region: REGIONS[Math.floor(rand() * 2)] ?? 'eu' },
      day: before?.day ?? DAYS[Math.floor(rand() * DAYS.length)] ?? '',
      version: (before?.version ?? 0) + 1,
    });
    current.set(id, after);
    records.push(streamRecord(String(sequence), before, after));
    sequence += 10n; // gaps, as real shards have
  }
  return { records, final: [...current.values()] };
};

/** The ground truth: a full recount of the final responses, by segment all time, on each day and over RANGE. */
const recount = (responses: readonly ResponseItem[]) => {
  const tally = (list: readonly ResponseItem[]) => ({
    promoters: list.filter((r) => category(r.score) === 'promoter').length,
    passives: list.filter((r) => category(r.score) === 'passive').length,
    detractors: list.filter((r) => category(r.score) === 'detractor').length,
  });
  const group = (list: readonly ResponseItem[], key: (r: ResponseItem) => string) => {
    const groups = new Map<string, ResponseItem[]>();
    for (const r of list) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return Object.fromEntries([...groups].map(([k, members]) => [k, tally(members)]));
  };
  const segments = (list: readonly ResponseItem[]) => ({
    plan: group(list, (r) => r.segments.plan ?? ''),
    region: group(list, (r) => r.segments.region ?? ''),
  });
  const inRange = (r: ResponseItem) => r.day >= RANGE.from && r.day <= RANGE.to;
  const themes = (list: readonly ResponseItem[]) =>
    Object.fromEntries(THEMES.flatMap((t) => {
      const mentioning = list.filter((r) => r.themes?.includes(t));
      return mentioning.length ? [[t, tally(mentioning)]] : [];
    }));
  return {
    total: tally(responses),
    days: group(responses, (r) => r.day),
    ...segments(responses),
    segmentsByDay: Object.fromEntries(DAYS.map((day) => [day, segments(responses.filter((r) => r.day === day))])),
    segmentsInRange: segments(responses.filter(inRange)),
    themes: {
      all: themes(responses),
      inRange: themes(responses.filter(inRange)),
      pro: themes(responses.filter((r) => r.segments.plan === 'pro')),
      proInRange: themes(responses.filter((r) => r.segments.plan === 'pro' && inRange(r))),
    },
  };
};

const stored = async (campaignId: string) => {
  const tallyOf = (s: { promoters: number; passives: number; detractors: number }) => ({
    promoters: s.promoters,
    passives: s.passives,
    detractors: s.detractors,
  });
  const scope = campaignScope(campaignId);
  const segments = ({ segments: read }: Awaited<ReturnType<typeof readScore>>) => {
    const segment = (name: string) => Object.fromEntries(Object.entries(read[name] ?? {}).map(([k, v]) => [k, tallyOf(v)]));
    return { plan: segment('plan'), region: segment('region') };
  };
  const score = await readScore(scope, {});
  // Ranged reads sum the day-segment items; the all-time read above sums the all-time ones.
  const byDay = await Promise.all(DAYS.map(async (day) => [day, segments(await readScore(scope, { from: day, to: day }))] as const));
  // Theme counts through every cut the impact read uses: all time, by day, by segment, both.
  const themes = async (query: Parameters<typeof readThemeTallies>[1]) =>
    Object.fromEntries([...(await readThemeTallies(scope, query))].filter(([, t]) => t.promoters + t.passives + t.detractors > 0));
  const pro = { attribute: 'plan', value: 'pro' };
  return {
    total: tallyOf(score),
    days: Object.fromEntries(score.days.map((d) => [d.day, tallyOf(d)])),
    ...segments(score),
    segmentsByDay: Object.fromEntries(byDay),
    segmentsInRange: segments(await readScore(scope, RANGE)),
    themes: {
      all: await themes({}),
      inRange: await themes(RANGE),
      pro: await themes({ segment: pro }),
      proInRange: await themes({ ...RANGE, segment: pro }),
    },
  };
};

/** Lambda's retryAttempts for the stream (shared/contract/wiring.ts). */
const MAX_RETRIES = 3;

/**
 * Delivers a shard's records as Lambda does with ReportBatchItemFailures and bisect-on-error:
 * batches in order; a failed batch is retried from its first failed record (a crash retries it
 * whole), and with `bisect`, split in halves; after MAX_RETRIES a record goes to the on-failure
 * destination. `replay` redelivers a random, already-processed window on top, as at-least-once
 * delivery may.
 */
const deliver = async (
  shardId: string,
  records: readonly DynamoDBRecord[],
  options: { batchSize: number; rand: () => number; replay: number; bisect?: boolean; maxRetries?: number },
) => {
  const maxRetries = options.maxRetries ?? MAX_RETRIES;
  const parked: string[] = [];
  const invoke = (batch: readonly DynamoDBRecord[]) => handler({ Records: [...batch], shardId }, context);
  let position = 0;
  while (position < records.length) {
    let batch = records.slice(position, position + options.batchSize);
    let attempts = 0;
    for (;;) {
      let failedAt: number;
      try {
        const result = await invoke(batch);
        const failed = result.batchItemFailures.map((f) => f.itemIdentifier);
        failedAt = failed.length === 0 ? -1 : batch.findIndex((r) => failed.includes(r.dynamodb?.SequenceNumber ?? ''));
      } catch {
        failedAt = 0;
      }
      if (failedAt === -1) {
        position += batch.length;
        break;
      }
      position += failedAt;
      batch = batch.slice(failedAt);
      if (++attempts > maxRetries) {
        if (options.bisect && batch.length > 1) {
          batch = batch.slice(0, Math.ceil(batch.length / 2));
          attempts = 0;
          continue;
        }
        parked.push(batch[0]?.dynamodb?.SequenceNumber ?? '');
        position += 1;
        break;
      }
    }
    if (options.rand() < options.replay && position > 0) {
      const from = Math.floor(options.rand() * position);
      chaosPaused = true;
      await invoke(records.slice(from, Math.min(position, from + options.batchSize)));
      chaosPaused = false;
    }
  }
  return parked;
};
let chaosPaused = false;

const crashing = (rand: () => number, rate: number) => (command: string) => {
  if (chaosPaused || !['TransactWriteItemsCommand', 'GetItemCommand', 'SendMessageBatchCommand'].includes(command)) return undefined;
  const roll = rand();
  return roll < rate / 2 ? 'before' : roll < rate ? 'after' : undefined;
};

const campaign = () => `chaos${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

describe('exactly-once scores under at-least-once delivery', () => {
  it.each([1, 10, 100])('matches a recount after crashes and redeliveries at batch size %i', async (batchSize) => {
    // GIVEN 40 invitations answered and edited 120 times
    const rand = random(batchSize * 7919);
    const campaignId = campaign();
    const { records, final } = history(rand, campaignId, 40, 10n ** 20n);
    // WHEN the consumer crashes before or after a third of its writes, and batches are replayed
    chaos = crashing(rand, 0.3);
    const parked = await deliver(`shard-${campaignId}`, records, { batchSize, rand, replay: 0.3 });
    chaos = undefined;
    // THEN nothing was lost to the on-failure destination, and every aggregate is exact
    expect(parked).toEqual([]);
    expect(await stored(campaignId)).toEqual(recount(final));
  });

  // Tagged answers and re-tags make more records write, and so more records meet a crash; with
  // Lambda's 3 retries a 30% crash rate parks some of them, which the tests above already cover.
  // Here retries are not what is tested, so a record is retried until it goes through.
  it.each([1, 10, 100])('counts comment themes exactly once after crashes and redeliveries at batch size %i', async (batchSize) => {
    // GIVEN 40 tagged answers, edited, re-tagged and answered again 120 times
    const rand = random(batchSize * 104_729);
    const campaignId = campaign();
    const { records, final } = history(rand, campaignId, 40, 3n * 10n ** 20n, { themes: true });
    expect(final.some((r) => (r.themes ?? []).length > 0)).toBe(true);
    // WHEN the consumer crashes before or after a third of its writes, and batches are replayed
    chaos = crashing(rand, 0.3);
    const parked = await deliver(`shard-${campaignId}`, records, { batchSize, rand, replay: 0.3, maxRetries: 50 });
    chaos = undefined;
    // THEN the theme counts, all time, by day, by segment and by both, equal a recount, as do the scores
    expect(parked).toEqual([]);
    expect(await stored(campaignId)).toEqual(recount(final));
  });

  it('stays exact when the shard splits: parent first, then the child', async () => {
    const rand = random(4242);
    const campaignId = campaign();
    const { records, final } = history(rand, campaignId, 30, 5n * 10n ** 20n);
    const cut = Math.floor(records.length / 2);
    chaos = crashing(rand, 0.2);
    await deliver(`parent-${campaignId}`, records.slice(0, cut), { batchSize: 25, rand, replay: 0.5 });
    await deliver(`child-${campaignId}`, records.slice(cut), { batchSize: 25, rand, replay: 0.5 });
    chaos = undefined;
    expect(await stored(campaignId)).toEqual(recount(final));
  });

  it('parks a poison record, counts everything else, and does not stall the shard', async () => {
    const rand = random(99);
    const campaignId = campaign();
    const { records, final } = history(rand, campaignId, 20, 7n * 10n ** 20n);
    // GIVEN an unreadable record in the middle of the shard, not part of any response's history
    const poison = streamRecord('0', undefined, responseItem());
    const poisonSequence = String(7n * 10n ** 20n + 295n);
    poison.dynamodb = { ...poison.dynamodb, SequenceNumber: poisonSequence, NewImage: { PK: { S: 'INV#x' }, SK: { S: 'RESPONSE' } } };
    const withPoison = [...records.slice(0, 30), poison, ...records.slice(30)];
    // WHEN delivered with bisect-on-error
    const parked = await deliver(`shard-${campaignId}`, withPoison, { batchSize: 16, rand, replay: 0, bisect: true });
    // THEN exactly the poison record is parked and the scores are exact
    expect(parked).toEqual([poisonSequence]);
    expect(await stored(campaignId)).toEqual(recount(final));
  });
});
