/**
 * Errors are values with a code that maps to exactly one HTTP status. Anything a client can
 * cause is one of these; anything else is our bug and becomes a 500.
 */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** A survey link past its expiry: it existed, and is closed for good. */
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class DomainError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
    this.statusCode = errorStatus[code];
  }
}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`);
