/**
 * Errors are values with a code that maps to exactly one HTTP status. Anything a client can
 * cause is one of these; anything else is our bug and becomes a 500.
 */
import * as z from 'zod/mini';

export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  /** Signed in, but the role does not allow this. */
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** A survey link past its expiry: it existed, and is closed for good. */
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** One thing wrong with a request: where (a dotted path into the body or query, empty for the whole) and why. */
export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

export class DomainError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For validation_failed: each field that was wrong, so a form can show it beside the field. */
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.name = 'DomainError';
    this.statusCode = errorStatus[code];
  }
}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`);
