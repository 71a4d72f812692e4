import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { repoRoot } from '#infra/bundling';
import { pollUntil } from '#local/deadline';
import { readWholeOutbox } from '#local/outbox/outbox-page';
import { DUE_SHARDS, minuteOf, RELEASE_LOOKAHEAD_MINUTES } from '#shared/app/holding';
import type { CampaignView, CampaignWithCounts } from '#shared/contract/campaigns';
import type { FollowupPage } from '#shared/contract/followups';
import type { ResponsePage } from '#shared/contract/responses';
import type { ScoreReport } from '#shared/contract/scores';
import { functions } from '#shared/contract/wiring';
import { keys } from '#shared/table/items';
import type { Clock } from './clock.ts';
import type { Figure } from './figures.ts';
import { hottestByFamily, takeUsage, type Usage } from './meter.ts';
import { modelCampaign, type StageMeasure } from './scale-model.ts';

/**
 * A campaign of SCALE_RECIPIENTS (default 100,000) e-mail recipients through the local pipeline:
 * one CSV written, imported with the CLI (`npx npsloop recipients add`, as marketing would), held
 * until its sendAt, released, sent with the send rate lifted, 20% answered through the survey
 * form (a fifth of them detractors with a comment); then the score must equal a recount of the
 * stored responses and there must be exactly one case per detractor, or the benchmark fails.
 *
 * Sending goes at 40–60 e-mails/s here, so sending 100,000 would take most of an hour: when the
 * campaign is larger than SCALE_SEND (default 10,000), all of it goes through import and holding
 * (held for a week) and the CSV's first SCALE_SEND rows go, as a second campaign, through the
 * whole life. The output says so.
 *
 * Holding: a campaign is held in the due buckets only when its sendAt is more than SQS's
 * 15-minute delay away, and the releaser moves it 10 minutes before. Rather than wait that out,
 * the benchmark moves this process's clock (the runtime and every handler run in it) forward to
 * the sendAt once the import is done; timers, and so every measured time, are not affected.
 */

const ANSWER_SHARE = 0.2;
const DETRACTOR_SHARE = 0.2;
const ANSWERS_IN_FLIGHT = 8;
const PAGE = 100;
/** Far enough ahead to be held, near enough that the releaser's first run after the jump walks few minutes. */
const SEND_AFTER_MS = 60 * 60_000;
const HELD_FOR_A_WEEK_MS = 7 * 86_400_000;

const countFrom = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10) throw new Error(`${name} must be a whole number of at least 10, got "${raw}"`);
  return n;
};

interface Runtime {
  readonly url: string;
  readonly apiKey: string;
  readonly env: Readonly<Record<string, string>>;
}

export async function scaleBenchmark(runtime: Runtime, clock: Clock): Promise<{ figures: Figure[]; table: string }> {
  const recipients = countFrom('SCALE_RECIPIENTS', 100_000);
  const sending = Math.min(recipients, countFrom('SCALE_SEND', 10_000));
  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${runtime.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${runtime.apiKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const counts = async (id: string) => (await api<CampaignWithCounts>('GET', `/v1/campaigns/${id}`)).counts;
  const table = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: runtime.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  /** Held groups (items) and invitations still in the due buckets of a minute. */
  const heldAt = async (minute: string) => {
    let items = 0;
    let invitations = 0;
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      const out = await table.send(
        new QueryCommand({ TableName: runtime.env.TABLE_NAME, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.due(minute, shard, '').PK } }),
      );
      items += out.Items?.length ?? 0;
      invitations += (out.Items ?? []).reduce((n, i) => n + ((i.messages as unknown[] | undefined)?.length ?? 0), 0);
    }
    return { items, invitations };
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'npsloop-scale-'));
  try {
    const tag = Date.now().toString(36);
    const rows = Array.from({ length: recipients }, (_, i) => `scale${i}.${tag}@example.com,Ann Example,${['free', 'pro', 'team'][i % 3]}`);
    const csv = path.join(dir, 'recipients.csv');
    await writeFile(csv, `email,name,plan\n${rows.join('\n')}\n`);

    // Import and hold: every recipient, by the CLI.
    const oneCampaign = sending === recipients;
    const created = Date.now();
    const whole = await api<CampaignView>('POST', '/v1/campaigns', {
      name: 'scale',
      brand: 'Bench',
      channel: 'email',
      segments: ['plan'],
      sendAt: new Date(created + (oneCampaign ? SEND_AFTER_MS : HELD_FOR_A_WEEK_MS)).toISOString(),
    });
    takeUsage();
    const importSeconds = await importWithCli(runtime, whole.id, csv, recipients);
    // The stream counts the new invitations (recipients, scheduled) within moments of the import.
    const heldCount = (id: string, n: number, what: string) =>
      pollUntil(async () => ((await counts(id)).scheduled === n ? true : undefined), { what, timeoutMs: Math.max(60_000, n * 10), intervalMs: 500 });
    await heldCount(whole.id, recipients, `${recipients} invitations counted as held after the import`);
    const importUsage = takeUsage();
    const held = await heldAt(minuteOf(new Date(whole.sendAt ?? '')));
    if (held.invitations !== recipients) throw new Error(`the due buckets hold ${held.invitations} of ${recipients} invitations`);

    // The campaign that goes through the whole life: the same one, or the CSV's first rows.
    let sent = whole;
    if (!oneCampaign) {
      const part = path.join(dir, 'first-rows.csv');
      await writeFile(part, `email,name,plan\n${rows.slice(0, sending).join('\n')}\n`);
      // The same people were just added to the held campaign: the throttle would skip them all.
      sent = await api<CampaignView>('POST', '/v1/campaigns', {
        name: 'scale (sent part)',
        brand: 'Bench',
        channel: 'email',
        segments: ['plan'],
        throttleDays: 0,
        sendAt: new Date(Date.now() + SEND_AFTER_MS).toISOString(),
      });
      await importWithCli(runtime, sent.id, part, sending);
      await heldCount(sent.id, sending, 'the sent part counted as held whole');
      takeUsage();
    }
    const sendAt = Date.parse(sent.sendAt ?? '');
    if (Date.now() > sendAt - 16 * 60_000) throw new Error('the import took so long that the releaser may have started before it ended');

    // Release and send. First to just before the sendAt's minute comes within the releaser's
    // look-ahead, until the releaser has walked the empty minutes up to there; then to the sendAt,
    // so one run of the releaser queues every held invitation, due at once.
    const lookahead = RELEASE_LOOKAHEAD_MINUTES * 60_000;
    const beforeLookahead = Date.parse(`${minuteOf(new Date(sendAt))}:00Z`) - lookahead - 60_000;
    clock.advanceTo(beforeLookahead);
    const caughtUp = minuteOf(new Date(beforeLookahead + lookahead));
    await pollUntil(
      async () => {
        const cursor = await table.send(new GetCommand({ TableName: runtime.env.TABLE_NAME, Key: keys.dueCursor(), ConsistentRead: true }));
        return typeof cursor.Item?.minute === 'string' && cursor.Item.minute >= caughtUp ? true : undefined;
      },
      { what: 'the releaser to walk up to the sendAt', timeoutMs: 300_000, intervalMs: 200 },
    );
    takeUsage();
    clock.advanceTo(sendAt);
    const releaseStarted = performance.now();
    await pollUntil(async () => ((await heldAt(minuteOf(new Date(sendAt)))).invitations === 0 ? true : undefined), {
      what: 'the held invitations to be released',
      timeoutMs: 600_000,
      intervalMs: 200,
    });
    const releaseSeconds = (performance.now() - releaseStarted) / 1000;
    await pollUntil(async () => ((await counts(sent.id)).sent === sending ? true : undefined), {
      what: `${sending} e-mails to be sent`,
      timeoutMs: Math.max(600_000, sending * 100),
      intervalMs: 500,
    });
    const sendSeconds = (performance.now() - releaseStarted) / 1000;
    const sendUsage = takeUsage();

    // Answers, as the survey page sends them: open the link, submit the form.
    const mails = await readWholeOutbox<{ html: string }>(`${runtime.url}/local/outbox/email`); // only this campaign sends
    const tokens = mails.map((m) => /\/s\/([^?"]+)\?score=/.exec(m.html)?.[1]).filter((t): t is string => t !== undefined);
    if (tokens.length !== sending) throw new Error(`found ${tokens.length} survey links in ${sending} e-mails`);
    const answering = tokens.slice(0, Math.round(sending * ANSWER_SHARE));
    const scoreOf = (i: number) => (i % 5 === 0 ? i % 7 : [9, 10, 8, 9][i % 4] ?? 9);
    const detractorsPosted = answering.filter((_, i) => scoreOf(i) <= 6).length;
    if (Math.abs(detractorsPosted - answering.length * DETRACTOR_SHARE) > 1) throw new Error('the answer plan is off its detractor share');
    const answerStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: ANSWERS_IN_FLIGHT }, async () => {
        for (let i = next++; i < answering.length; i = next++) {
          const token = answering[i] ?? '';
          const score = scoreOf(i);
          const page = await fetch(`${runtime.url}/s/${token}?score=${score}`);
          if (!page.ok) throw new Error(`the survey page answered ${page.status}`);
          await page.text();
          const form = new URLSearchParams({ score: String(score), ...(score <= 6 ? { comment: 'Delivery was two weeks late and nobody answered my e-mails.' } : {}) });
          const res = await fetch(`${runtime.url}/s/${token}`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          if (!res.ok) throw new Error(`the survey form answered ${res.status}`);
          await res.text();
        }
      }),
    );
    const answerSeconds = (performance.now() - answerStarted) / 1000;
    await pollUntil(async () => ((await api<ScoreReport>('GET', `/v1/campaigns/${sent.id}/score`)).responses === answering.length ? true : undefined), {
      what: 'every answer to be counted',
      timeoutMs: 600_000,
      intervalMs: 200,
    });
    const scoredSeconds = (performance.now() - answerStarted) / 1000;
    const cases = await pollUntil(
      async () => {
        const all = await pages<FollowupPage['items'][number]>(api, `/v1/followups?campaignId=${sent.id}`);
        return all.length >= detractorsPosted ? all : undefined;
      },
      { what: 'a case for every detractor', timeoutMs: 600_000, intervalMs: 500 },
    );
    const casesSeconds = (performance.now() - answerStarted) / 1000;
    const answerUsage = takeUsage();

    // The referee: the score equals a recount of the stored responses; one case per detractor.
    const score = await api<ScoreReport>('GET', `/v1/campaigns/${sent.id}/score`);
    const responses = await pages<ResponsePage['items'][number]>(api, `/v1/responses?campaignId=${sent.id}`);
    const recount = {
      responses: responses.length,
      promoters: responses.filter((r) => r.score >= 9).length,
      passives: responses.filter((r) => r.score === 7 || r.score === 8).length,
      detractors: responses.filter((r) => r.score <= 6).length,
    };
    const posted = answering.map((_, i) => scoreOf(i));
    const expected = { responses: posted.length, promoters: posted.filter((s) => s >= 9).length, passives: posted.filter((s) => s === 7 || s === 8).length, detractors: detractorsPosted };
    for (const field of ['responses', 'promoters', 'passives', 'detractors'] as const) {
      if (score[field] !== recount[field] || recount[field] !== expected[field]) {
        throw new Error(`${field}: the score says ${score[field]}, a recount of the responses ${recount[field]}, the answers sent ${expected[field]}`);
      }
    }
    const recountNps = (100 * (recount.promoters - recount.detractors)) / recount.responses;
    if (score.nps === null || Math.abs(score.nps - recountNps) > 0.05) throw new Error(`NPS: the score says ${score.nps}, a recount ${recountNps.toFixed(1)}`);
    const detractorInvitations = new Set(responses.filter((r) => r.score <= 6).map((r) => r.invitationId));
    const caseInvitations = cases.map((c) => c.invitationId);
    if (caseInvitations.length !== detractorInvitations.size || new Set(caseInvitations).size !== caseInvitations.length || !caseInvitations.every((id) => detractorInvitations.has(id))) {
      throw new Error(`${caseInvitations.length} cases for ${detractorInvitations.size} detractors`);
    }

    const memory = await peakMemory();
    const perImported = (u: Usage) => measureOf(u, recipients, Math.ceil(recipients / 1000));
    const stages = {
      import: perImported(importUsage),
      send: measureOf(sendUsage, sending, 0),
      answer: measureOf(answerUsage, sending, 2 * answering.length),
    };
    const wruPerInvitation = stages.import.writeUnits + stages.send.writeUnits + stages.answer.writeUnits;
    const rruPerInvitation = stages.import.readUnits + stages.send.readUnits + stages.answer.readUnits;
    const n = (x: number) => x.toLocaleString('en-US');
    const scope = oneCampaign
      ? `all ${n(recipients)} recipients through every stage`
      : `all ${n(recipients)} recipients through import and holding; the CSV's first ${n(sending)} (a second campaign) through release, sending and answering`;
    const figures: Figure[] = [
      { name: `scale run: ${scope}`, value: recipients, unit: 'recipients' },
      { name: `import of ${n(recipients)} with the CLI (held until sendAt)`, value: importSeconds, unit: 's' },
      { name: 'import rate', value: recipients / importSeconds, unit: 'recipients/s' },
      { name: `held: due-bucket items for ${n(recipients)} invitations`, value: held.items, unit: 'items' },
      { name: `release of ${n(sending)} held invitations onto the queue`, value: releaseSeconds, unit: 's' },
      { name: `send of ${n(sending)} (rate limit lifted), from the release`, value: sendSeconds, unit: 's' },
      { name: 'send rate', value: sending / sendSeconds, unit: 'e-mails/s' },
      { name: `${n(answering.length)} answers through the survey form (${ANSWERS_IN_FLIGHT} people at a time)`, value: answerSeconds, unit: 's' },
      { name: 'every answer counted in the score, from the first answer', value: scoredSeconds, unit: 's' },
      { name: `a case open for each of the ${n(detractorsPosted)} detractors, from the first answer`, value: casesSeconds, unit: 's' },
      { name: 'NPS of the campaign, equal to a recount of the stored responses', value: score.nps, unit: '' },
      { name: 'cases per detractor', value: caseInvitations.length / detractorInvitations.size, unit: '' },
      { name: 'peak memory of the runtime process (Node: API, handlers, SQS/SNS/SES emulators)', value: memory.node, unit: 'MB' },
      { name: 'peak memory of DynamoDB Local (JVM)', value: memory.jvm, unit: 'MB' },
      { name: 'write units per invitation, import + hold', value: stages.import.writeUnits, unit: 'WRU' },
      { name: 'write units per invitation, release + send', value: stages.send.writeUnits, unit: 'WRU' },
      { name: `write units per invitation, answers (${ANSWER_SHARE * 100}% answer)`, value: stages.answer.writeUnits, unit: 'WRU' },
      { name: 'write units per invitation, whole life', value: wruPerInvitation, unit: 'WRU' },
      { name: 'read units per invitation, whole life', value: rruPerInvitation, unit: 'RRU' },
    ];
    const model = modelCampaign({
      stages,
      importRate: recipients / importSeconds,
      // An upper bound on the releaser's time: it also holds the wait for its next scheduled run.
      releaseRate: sending / releaseSeconds,
      senderMaxConcurrency: functions.sendInvitation.source.kind === 'queue' ? (functions.sendInvitation.source.maxConcurrency ?? 1_000) : 1_000,
      answerShare: ANSWER_SHARE,
      releaseTimeoutSeconds: functions.releaseDue.timeoutSeconds,
    });
    return { figures: [...figures, ...model.figures], table: model.table };
  } finally {
    table.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npx npsloop recipients add`, as marketing runs it; resolves with its wall time in seconds. */
async function importWithCli(runtime: Runtime, campaignId: string, csv: string, rows: number): Promise<number> {
  const started = performance.now();
  const child = spawn('npx', ['--no-install', 'npsloop', 'recipients', 'add', campaignId, '--csv', csv, '--json'], {
    cwd: repoRoot,
    env: { ...process.env, NPSLOOP_API_URL: runtime.url, NPSLOOP_API_KEY: runtime.apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // The progress bar; kept only to explain a failure.
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`npsloop recipients add exited ${code}: ${stderr.trim()}`);
  const summary = JSON.parse(stdout) as { accepted: number };
  if (summary.accepted !== rows) throw new Error(`the CLI import accepted ${summary.accepted} of ${rows} rows`);
  return seconds;
}

async function pages<T>(api: <R>(method: string, route: string) => Promise<R>, route: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ items: T[]; nextCursor?: string }>('GET', `${route}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

const measureOf = (u: Usage, invitations: number, httpRequests: number): StageMeasure => {
  const per = (x: number) => x / invitations;
  const memoryOf = (name: string) => (functions as Record<string, { memoryMB: number } | undefined>)[name]?.memoryMB ?? 512;
  const hottest = new Map([...hottestByFamily(u.partitions)].map(([family, hot]) => [family, { key: hot.key, units: per(hot.units) }]));
  // The busiest single item of each partition family.
  const hottestItems = new Map<string, { key: string; units: number }>();
  for (const [family, hot] of hottestByFamily(u.items)) {
    const partitionFamily = family.split('|')[0] ?? family;
    if ((hottestItems.get(partitionFamily)?.units ?? -1) < per(hot.units)) hottestItems.set(partitionFamily, { key: hot.key, units: per(hot.units) });
  }
  return {
    writeUnits: per(u.writeUnits),
    readUnits: per(u.readUnits),
    sqsRequests: per(u.sqsRequests),
    snsPublishes: per(u.snsPublishes),
    emails: per(u.emails),
    httpRequests: per(httpRequests),
    functions: new Map([...u.functions].map(([name, f]) => [name, { invocations: per(f.invocations), ms: per(f.ms), memoryMB: memoryOf(name) }])),
    hottest,
    hottestItems,
  };
};

/** Peak resident memory (MB) of this process and of the DynamoDB Local JVM it started. */
async function peakMemory(): Promise<{ node: number; jvm: number }> {
  const node = process.resourceUsage().maxRSS / 1024;
  let jvm = 0;
  const children = await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').catch(() => '');
  for (const pid of children.split(/\s+/).filter(Boolean)) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!/^Name:\s*java/m.test(status)) continue;
    jvm = Math.max(jvm, Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1] ?? 0) / 1024);
  }
  return { node, jvm };
}
