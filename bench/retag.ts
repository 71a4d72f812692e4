/**
 * The re-tag after a theme change, on the real DynamoDB Local with the local pipeline running:
 * COMMENTS stored comments (the labelled ones, over and over) are tagged with the default
 * themes and counted; then the themes change (delivery gives way to "packaging" and price gains
 * keywords) and the re-tag job sweeps them in one run. Measured: the sweep's time, the time until
 * the stream has moved every count, and write units, modelled from AWS's pricing as in
 * bench/scores.ts (DynamoDB Local reports 2 units for any transaction): a standard write of an
 * item under 1 KB is 1 WCU, a transactional one 2 WCU per item; a Query page of eventually
 * consistent reads is 0.5 RCU per 4 KB.
 */
import { defaultThemes } from '#shared/core/default-themes';
import type { Theme } from '#shared/core/theme-set';
import { labelledComments } from '#test/fixtures/themes/labelled';
import type { Figure } from './figures.ts';

const PLANS = ['free', 'pro', 'team'];
const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];

/** The change benchmarked: delivery's boxes and parcels become their own theme, and price reads more words. */
const changedThemes = (): Theme[] => [
  {
    id: 'packaging',
    name: { en: 'Packaging', ru: 'Упаковка' },
    keywords: { en: ['box', 'packag*', 'parcel', 'wrapping'], ru: ['коробк*', 'упаковк*', 'посылк*'] },
  },
  ...defaultThemes
    .filter((t) => t.id !== 'delivery')
    .map((t) => (t.id === 'price' ? { ...t, keywords: { en: [...t.keywords.en, 'value', 'worth'], ru: [...t.keywords.ru, 'стоит', 'переплатил*'] } } : t)),
];

const until = async (what: string, probe: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Needs the local runtime started in this process (its stream consumer moves the counts). */
export async function retagBenchmark(comments: number): Promise<Figure[]> {
  const { dynamo } = await import('#shared/aws/clients');
  const { tableName } = await import('#shared/aws/config');
  const { batchWriteAll } = await import('#shared/table/query');
  const { feedAttributes, gsi1, keys } = await import('#shared/table/items');
  const { compileTagger } = await import('#shared/core/themes');
  const { campaignScope, themesThatFit } = await import('#shared/core/aggregates');
  const { readTotal } = await import('#shared/app/aggregates');
  const { readThemeTallies, replaceThemeSet, runRetag } = await import('#shared/app/themes');

  // GIVEN one campaign holding `comments` answers, tagged with the default themes, and counted
  const campaignId = '01JBENCHRETAG0000000000000';
  const texts = [...labelledComments('en'), ...labelledComments('ru')].map((c) => ({ text: c.text, ru: /\p{Script=Cyrillic}/u.test(c.text) }));
  const tagger = compileTagger(defaultThemes);
  const now = new Date().toISOString();
  const campaign = { id: campaignId, name: 'Retag benchmark', brand: 'Acme', channel: 'email', locale: 'en', segments: ['plan'], createdAt: now, throttleDays: 90 };
  const responses = Array.from({ length: comments }, (_, i) => {
    const { text } = texts[i % texts.length] ?? { text: '' };
    const invitationId = `bench${String(i).padStart(7, '0')}`;
    const segments = { plan: PLANS[i % PLANS.length] ?? 'free' };
    return {
      ...keys.response(invitationId),
      // Keyed for the feed as an answer is stored today, so the sweep measures re-tagging only.
      ...feedAttributes({ invitationId, campaignId, firstAnsweredAt: now, comment: text }),
      invitationId,
      campaignId,
      score: (i * 7) % 11,
      comment: text,
      themes: themesThatFit(tagger.tag(text, 'en').themes, segments),
      themesVersion: 0,
      segments,
      day: DAYS[i % DAYS.length] ?? '',
      firstAnsweredAt: now,
      answeredAt: now,
      version: 1,
    };
  });
  await batchWriteAll(tableName(), [{ PutRequest: { Item: { ...keys.campaign(campaignId), GSI1PK: gsi1.campaigns, GSI1SK: campaignId, ...campaign } } }]);
  const seedStarted = performance.now();
  const SEED_WRITERS = 8;
  const perWriter = Math.ceil(responses.length / SEED_WRITERS);
  await Promise.all(
    Array.from({ length: SEED_WRITERS }, (_, w) =>
      batchWriteAll(tableName(), responses.slice(w * perWriter, (w + 1) * perWriter).map((Item) => ({ PutRequest: { Item } }))),
    ),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await until('the stream to count every answer', async () => {
    const total = await readTotal(campaignScope(campaignId));
    return total.promoters + total.passives + total.detractors === comments;
  }, 1_800_000);

  // The truth after the change: a recount of every comment with the new themes.
  const newTagger = compileTagger(changedThemes());
  const expected = new Map<string, number>();
  let changed = 0;
  for (const r of responses) {
    const themes = themesThatFit(newTagger.tag(r.comment, 'en').themes, r.segments);
    if (themes.join() !== r.themes.join()) changed += 1;
    for (const t of themes) expected.set(t, (expected.get(t) ?? 0) + 1);
  }

  // Meter the re-tag's own writes and reads, and the score counter's, from here on.
  const meter = { retagWcu: 0, retagRcu: 0, counterWcu: 0, on: false };
  dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (!meter.on) return next(args);
      const command = String(ctx.commandName);
      const transactItems = input.TransactItems as { Update?: { Key: { PK: string } } }[] | undefined;
      if (command === 'TransactWriteItemsCommand' && transactItems?.some((t) => /^(AGG|STREAM)#/.test(t.Update?.Key.PK ?? ''))) {
        meter.counterWcu += 2 * transactItems.length;
      } else if (command === 'UpdateItemCommand' && /^INV#/.test(String((input.Key as { PK?: string } | undefined)?.PK))) {
        meter.retagWcu += 1;
      } else if (command === 'UpdateItemCommand' && (input.Key as { PK?: string } | undefined)?.PK === 'THEMES') {
        meter.retagWcu += 1;
      } else if (command === 'QueryCommand' && input.IndexName === 'GSI1') {
        input.ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
        meter.retagRcu += consumed?.CapacityUnits ?? 0;
        return result;
      }
      return next(args);
    },
    { step: 'initialize', name: 'retag-meter' },
  );

  // WHEN the themes change and the job runs, with a clock past its settling time
  await replaceThemeSet({ themes: changedThemes() });
  meter.on = true;
  const started = performance.now();
  const run = await runRetag({ now: () => new Date(Date.now() + 3_600_000), timeLeftMs: () => 3_600_000, leaseMs: 3_600_000 });
  const sweepSeconds = (performance.now() - started) / 1000;
  // THEN the counts follow: each theme's mentions equal the recount
  await until('the stream to move every theme count', async () => {
    const tallies = await readThemeTallies(campaignScope(campaignId), {});
    return [...expected].every(([theme, n]) => {
      const t = tallies.get(theme);
      return t !== undefined && t.promoters + t.passives + t.detractors === n;
    }) && [...tallies].every(([theme, t]) => expected.has(theme) || t.promoters + t.passives + t.detractors === 0);
  }, 1_800_000);
  const countedSeconds = (performance.now() - started) / 1000;
  meter.on = false;
  if (!run.done || run.retagged !== changed) throw new Error(`the re-tag wrote ${run.retagged} of ${changed} changed comments (done: ${run.done})`);

  const per100k = (x: number) => (x * 100_000) / comments;
  const figures: Figure[] = [
    { name: 'retag comments stored', value: comments, unit: 'comments' },
    { name: 'retag comments whose themes changed', value: changed, unit: 'comments' },
    { name: 'retag seed (BatchWrite) rate', value: Math.round(comments / seedSeconds), unit: 'items/s' },
    { name: 'retag sweep time', value: Number(sweepSeconds.toFixed(1)), unit: 's' },
    { name: 'retag sweep + stream counted time', value: Number(countedSeconds.toFixed(1)), unit: 's' },
    { name: 'retag sweep write units (response updates + job progress)', value: meter.retagWcu, unit: 'WCU' },
    { name: 'retag sweep read units (GSI1 pages)', value: Number(meter.retagRcu.toFixed(1)), unit: 'RCU' },
    { name: 'retag counter write units (theme counts, transactional)', value: meter.counterWcu, unit: 'WCU' },
  ];
  if (comments !== 100_000) {
    figures.push(
      { name: 'retag sweep + stream counted time per 100,000 comments (extrapolated)', value: Number(per100k(countedSeconds).toFixed(0)), unit: 's' },
      { name: 'retag write units per 100,000 comments (extrapolated, sweep + counter)', value: Math.round(per100k(meter.retagWcu + meter.counterWcu)), unit: 'WCU' },
    );
  }
  return figures;
}
