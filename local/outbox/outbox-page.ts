import * as z from 'zod';
import { jsonResponse, type OutgoingResponse } from '../http/api-gateway-event.ts';

/**
 * One page of a local outbox, newest first: `?limit=` (default 20, at most 500) and the opaque
 * `?cursor=` of the previous page's `nextCursor`. A person with curl or a browser gets a small
 * page of what was sent last; a program follows `nextCursor` until it is absent, or narrows the
 * outbox with its filters (`?to=`, `?campaignId=`) instead of reading thousands of messages.
 *
 * The outboxes only grow at their newest end, so the cursor is the position, counted from the
 * oldest message, below which the next page starts: a message sent between two page reads
 * never shifts a page nor shows twice.
 */

export const DEFAULT_OUTBOX_LIMIT = 20;
export const MAX_OUTBOX_LIMIT = 500;

const cursorPayload = z.strictObject({ before: z.number().int().min(0) });

export const encodeOutboxCursor = (before: number): string => Buffer.from(JSON.stringify({ before })).toString('base64url');

function decodeOutboxCursor(cursor: string): number | undefined {
  try {
    const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.before : undefined;
  } catch {
    return undefined;
  }
}

/** The paging parameters every outbox takes; each outbox extends it with its filters. */
export const OutboxPageQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_OUTBOX_LIMIT, `must be at most ${MAX_OUTBOX_LIMIT}`)
    .default(DEFAULT_OUTBOX_LIMIT),
  cursor: z
    .string()
    .transform((cursor, context) => {
      const before = decodeOutboxCursor(cursor);
      if (before === undefined) context.addIssue({ code: 'custom', message: 'is not a cursor this outbox gave out (use nextCursor as it came)' });
      return before ?? 0;
    })
    .optional(),
});

export interface OutboxPage<T> {
  /** Newest first. */
  readonly items: readonly T[];
  /** Present while older matching messages remain: pass it back as `?cursor=`. */
  readonly nextCursor?: string;
}

/** Newest first, from below the cursor's position: at most `limit` messages that `matches` accepts. */
export function outboxPage<T>(
  oldestFirst: readonly T[],
  query: { readonly limit: number; readonly cursor?: number | undefined },
  matches: (item: T) => boolean = () => true,
): OutboxPage<T> {
  const items: T[] = [];
  let index = Math.min(query.cursor ?? oldestFirst.length, oldestFirst.length) - 1;
  for (; index >= 0 && items.length < query.limit; index -= 1) {
    const item = oldestFirst[index] as T;
    if (matches(item)) items.push(item);
  }
  // Another page only when a matching message remains, so the last page never comes back empty.
  const before = index + 1;
  const more = oldestFirst.slice(0, before).some(matches);
  return more ? { items, nextCursor: encodeOutboxCursor(before) } : { items };
}

/**
 * Reads an outbox request's query with `schema` (OutboxPageQuery and the outbox's filters): the
 * parsed value, or the 400 that names each bad parameter.
 */
export function parseOutboxQuery<S extends z.ZodType>(
  schema: S,
  query: URLSearchParams,
): { readonly ok: true; readonly value: z.output<S> } | { readonly ok: false; readonly response: OutgoingResponse } {
  const parsed = schema.safeParse(Object.fromEntries(query));
  if (parsed.success) return { ok: true, value: parsed.data };
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; ');
  return { ok: false, response: jsonResponse(400, { error: { code: 'bad_request', message } }) };
}

/**
 * Every message of the outbox at `url` that `filter` keeps (its own query filters, e.g.
 * `{ to }`), newest first: for programs (tests, benchmarks), which follow `nextCursor` to the
 * last page in pages of the largest size.
 */
export async function readWholeOutbox<T>(url: string, filter: Readonly<Record<string, string>> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ ...filter, limit: String(MAX_OUTBOX_LIMIT), ...(cursor !== undefined && { cursor }) });
    const response = await fetch(`${url}?${query.toString()}`);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as OutboxPage<T>;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

/** Whether an address (`ann@example.com`, or `Ann <ann@example.com>`) is `wanted`, ignoring case. */
export const sameAddress = (address: string, wanted: string): boolean =>
  (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase() === wanted.trim().toLowerCase();
