/**
 * When an invitation may go out: the campaign's sendAt, and for SMS the recipient's local
 * sending window in every zone they may be in. Pure: the caller passes the clock.
 */
import type { Contact } from '#shared/core/contacts';
import { normalizePhone, recipientZones } from '#shared/core/phones';
import { DEFAULT_SEND_WINDOW, nextSendTimeEverywhere, SendWindow } from '#shared/core/quiet-hours';
import type { Channel } from '#shared/core/vocabulary';

/** What the send time reads of a campaign (a CampaignItem has it). */
type SentCampaign = {
  channel: Channel;
  sendAt?: string | undefined;
  sendWindow?: { start: string; end: string } | undefined;
  timezone?: string | undefined;
};

/**
 * The zones an SMS recipient may be in: the one settled when they were invited, else (their
 * phone's country has several clocks, and neither they nor the campaign named a zone) every
 * clock of that country.
 */
const smsZones = (campaign: Pick<SentCampaign, 'timezone'>, contact: Pick<Contact, 'timezone' | 'phone'>): string[] =>
  contact.timezone
    ? [contact.timezone]
    : recipientZones({ country: contact.phone ? normalizePhone(contact.phone)?.country : undefined, campaignDefault: campaign.timezone });

/**
 * When an invitation may first go out: the campaign's sendAt (or now), and for SMS the next
 * moment inside the recipient's local sending window, in every zone they may be in. Undefined
 * when there is no such moment: no zone is known, or the window is too short for the spread
 * of the country's clocks.
 */
export const firstSendTime = (
  campaign: SentCampaign,
  contact: Pick<Contact, 'timezone' | 'phone'>,
  now: Date,
): Date | undefined => {
  const base = campaign.sendAt && Date.parse(campaign.sendAt) > now.getTime() ? new Date(campaign.sendAt) : now;
  if (campaign.channel !== 'sms') return base;
  return nextSendTimeEverywhere(base, smsZones(campaign, contact), windowOf(campaign));
};

export const windowOf = (campaign: Pick<SentCampaign, 'sendWindow'>): SendWindow =>
  campaign.sendWindow ? SendWindow.parse(campaign.sendWindow) : DEFAULT_SEND_WINDOW;
