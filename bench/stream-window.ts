import type { Figure } from './figures.ts';
import type { CampaignView } from '#shared/contract/campaigns';
import type { ScoreReport } from '#shared/contract/scores';
import type { StreamSource } from '#shared/contract/wiring';

/**
 * Latency against cost for the score counter's stream batching window, every window measured in
 * one run on one runtime: for each window, answer → score at 1 answer/s (a quiet campaign), then
 * the write units the counter spends per counted response at 100 answers/s sustained (a busy one).
 * Lambda takes whole seconds for a DynamoDB stream's MaximumBatchingWindowInSeconds, so 0 and 1
 * are the candidates below today's 1 s. The window is changed on the running stream consumer
 * (it reads its declared source for every batch), so both windows meet the same machine.
 */
const WINDOWS = [0, 1] as const;
const QUIET_ANSWERS = 20;
const BUSY_RATE = 100;
const BUSY_SECONDS = 10;
const PLANS = ['free', 'pro', 'team'];
const REGIONS = ['eu', 'us'];

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

interface Meter {
  writeUnits: number;
  batches: number;
}

/** Counts the write units of the counter's own writes: the transactions that move a stream checkpoint. */
const meterCounter = async (): Promise<Meter> => {
  const meter: Meter = { writeUnits: 0, batches: 0 };
  const { dynamo } = await import('#shared/aws/clients');
  dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      const result = await next(args);
      const input = args.input as { TransactItems?: { Update?: { Key?: { PK?: string } } }[] };
      if (ctx.commandName === 'TransactWriteItemsCommand' && input.TransactItems?.some((t) => String(t.Update?.Key?.PK ?? '').startsWith('STREAM#'))) {
        meter.writeUnits += 2 * input.TransactItems.length;
        meter.batches += 1;
      }
      return result;
    },
    { step: 'initialize', name: 'windowMeter' },
  );
  return meter;
};

export async function streamWindowBenchmark(runtime: { url: string; apiKey: string; env: Readonly<Record<string, string>> }): Promise<Figure[]> {
  const { functions } = await import('#shared/contract/wiring');
  const { signToken, campaignInvitationId } = await import('#shared/core/tokens');
  const { invitationSaltOf } = await import('#shared/app/campaigns');
  const { contactKey } = await import('#shared/core/contacts');
  const { keys } = await import('#shared/table/items');
  const { batchWriteAll } = await import('#shared/table/query');
  const table = runtime.env.TABLE_NAME ?? 'npsloop';
  const source = functions.countScores.source as { -readonly [K in keyof StreamSource]: StreamSource[K] };
  const declared = source.maxBatchingWindowSeconds;
  const meter = await meterCounter();
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
    return (await res.json()) as T;
  };
  const poll = async (probe: () => Promise<boolean>, ms: number) => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('stream window probe timed out');
  };
  /** A held campaign (no sending competes) with `n` invitations, and their survey tokens. */
  const campaignOf = async (n: number) => {
    const sendAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const { id } = await api<CampaignView>('POST', '/v1/campaigns', { name: 'window', brand: 'Bench', channel: 'email', segments: ['plan', 'region'], sendAt });
    const emails = Array.from({ length: n }, (_, i) => `window${i}.${id.toLowerCase()}@example.com`);
    for (let from = 0; from < n; from += 1000) {
      const recipients = emails.slice(from, from + 1000).map((email, i) => ({ email, attributes: { plan: PLANS[(from + i) % 3], region: REGIONS[(from + i) % 2] } }));
      await api('POST', `/v1/campaigns/${id}/recipients`, { recipients });
    }
    const secret = runtime.env.TOKEN_SECRET ?? '';
    // Invitation ids are salted per campaign (the salt is never shown): the benchmark reads it
    // from the table, as the import does.
    const salt = await invitationSaltOf(id);
    return { id, tokens: emails.map((email) => signToken(secret, campaignInvitationId(id, contactKey('email', email), salt), 'survey')) };
  };
  const answer = (token: string, i: number) => api('POST', `/s/${token}`, { score: [9, 10, 7, 3, 8][i % 5] });
  const counted = async (id: string) => (await api<ScoreReport>('GET', `/v1/campaigns/${id}/score`)).responses;

  const figures: Figure[] = [];
  try {
    for (const window of WINDOWS) {
      source.maxBatchingWindowSeconds = window;
      // Quiet: one answer a second, each timed until the campaign's score counts it.
      const quiet = await campaignOf(QUIET_ANSWERS);
      const toScore: number[] = [];
      for (const [i, token] of quiet.tokens.entries()) {
        const started = performance.now();
        await answer(token, i);
        await poll(async () => (await counted(quiet.id)) === i + 1, 30_000);
        toScore.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
      }
      // Busy: BUSY_RATE answers a second for BUSY_SECONDS, paced from the start. They are written
      // as the survey writes them, but straight to the table, 10 every 100 ms: the local HTTP path
      // alone cannot carry 100 answers a second on this machine, and the counter sees only the stream.
      const busy = await campaignOf(BUSY_RATE * BUSY_SECONDS);
      const before = { ...meter };
      const started = performance.now();
      const perTick = BUSY_RATE / 10;
      const writes: Promise<void>[] = [];
      for (let from = 0; from < busy.tokens.length; from += perTick) {
        const wait = started + (from * 1000) / BUSY_RATE - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const now = new Date().toISOString();
        const items = busy.tokens.slice(from, from + perTick).map((token, k) => {
          const i = from + k;
          const invitationId = token.split('.')[0] ?? '';
          return {
            PutRequest: {
              Item: {
                ...keys.response(invitationId),
                invitationId,
                campaignId: busy.id,
                score: [9, 10, 7, 3, 8][i % 5],
                segments: { plan: PLANS[i % 3], region: REGIONS[i % 2] },
                day: now.slice(0, 10),
                firstAnsweredAt: now,
                answeredAt: now,
                version: 1,
              },
            },
          };
        });
        writes.push(batchWriteAll(table, items));
      }
      await Promise.all(writes);
      const sentSeconds = (performance.now() - started) / 1000;
      await poll(async () => (await counted(busy.id)) === busy.tokens.length, 120_000);
      const units = meter.writeUnits - before.writeUnits;
      const batches = meter.batches - before.batches;
      figures.push(
        { name: `window ${window} s: answer to score p50 at 1 answer/s`, value: percentile(toScore, 50), unit: 'ms' },
        { name: `window ${window} s: answer to score p95 at 1 answer/s`, value: percentile(toScore, 95), unit: 'ms' },
        { name: `window ${window} s: answers written in the busy phase`, value: busy.tokens.length / sentSeconds, unit: 'answers/s' },
        { name: `window ${window} s: WCU per counted response at ${BUSY_RATE} answers/s`, value: units / busy.tokens.length, unit: 'WCU' },
        { name: `window ${window} s: responses per counter transaction at ${BUSY_RATE} answers/s`, value: busy.tokens.length / Math.max(1, batches), unit: 'responses' },
      );
    }
  } finally {
    source.maxBatchingWindowSeconds = declared;
  }
  return figures;
}
