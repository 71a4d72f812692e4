import { contactKey, normalizeEmail, type Contact } from '#shared/core/contacts';
import { normalizePhone, recipientZones } from '#shared/core/phones';
import { isTimeZone } from '#shared/core/quiet-hours';
import type { Channel, Skip, SkipReason } from '#shared/core/vocabulary';

// Why a recipient is skipped is a word of the product: the API reports it, so it lives in vocabulary.
export { Skip, skipReasons, type SkipReason } from '#shared/core/vocabulary';

export interface Candidate {
  readonly index: number;
  /** Hash of the normalized address: the key of the contact's opt-out and campaign guard. */
  readonly contactKey: string;
  readonly contact: Contact;
  readonly segments: Record<string, string>;
}

type Addressed = { key: string; contact: Contact } | { reason: SkipReason };

/**
 * The recipient's address on the campaign's channel, normalized: e-mail lower-cased and
 * trimmed; a phone in E.164 (read in the campaign's defaultCountry when it has no +), able to
 * take SMS, with the recipient's time zone resolved (their own, else their country's when it
 * has one clock, else the campaign's). When it is none of these, the contact names no zone and
 * the sender waits for the window in every clock of the phone's country.
 */
const address = (campaign: ScreenedCampaign, recipient: RecipientInput): Addressed => {
  const optional = {
    ...(recipient.name ? { name: recipient.name } : {}),
    ...(recipient.externalId ? { externalId: recipient.externalId } : {}),
    ...(recipient.locale ? { locale: recipient.locale } : {}),
  };
  if (campaign.channel === 'sms') {
    const phone = recipient.phone === undefined ? undefined : normalizePhone(recipient.phone, campaign.defaultCountry);
    if (!phone) return { reason: 'invalid_phone' };
    const [timezone, ...others] = recipientZones({ timezone: recipient.timezone, country: phone.country, campaignDefault: campaign.timezone });
    const zone = timezone !== undefined && others.length === 0 ? { timezone } : {};
    return { key: contactKey('phone', phone.e164), contact: { phone: phone.e164, ...zone, ...optional } };
  }
  const email = recipient.email === undefined ? undefined : normalizeEmail(recipient.email);
  if (!email) return { reason: 'invalid_email' };
  const timezone = recipient.timezone && isTimeZone(recipient.timezone) ? { timezone: recipient.timezone } : {};
  return { key: contactKey('email', email), contact: { email, ...timezone, ...optional } };
};

/** What screening reads of a campaign (a CampaignItem has it). */
type ScreenedCampaign = { segments: string[]; channel?: Channel; defaultCountry?: string; timezone?: string };

/** What screening reads of a recipient (the API's RecipientInput has it). */
type RecipientInput = Contact & { attributes?: Record<string, string | number | boolean> };

/**
 * Checks a batch of recipients before anything is written: the address must be valid for the
 * campaign's channel, and an address may appear once per call. What survives still has to pass
 * the stored checks (already in the campaign, opted out, suppressed, throttled).
 */
export const screenRecipients = (
  campaign: ScreenedCampaign,
  recipients: readonly RecipientInput[],
): { candidates: Candidate[]; skipped: Skip[] } => {
  const candidates: Candidate[] = [];
  const skipped: Skip[] = [];
  const seen = new Set<string>();
  recipients.forEach((recipient, index) => {
    const addressed = address(campaign, recipient);
    if ('reason' in addressed) return skipped.push({ index, reason: addressed.reason });
    if (seen.has(addressed.key)) return skipped.push({ index, reason: 'duplicate' });
    seen.add(addressed.key);
    candidates.push({
      index,
      contactKey: addressed.key,
      contact: addressed.contact,
      segments: segmentValues(campaign.segments, recipient.attributes),
    });
  });
  return { candidates, skipped };
};

const MAX_SEGMENT_VALUE = 64;

/**
 * The campaign's segment attributes as strings; an absent attribute is counted as "(none)". Only
 * the recipient's own attributes count, never what every object inherits (`toString`, ...).
 */
export const segmentValues = (
  segments: readonly string[],
  attributes: RecipientInput['attributes'],
): Record<string, string> =>
  Object.fromEntries(
    segments.map((name) => {
      const value = attributes && Object.hasOwn(attributes, name) ? attributes[name] : undefined;
      return [name, value === undefined ? '(none)' : String(value).slice(0, MAX_SEGMENT_VALUE)];
    }),
  );
