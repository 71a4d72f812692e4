/**
 * Recipients: `POST /v1/campaigns/{id}/recipients` takes RecipientsInput (and an optional
 * `Idempotency-Key` header) and answers 202 with AddRecipientsResult.
 */
import * as z from 'zod';
import { AttributeName, Locale, oneLine, RESERVED_NAMES, reservedMessage, Skip } from '#shared/contract/fields';

export const MAX_RECIPIENTS_PER_CALL = 1000;

const AttributeValue = z.union([oneLine(100), z.number(), z.boolean()]);

/**
 * A recipient's attributes by name. The names are checked on the object as sent, because a
 * `__proto__` key would otherwise vanish silently while it is copied.
 */
const Attributes = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null) return;
    for (const name of Object.keys(value)) {
      if (RESERVED_NAMES.has(name)) ctx.addIssue({ code: 'custom', message: reservedMessage(name), path: [name] });
    }
  })
  .pipe(z.record(AttributeName, AttributeValue));

/** A recipient as sent; the address itself is checked one by one so a bad row is skipped, not fatal. */
export const RecipientInput = z
  .object({
    email: z.string().max(320).optional(),
    phone: z.string().max(40).optional(),
    name: oneLine(200).optional(),
    externalId: oneLine(200).optional(),
    locale: z.optional(Locale),
    timezone: z.string().max(64).optional(),
    attributes: Attributes.optional(),
  })
  .strict();
export type RecipientInput = z.infer<typeof RecipientInput>;

export const RecipientsInput = z
  .object({ recipients: z.array(RecipientInput).min(1).max(MAX_RECIPIENTS_PER_CALL) })
  .strict();

/** The `Idempotency-Key` header: a repeat with the same key gets the first answer, and adds no one twice. */
export const IdempotencyKey = z.string().trim().min(1).max(200).optional();

/** How many recipients became invitations, and every one left out with its reason. */
export const AddRecipientsResult = z.object({
  accepted: z.number().int().nonnegative(),
  skipped: z.array(Skip),
  /**
   * True when this is the stored answer of an earlier request with the same Idempotency-Key:
   * its recipients were added then, and nothing was added now.
   */
  replayed: z.literal(true).optional(),
});
export type AddRecipientsResult = z.infer<typeof AddRecipientsResult>;
