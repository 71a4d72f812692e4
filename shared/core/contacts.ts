import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { EmailAddress, Locale } from '#shared/core/vocabulary';

/** A contact as an invitation keeps it: the normalized address and what the recipient told us. */
export const Contact = z.object({
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  name: z.optional(z.string()),
  externalId: z.optional(z.string()),
  locale: z.optional(Locale),
  timezone: z.optional(z.string()),
});
export type Contact = z.infer<typeof Contact>;

/** A contact is known by its normalized address: e-mail lower-cased and trimmed. */
export const normalizeEmail = (raw: string): string | undefined => {
  const email = raw.trim().toLowerCase();
  return EmailAddress.safeParse(email).success ? email : undefined;
};

/**
 * The key under which a contact's opt-out and per-campaign guard are stored: a hash of the
 * normalized address, so keys carry no personal data and survive erasure of the contact.
 */
export const contactKey = (channel: 'email' | 'phone', address: string): string =>
  createHash('sha256').update(`${channel}:${address}`).digest('base64url');
