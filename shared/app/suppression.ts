import * as z from 'zod/mini';
import { contactKey, normalizeEmail } from '#shared/core/contacts';
import { recordSuppression } from '#shared/app/contact-blocks';

/**
 * An SES event as a configuration set publishes it to SNS. Only the parts that decide a
 * suppression are read; everything else (headers, the message itself) is ignored.
 */
export const SesEvent = z.object({
  eventType: z.string(),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: z.array(z.object({ emailAddress: z.string() })) })),
  complaint: z.optional(z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) })),
});
export type SesEvent = z.infer<typeof SesEvent>;

export type SuppressionReason = 'bounce' | 'complaint';

/**
 * Which addresses an event suppresses: every recipient of a permanent (hard) bounce and of a
 * complaint. A transient bounce (mailbox full, greylisting) suppresses nobody.
 */
export const suppressionsOf = (event: SesEvent): { email: string; reason: SuppressionReason }[] => {
  const hard = event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent';
  const bounced = hard ? (event.bounce?.bouncedRecipients ?? []).map((r) => ({ raw: r.emailAddress, reason: 'bounce' as const })) : [];
  const complained =
    event.eventType === 'Complaint'
      ? (event.complaint?.complainedRecipients ?? []).map((r) => ({ raw: r.emailAddress, reason: 'complaint' as const }))
      : [];
  return [...bounced, ...complained].flatMap(({ raw, reason }) => {
    const email = normalizeEmail(raw);
    return email ? [{ email, reason }] : [];
  });
};

/**
 * Suppresses an address for every future campaign, and for the invitations still to reach it
 * (shared/app/contact-blocks.ts); stored by hash, so it survives erasure.
 */
export const suppress = async (email: string, reason: SuppressionReason, now = new Date()): Promise<void> => {
  await recordSuppression(contactKey('email', email), reason, now);
};
