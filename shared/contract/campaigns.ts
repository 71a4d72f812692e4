/**
 * Campaigns: `POST /v1/campaigns` takes a CampaignInput and answers a CampaignView;
 * `GET /v1/campaigns` answers a CampaignPage; `GET /v1/campaigns/{id}` a CampaignWithCounts.
 */
import * as z from 'zod';
import { BrandColor, HttpsUrl, PostalAddress } from '#shared/core/branding';
import { SendWindow, TimeZone } from '#shared/core/quiet-hours';
import { AttributeName, Channel, Locale, page, text } from '#shared/contract/fields';
import { CampaignRecord } from '#shared/contract/records';

/** A campaign as it was created, with its id (records.ts declares its fields, as it is stored too). */
export const Campaign = z.object(CampaignRecord.shape);
export type Campaign = z.infer<typeof Campaign>;

/** How far in the past a sendAt may be (clock skew, a slow request) and still mean "now". */
const SEND_AT_GRACE_MS = 5 * 60_000;

export const CampaignInput = z
  .object({
    name: text(200),
    brand: text(100),
    channel: Channel,
    locale: z._default(Locale, 'en'),
    question: text(300).optional(),
    followUpQuestion: text(300).optional(),
    segments: z.array(AttributeName).max(5).default([]),
    throttleDays: z.number().int().min(0).max(3650).default(90),
    /** Hold every invitation until this time (ISO 8601 with offset). */
    sendAt: z.iso
      .datetime({ offset: true })
      .refine((at) => Date.parse(at) >= Date.now() - SEND_AT_GRACE_MS, {
        message: 'is in the past; give a future time, or leave sendAt out to send now',
      })
      .optional(),
    /** One reminder this long after sending, to people who have not answered. */
    reminderAfterHours: z.number().int().min(1).max(720).optional(),
    /** SMS only go out inside this local window (default 09:00–20:00). */
    sendWindow: z.optional(SendWindow),
    /** The zone for recipients whose own zone is unknown (IANA name); without it, never UTC: see recipientZones. */
    timezone: z.optional(TimeZone),
    /** How to read phone numbers written without a + (ISO country, e.g. "GB"). */
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').transform((c) => c.toUpperCase()).optional(),
    /** The brand's colour (#rgb or #rrggbb): an accent in the e-mail and pages; text on it is chosen to meet contrast. */
    brandColor: z.optional(BrandColor),
    /** A logo at the top of the e-mail and pages (https only), shown 40 px high with the brand as its alt text. */
    logoUrl: z.optional(HttpsUrl),
    /** The From name of the e-mail and the sender the footer names (default: the brand). */
    senderName: text(100).optional(),
    /** The sender's postal address in every e-mail footer, up to 3 lines. */
    postalAddress: z.optional(PostalAddress),
    /** A privacy policy linked from the e-mail and pages (https only). */
    privacyUrl: z.optional(HttpsUrl),
  })
  .strict();
export type CampaignInput = z.infer<typeof CampaignInput>;

/** What an SMS invitation will look like, so marketing sees the cost of a long question before sending. */
export const SmsPreview = z.object({
  text: z.string(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number().int(),
  /** Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
  characters: z.number().int(),
});
export type SmsPreview = z.infer<typeof SmsPreview>;

/** A campaign as one campaign's routes show it: SMS campaigns carry their invitation's preview. */
export const CampaignView = z.object({ ...Campaign.shape, smsPreview: SmsPreview.optional() });
export type CampaignView = z.infer<typeof CampaignView>;

/**
 * A campaign's counts. Every accepted recipient is one invitation, always in exactly one of
 * scheduled, queued (including being sent right now), sent, failed, suppressed or withdrawn, so
 * those add up to `recipients`. `reminded`, `clicked` and `responded` count events on them;
 * `skipped` counts the recipients left out, by reason.
 */
export const CampaignCounts = z.object({
  recipients: z.number(),
  scheduled: z.number(),
  queued: z.number(),
  sent: z.number(),
  failed: z.number(),
  suppressed: z.number(),
  withdrawn: z.number(),
  reminded: z.number(),
  skipped: z.record(z.string(), z.number()),
  clicked: z.number(),
  responded: z.number(),
  /** responded / clicked, 0 to 1 (3 decimals): how many who opened the survey page answered; null before the first click. */
  clickToAnswerRate: z.number().nullable(),
});
export type CampaignCounts = z.infer<typeof CampaignCounts>;

export const CampaignWithCounts = CampaignView.extend({ counts: CampaignCounts });
export type CampaignWithCounts = z.infer<typeof CampaignWithCounts>;

/** A page of campaigns, each with its counts, so a list shows how campaigns compare. */
export const CampaignPage = page(CampaignWithCounts);
export type CampaignPage = z.infer<typeof CampaignPage>;
