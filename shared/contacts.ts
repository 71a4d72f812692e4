import { createHash } from 'node:crypto';
import { EmailAddress } from '#shared/schemas';

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
