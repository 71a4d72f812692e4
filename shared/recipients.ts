import { contactKey, normalizeEmail } from '#shared/contacts';
import type { CampaignItem, Contact } from '#shared/items';
import type { RecipientInput } from '#shared/schemas';

export const skipReasons = ['invalid_email', 'invalid_phone', 'duplicate', 'opted_out', 'suppressed', 'throttled'] as const;
export type SkipReason = (typeof skipReasons)[number];

export interface Skip {
  readonly index: number;
  readonly reason: SkipReason;
}

export interface Candidate {
  readonly index: number;
  /** Hash of the normalized address: the key of the contact's opt-out and campaign guard. */
  readonly contactKey: string;
  readonly contact: Contact;
  readonly segments: Record<string, string>;
}

/**
 * Checks a batch of recipients before anything is written: the address must be valid for the
 * campaign's channel (e-mail is lower-cased and trimmed), and an address may appear once per
 * call. What survives still has to pass the stored checks (opt-outs, already in the campaign).
 */
export const screenRecipients = (
  campaign: Pick<CampaignItem, 'segments'>,
  recipients: readonly RecipientInput[],
): { candidates: Candidate[]; skipped: Skip[] } => {
  const candidates: Candidate[] = [];
  const skipped: Skip[] = [];
  const seen = new Set<string>();
  recipients.forEach((recipient, index) => {
    const email = recipient.email === undefined ? undefined : normalizeEmail(recipient.email);
    if (!email) return skipped.push({ index, reason: 'invalid_email' });
    const key = contactKey('email', email);
    if (seen.has(key)) return skipped.push({ index, reason: 'duplicate' });
    seen.add(key);
    candidates.push({
      index,
      contactKey: key,
      contact: {
        email,
        ...(recipient.name ? { name: recipient.name } : {}),
        ...(recipient.externalId ? { externalId: recipient.externalId } : {}),
        ...(recipient.locale ? { locale: recipient.locale } : {}),
        ...(recipient.timezone ? { timezone: recipient.timezone } : {}),
      },
      segments: segmentValues(campaign.segments, recipient.attributes),
    });
  });
  return { candidates, skipped };
};

const MAX_SEGMENT_VALUE = 64;

/** The campaign's segment attributes as strings; an absent attribute is counted as "(none)". */
export const segmentValues = (
  segments: readonly string[],
  attributes: RecipientInput['attributes'],
): Record<string, string> =>
  Object.fromEntries(
    segments.map((name) => {
      const value = attributes?.[name];
      return [name, value === undefined ? '(none)' : String(value).slice(0, MAX_SEGMENT_VALUE)];
    }),
  );
