import type * as z from 'zod';
import { jsonResponse, type OutgoingResponse } from './api-gateway-event.ts';

export type ParsedBody<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: OutgoingResponse };

/** A local route's JSON body, checked against `schema`; junk gets a 400 naming what is wrong. */
export function parseJsonBody<T>(schema: z.ZodType<T>, body: Buffer): ParsedBody<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, response: jsonResponse(400, { error: { code: 'bad_request', message: 'Request body is not valid JSON' } }) };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  return { ok: false, response: jsonResponse(400, { error: { code: 'validation_failed', message } }) };
}
