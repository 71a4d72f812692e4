import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduledEvent } from 'aws-lambda';
import { asyncOnFailureRecord } from '../lambda/async-invocation.ts';
import { localAccountId } from '../lambda/context.ts';
import type { LocalFunction } from '../lambda/local-function.ts';
import type { RuntimeLog } from '../log.ts';

/**
 * An EventBridge `rate(...)` rule targeting a function, locally: every interval the function
 * is invoked with the ScheduledEvent EventBridge sends. Runs never overlap: a run that outlasts
 * the interval delays the next one, and the ticks it missed collapse into that one run. A failed
 * run is not retried (the next run is the retry, see asyncRetryAttempts.schedule); its
 * on-failure record goes to the failure destination, as on AWS.
 */

export const scheduleSecondsEnv = 'NPSLOOP_LOCAL_SCHEDULE_SECONDS';

/**
 * The local interval of every schedule when one is forced (tests, trying things out), in ms:
 * $NPSLOOP_LOCAL_SCHEDULE_SECONDS, or undefined to keep each function's declared rate.
 */
export function scheduleIntervalMsFromEnv(raw = process.env[scheduleSecondsEnv]): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${scheduleSecondsEnv} must be a positive number of seconds, got "${raw}"`);
  return seconds * 1000;
}

/** When the next run is due: one interval after the previous one was due, or now if that is past. */
export const nextRunAt = (previousDueAt: number, now: number, intervalMs: number): number => Math.max(previousDueAt + intervalMs, now);

export const ruleArn = (ruleName: string, region: string): string => `arn:aws:events:${region}:${localAccountId}:rule/${ruleName}`;

/** The event EventBridge sends a scheduled rule's Lambda target; `time` is the due time, to the second. */
export function scheduledEvent(rule: string, region: string, dueAt: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: localAccountId,
    time: dueAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [rule],
    detail: {},
  };
}

export interface ScheduleOptions {
  readonly fn: Pick<LocalFunction, 'name' | 'invoke'>;
  readonly ruleName: string;
  readonly region: string;
  readonly intervalMs: number;
  readonly sendToFailureDestination: (message: string) => Promise<void>;
  readonly log: RuntimeLog;
}

export interface Schedule {
  /** Stops scheduling; a run in progress finishes first. */
  stop(): Promise<void>;
}

export function startSchedule(options: ScheduleOptions): Schedule {
  const { fn, region, intervalMs, log } = options;
  const rule = ruleArn(options.ruleName, region);
  const abort = new AbortController();
  const { signal } = abort;

  async function run(dueAt: number): Promise<void> {
    const event = scheduledEvent(rule, region, new Date(dueAt));
    const invocation = await fn.invoke(event);
    if (invocation.ok) return;
    const record = asyncOnFailureRecord({ functionName: fn.name, region, event, error: invocation.error, invokeCount: 1 });
    try {
      await options.sendToFailureDestination(JSON.stringify(record));
    } catch (error) {
      log.error(`${fn.name}: could not record a failed scheduled run`, error);
    }
  }

  const running = (async () => {
    let dueAt = Date.now() + intervalMs; // EventBridge fires a new rate rule one period after it is created
    for (;;) {
      await sleep(Math.max(0, dueAt - Date.now()), undefined, { signal });
      await run(dueAt);
      dueAt = nextRunAt(dueAt, Date.now(), intervalMs);
    }
  })().catch(() => undefined); // only the abort ends the loop: run() never throws

  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
