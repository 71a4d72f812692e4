/**
 * Comment themes as a use case: the theme set in force (stored, versioned, cached briefly), the
 * tags an answer is written with, the impact read, and the background re-tag after a change.
 *
 * Counting is not here: tags live on the response item, so the stream carries old and new tags
 * to the score counter, which moves theme counts in the same transaction as the scores
 * (shared/core/aggregates.ts). A re-tag is therefore just a write of new tags.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { updateIfStill } from '#shared/table/conditional';
import { tableName } from '#shared/aws/config';
import { queryItems, readTotal } from '#shared/app/aggregates';
import { bucket, segmentOf, sumSlots, themeBucketOf, themesThatFit, unslotted, type AggregateScope } from '#shared/core/aggregates';
import { defaultThemes } from '#shared/core/default-themes';
import { addTallies, emptyTally, score, type Tally } from '#shared/core/nps';
import { pointsCost } from '#shared/core/theme-impact';
import { compileTagger, type Tagger } from '#shared/core/themes';
import { sameThemes, Theme } from '#shared/core/theme-set';
import { Locale } from '#shared/core/vocabulary';
import { feedAttributes, gsi1, keys, ResponseItem } from '#shared/table/items';
import { cancellationCodes, transactWrite } from '#shared/table/transactions';
import type { RetagProgress, ThemeImpactQuery, ThemeImpactReport, ThemeSetInput, ThemeSetView } from '#shared/contract/themes';
import * as z from 'zod/mini';

/** How long a function reuses the theme set it read; a change reaches every writer within this. */
export const THEME_SET_MAX_AGE_MS = 30_000;
/**
 * The re-tag starts this long after a change: by then every writer tags with the new set, so no
 * answer written with the old set can land behind the re-tag's sweep.
 */
export const RETAG_SETTLE_MS = 2 * THEME_SET_MAX_AGE_MS + 15_000;

const StoredThemeSet = z.object({ version: z.int(), updatedAt: z.string(), themes: z.array(Theme) });

export interface ThemeSet {
  readonly version: number;
  readonly updatedAt?: string;
  readonly themes: Theme[];
  readonly tagger: Tagger;
}

const defaults = (): ThemeSet => ({ version: 0, themes: defaultThemes, tagger: compileTagger(defaultThemes) });

let cached: { set: ThemeSet; readAt: number } | undefined;

/** The theme set in force: stored, or the defaults at version 0 before any PUT. */
export const readThemeSet = async (options: { fresh?: boolean; now?: number } = {}): Promise<ThemeSet> => {
  const now = options.now ?? Date.now();
  if (!options.fresh && cached && now - cached.readAt < THEME_SET_MAX_AGE_MS) return cached.set;
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.themeSet(), ConsistentRead: true }));
  const stored = out.Item ? StoredThemeSet.parse(out.Item) : undefined;
  // The same version is the same set: keep the tagger compiled for it.
  const set = cached?.set.version === (stored?.version ?? 0) ? cached.set : stored ? { ...stored, tagger: compileTagger(stored.themes) } : defaults();
  cached = { set, readAt: now };
  return set;
};

/** The themes an answer's comment is stored with, and the set version that found them. */
export interface CommentTags {
  readonly themes: string[];
  readonly version: number;
}

export const tagComment = async (comment: string | undefined, locale: Locale): Promise<CommentTags> => {
  const set = await readThemeSet();
  const text = comment?.trim() ?? '';
  return { themes: text === '' ? [] : set.tagger.tag(text, locale).themes, version: set.version };
};

const RetagJob = z.object({
  version: z.int(),
  status: z.enum(['waiting', 'running', 'done']),
  notBefore: z.string(),
  checked: z._default(z.int(), 0),
  retagged: z._default(z.int(), 0),
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  runningUntil: z.optional(z.string()),
  /** The GSI1 key of the last campaign finished, and within the current one the last response's. */
  campaignKey: z.optional(z.record(z.string(), z.unknown())),
  campaign: z.optional(z.object({ id: z.string(), locale: z.string() })),
  responseKey: z.optional(z.record(z.string(), z.unknown())),
  /** The feed-key version the last finished sweep gave every response (see FEED_KEYS_VERSION). */
  feedKeys: z.optional(z.int()),
});
type RetagJob = z.infer<typeof RetagJob>;

/** What the re-tag reads of a campaign item: the tagger's language is the campaign's. */
const CampaignLocale = z.object({ id: z.string(), locale: Locale });

const readRetagJob = async (): Promise<RetagJob | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.retagJob(), ConsistentRead: true }));
  return out.Item ? RetagJob.parse(out.Item) : undefined;
};

const progressOf = (job: RetagJob | undefined): RetagProgress | null =>
  job
    ? {
        version: job.version,
        status: job.status,
        checked: job.checked,
        retagged: job.retagged,
        ...(job.startedAt ? { startedAt: job.startedAt } : {}),
        ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
      }
    : null;

export const themeSetView = async (): Promise<ThemeSetView> => {
  const [set, job] = await Promise.all([readThemeSet({ fresh: true }), readRetagJob()]);
  return { version: set.version, ...(set.updatedAt ? { updatedAt: set.updatedAt } : {}), themes: set.themes, retag: progressOf(job) };
};

/**
 * Stores a new theme set as the next version and, in the same transaction, (re)starts the re-tag
 * for it: a change during a re-tag restarts the sweep for the newer set. Two PUTs that race both
 * read version v; only one may write v + 1, the other is retried on the newer one.
 */
export const replaceThemeSet = async (input: ThemeSetInput, now = new Date()): Promise<ThemeSetView> => {
  for (let attempt = 0; ; attempt++) {
    const current = await readThemeSet({ fresh: true });
    const version = current.version + 1;
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.themeSet(), version, updatedAt: now.toISOString(), themes: input.themes },
            ConditionExpression: current.version === 0 ? 'attribute_not_exists(PK)' : 'version = :current',
            ...(current.version === 0 ? {} : { ExpressionAttributeValues: { ':current': current.version } }),
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.retagJob(), version, status: 'waiting', notBefore: new Date(now.getTime() + RETAG_SETTLE_MS).toISOString(), checked: 0, retagged: 0 },
          },
        },
      ]);
      return themeSetView();
    } catch (error) {
      if (attempt >= 3 || cancellationCodes(error)[0] !== 'ConditionalCheckFailed') throw error;
    }
  }
};

/**
 * Writes a response's new tags, only if nothing has moved under the re-tag: the comment is still
 * the one it read, the response is not erased, and no writer has tagged it with this version or
 * a later one. Returns whether it wrote.
 */
const writeTags = async (response: ResponseItem, themes: string[], version: number): Promise<boolean> => {
  const sameComment = response.comment === undefined ? 'attribute_not_exists(#comment)' : '#comment = :comment';
  return updateIfStill(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.response(response.invitationId),
      UpdateExpression: 'SET themes = :themes, themesVersion = :version',
      ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(erasedAt) AND ${sameComment} AND (attribute_not_exists(themesVersion) OR themesVersion < :version)`,
      ExpressionAttributeNames: { '#comment': 'comment' },
      ExpressionAttributeValues: { ':themes': themes, ':version': version, ...(response.comment === undefined ? {} : { ':comment': response.comment }) },
    }),
  );
};

/**
 * The version of the feed's keys on responses (shared/table/items.ts feedAttributes). Every sweep
 * also gives each response it reads the keys it lacks; after a deployment that raises this, the
 * job sweeps once on its own (with no theme change), so responses written before are in the feed
 * within minutes. Until then they are left out of it, never shown wrongly.
 */
export const FEED_KEYS_VERSION = 1;

/**
 * Gives a response the feed keys and search text it should have, from its own first answer and
 * comment, only if neither moved under the sweep. Returns whether it wrote.
 */
const writeFeedKeys = async (raw: Record<string, unknown>, response: ResponseItem): Promise<boolean> => {
  const want = feedAttributes(response);
  const differs = (['GSI1SK', 'GSI4PK', 'GSI4SK', 'commentFolded'] as const).some((name) => raw[name] !== want[name as keyof typeof want]);
  if (!differs) return false;
  const sameComment = response.comment === undefined ? 'attribute_not_exists(#comment)' : '#comment = :comment';
  return updateIfStill(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.response(response.invitationId),
      UpdateExpression: `SET GSI1PK = :g1pk, GSI1SK = :g1sk, GSI4PK = :g4pk, GSI4SK = :g4sk${want.commentFolded ? ', commentFolded = :folded' : ' REMOVE commentFolded'}`,
      ConditionExpression: `attribute_exists(PK) AND firstAnsweredAt = :first AND ${sameComment}`,
      ExpressionAttributeNames: { '#comment': 'comment' },
      ExpressionAttributeValues: {
        ':g1pk': want.GSI1PK,
        ':g1sk': want.GSI1SK,
        ':g4pk': want.GSI4PK,
        ':g4sk': want.GSI4SK,
        ':first': response.firstAnsweredAt,
        ...(want.commentFolded ? { ':folded': want.commentFolded } : {}),
        ...(response.comment === undefined ? {} : { ':comment': response.comment }),
      },
    }),
  );
};

/**
 * Starts a sweep with no theme change when the feed's keys are newer than the last finished
 * sweep gave (or no job ever ran): the version stays the theme set's, so it re-tags nothing.
 * Two runs racing start it once.
 */
const startFeedKeySweep = async (now: Date): Promise<void> => {
  const set = await readThemeSet({ fresh: true });
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.retagJob(),
        UpdateExpression:
          'SET version = :version, #status = :waiting, notBefore = :now, checked = :zero, retagged = :zero REMOVE startedAt, finishedAt, runningUntil, campaignKey, campaign, responseKey',
        ConditionExpression: 'attribute_not_exists(PK) OR (#status = :done AND (attribute_not_exists(feedKeys) OR feedKeys < :feedKeys))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':version': set.version, ':waiting': 'waiting', ':now': now.toISOString(), ':zero': 0, ':done': 'done', ':feedKeys': FEED_KEYS_VERSION },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

const RETAG_PAGE = 100;
const RETAG_WRITERS = 16;

export interface RetagRun {
  readonly ran: boolean;
  readonly checked: number;
  readonly retagged: number;
  /** Responses given their feed keys by this run. */
  readonly keyed: number;
  readonly done: boolean;
}

/**
 * One run of the re-tag: claims the job, then walks every campaign's responses a page at a time,
 * writing new tags only where they changed, and saves its place after each page. A run stops
 * when `timeLeftMs` says so; the next run (the schedule's) goes on from the saved place. Running
 * a page twice after a crash writes nothing twice: a response already tagged with this version
 * is skipped, and its counts moved once, by the stream, when it was written.
 */
export const runRetag = async (options: { now?: () => Date; timeLeftMs: () => number; leaseMs: number }): Promise<RetagRun> => {
  const now = options.now ?? (() => new Date());
  const idle = { ran: false, checked: 0, retagged: 0, keyed: 0, done: false };
  let job = await readRetagJob();
  const started = now();
  if (!job || (job.status === 'done' && (job.feedKeys ?? 0) < FEED_KEYS_VERSION)) {
    await startFeedKeySweep(started);
    job = await readRetagJob();
  }
  if (!job || job.status === 'done' || started.toISOString() < job.notBefore) return idle;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.retagJob(),
        UpdateExpression: 'SET runningUntil = :until, #status = :running, startedAt = if_not_exists(startedAt, :now)',
        ConditionExpression: 'version = :version AND (attribute_not_exists(runningUntil) OR runningUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':until': new Date(started.getTime() + options.leaseMs).toISOString(),
          ':running': 'running',
          ':now': started.toISOString(),
          ':version': job.version,
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return idle;
    throw error;
  }
  const set = await readThemeSet({ fresh: true });
  if (set.version !== job.version) return idle;

  let { campaignKey, campaign, responseKey } = job;
  let checked = 0;
  let retagged = 0;
  let keyed = 0;
  let done = false;
  const save = async (fields: { checked: number; retagged: number; finished: boolean }) => {
    const names: Record<string, string> = { '#status': 'status' };
    const set = ['checked = checked + :checked', 'retagged = retagged + :retagged'];
    const remove: string[] = [];
    const values: Record<string, unknown> = { ':checked': fields.checked, ':retagged': fields.retagged, ':version': job.version };
    for (const [name, value] of Object.entries({ campaignKey, campaign, responseKey })) {
      if (value === undefined) remove.push(name);
      else {
        set.push(`${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    if (fields.finished) {
      set.push('#status = :done', 'finishedAt = :now', 'feedKeys = :feedKeys');
      remove.push('runningUntil');
      values[':done'] = 'done';
      values[':feedKeys'] = FEED_KEYS_VERSION;
      values[':now'] = now().toISOString();
    }
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.retagJob(),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: fields.finished ? names : undefined,
        ExpressionAttributeValues: values,
      }),
    );
  };

  try {
    while (options.timeLeftMs() > 0) {
      if (!campaign) {
        const next = await dynamo.send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': gsi1.campaigns },
            Limit: 1,
            ...(campaignKey ? { ExclusiveStartKey: campaignKey } : {}),
          }),
        );
        const item = next.Items?.[0];
        if (!item) {
          done = true;
          await save({ checked: 0, retagged: 0, finished: true });
          break;
        }
        const parsed = CampaignLocale.parse(item);
        campaign = { id: parsed.id, locale: parsed.locale };
        campaignKey = { PK: item.PK, SK: item.SK, GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK };
        responseKey = undefined;
      }
      const page = await dynamo.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': gsi1.campaignResponses(campaign.id) },
          Limit: RETAG_PAGE,
          ...(responseKey ? { ExclusiveStartKey: responseKey } : {}),
        }),
      );
      const locale = campaign.locale === 'ru' ? 'ru' : 'en';
      // Feed keys first: a response moved to its dated key sorts after the sweep's place and is
      // read again later in this sweep, with nothing left to write.
      const unkeyed = (page.Items ?? []).flatMap((raw) => {
        const response = ResponseItem.safeParse(raw);
        return response.success ? [{ raw, response: response.data }] : [];
      });
      for (let i = 0; i < unkeyed.length; i += RETAG_WRITERS) {
        const results = await Promise.all(unkeyed.slice(i, i + RETAG_WRITERS).map((u) => writeFeedKeys(u.raw, u.response)));
        keyed += results.filter(Boolean).length;
      }
      const changed = (page.Items ?? []).flatMap((raw) => {
        const response = ResponseItem.safeParse(raw);
        if (!response.success || (response.data.themesVersion ?? 0) >= job.version) return [];
        const text = response.data.comment?.trim() ?? '';
        const themes = text === '' ? [] : themesThatFit(set.tagger.tag(text, locale).themes, response.data.segments);
        return sameThemes(response.data.themes ?? [], themes) ? [] : [{ response: response.data, themes }];
      });
      let written = 0;
      for (let i = 0; i < changed.length; i += RETAG_WRITERS) {
        const results = await Promise.all(changed.slice(i, i + RETAG_WRITERS).map((c) => writeTags(c.response, c.themes, job.version)));
        written += results.filter(Boolean).length;
      }
      const pageChecked = page.Items?.length ?? 0;
      checked += pageChecked;
      retagged += written;
      responseKey = page.LastEvaluatedKey;
      if (!responseKey) campaign = undefined;
      await save({ checked: pageChecked, retagged: written, finished: false });
    }
  } finally {
    if (!done) {
      // Hand the job back, so the next run need not wait out the lease.
      await dynamo
        .send(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.retagJob(),
            UpdateExpression: 'REMOVE runningUntil',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': job.version },
          }),
        )
        .catch(() => undefined);
    }
  }
  return { ran: true, checked, retagged, keyed, done };
};

/** The tally of every answer in the selection, whatever its comment. */
export const readOverall = async (scope: AggregateScope, query: ThemeImpactQuery): Promise<Tally> => {
  const sum = (items: Record<string, unknown>[], keep: (name: string) => boolean) =>
    [...sumSlots(items)].filter(([name]) => keep(name)).map(([, t]) => t).reduce(addTallies, emptyTally);
  const ranged = query.from !== undefined || query.to !== undefined;
  const from = query.from ?? '0000-00-00';
  const to = query.to ?? '9999-99-99';
  const segment = query.segment;
  if (segment && ranged) {
    const range = bucket.segmentDays(segment.attribute, from, to);
    const items = await queryItems(scope, 'SK BETWEEN :from AND :to', { ':from': range.from, ':to': range.to });
    return sum(items, (name) => segmentOf(name)?.value === segment.value);
  }
  if (segment) {
    const name = bucket.segment(segment.attribute, segment.value);
    const items = await queryItems(scope, 'begins_with(SK, :seg)', { ':seg': `${name}#` });
    return sum(items, (n) => n === name);
  }
  if (ranged) {
    const items = await queryItems(scope, 'SK BETWEEN :from AND :to', { ':from': bucket.day(from), ':to': `${bucket.day(to)}#~` });
    return sum(items, () => true);
  }
  return readTotal(scope);
};

/** The tallies of the answers that mention each theme, in the selection. */
export const readThemeTallies = async (scope: AggregateScope, query: ThemeImpactQuery): Promise<Map<string, Tally>> => {
  const ranged = query.from !== undefined || query.to !== undefined;
  const from = query.from ?? '0000-00-00';
  const to = query.to ?? '9999-99-99';
  const segment = query.segment;
  const items = await (async () => {
    if (segment && ranged) {
      const range = bucket.themeSegmentDays(segment.attribute, from, to);
      return queryItems(scope, 'SK BETWEEN :from AND :to', { ':from': range.from, ':to': range.to });
    }
    if (segment) return queryItems(scope, 'begins_with(SK, :p)', { ':p': bucket.themeSegmentPrefix(segment.attribute, segment.value) });
    // '$' sorts after '#': the last day's themes are all below `THEMEDAY#<to>$`.
    if (ranged) return queryItems(scope, 'SK BETWEEN :from AND :to', { ':from': `${bucket.themeDayPrefix}${from}#`, ':to': `${bucket.themeDayPrefix}${to}$` });
    return queryItems(scope, 'begins_with(SK, :p)', { ':p': bucket.themePrefix });
  })();
  const tallies = new Map<string, Tally>();
  for (const item of items) {
    const of = themeBucketOf(unslotted(String(item.SK)));
    if (!of || (segment && of.value !== segment.value)) continue;
    const one = sumSlots([item]).values().next().value ?? emptyTally;
    tallies.set(of.theme, addTallies(tallies.get(of.theme) ?? emptyTally, one));
  }
  return tallies;
};

/**
 * The impact table: for each theme of the set in force, its mentions by category, the NPS among
 * them and the points it costs, over the same selection as the overall score. A few Query calls on
 * aggregate items, whatever the number of answers.
 */
export const readThemeImpact = async (scope: AggregateScope, query: ThemeImpactQuery): Promise<Omit<ThemeImpactReport, 'campaignId'>> => {
  const [set, overall, tallies] = await Promise.all([readThemeSet(), readOverall(scope, query), readThemeTallies(scope, query)]);
  const themes = set.themes.map((theme) => {
    const mentioning = tallies.get(theme.id) ?? emptyTally;
    return { id: theme.id, name: theme.name, mentions: score(mentioning), pointsCost: pointsCost(overall, mentioning) };
  });
  const cost = (t: (typeof themes)[number]) => t.pointsCost?.delta ?? Number.NEGATIVE_INFINITY;
  themes.sort((a, b) => (cost(a) === cost(b) ? 0 : cost(b) > cost(a) ? 1 : -1));
  return {
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
    ...(query.segment ? { segment: query.segment } : {}),
    overall: score(overall),
    themes,
  };
};
