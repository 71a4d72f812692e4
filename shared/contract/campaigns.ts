/**
 * Campaigns: `POST /v1/campaigns` takes a CampaignInput and answers a CampaignView;
 * `GET /v1/campaigns` answers a CampaignPage; `GET /v1/campaigns/{id}` a CampaignWithCounts.
 */
import { z } from 'zod';
import { SendWindow, TimeZone } from '#shared/core/quiet-hours';
import { AttributeName, Channel, Locale, page, text } from '#shared/contract/fields';

export const CampaignInput = z
  .object({
    name: text(200),
    brand: text(100),
    channel: Channel,
    locale: Locale.default('en'),
    question: text(300).optional(),
    followUpQuestion: text(300).optional(),
    segments: z.array(AttributeName).max(5).default([]),
    throttleDays: z.number().int().min(0).max(3650).default(90),
    /** Hold every invitation until this time (ISO 8601 with offset). */
    sendAt: z.iso.datetime({ offset: true }).optional(),
    /** One reminder this long after sending, to people who have not answered. */
    reminderAfterHours: z.number().int().min(1).max(720).optional(),
    /** SMS only go out inside this local window (default 09:00–20:00). */
    sendWindow: SendWindow.optional(),
    /** The zone for recipients whose own zone is unknown (IANA name); without it, never UTC: see recipientZones. */
    timezone: TimeZone.optional(),
    /** How to read phone numbers written without a + (ISO country, e.g. "GB"). */
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').transform((c) => c.toUpperCase()).optional(),
  })
  .strict();
export type CampaignInput = z.infer<typeof CampaignInput>;

/** A campaign as it was created, with its id; it is stored in this shape too (shared/table/items.ts). */
export const Campaign = z.object({
  id: z.string(),
  name: z.string(),
  brand: z.string(),
  channel: Channel,
  locale: Locale,
  question: z.string().optional(),
  followUpQuestion: z.string().optional(),
  segments: z.array(z.string()),
  throttleDays: z.number(),
  sendAt: z.string().optional(),
  reminderAfterHours: z.number().optional(),
  sendWindow: z.object({ start: z.string(), end: z.string() }).optional(),
  timezone: z.string().optional(),
  defaultCountry: z.string().optional(),
  createdAt: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;

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
export const CampaignView = Campaign.extend({ smsPreview: SmsPreview.optional() });
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
});
export type CampaignCounts = z.infer<typeof CampaignCounts>;

export const CampaignWithCounts = CampaignView.extend({ counts: CampaignCounts });
export type CampaignWithCounts = z.infer<typeof CampaignWithCounts>;

export const CampaignPage = page(Campaign);
export type CampaignPage = z.infer<typeof CampaignPage>;
