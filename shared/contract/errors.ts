/** Every error, on every route: a code that maps to one HTTP status (shared/core/errors.ts) and a message for people. */
import * as z from 'zod';
import { FieldIssue } from '#shared/core/errors';

export { FieldIssue } from '#shared/core/errors';

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** For validation_failed: each field that was wrong (its path) and why. */
    details: z.array(FieldIssue).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
