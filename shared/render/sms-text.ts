import type { Locale } from '#shared/core/vocabulary';
import { smsMessages } from '#shared/render/sms-messages';

/**
 * What an SMS costs, and what the survey says by SMS.
 *
 * An SMS is billed per segment. A text made only of GSM 03.38 characters is sent as GSM-7:
 * 160 characters in one segment, 153 per segment when it needs more (the rest of each segment
 * holds the header that joins them). One character outside that alphabet (Cyrillic, an emoji,
 * a curly quote) sends the whole text as UCS-2: 70 characters, then 67 per segment.
 */

// The GSM 03.38 default alphabet, less the escape code (0x1B) that introduces the extension table.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: each is sent as escape + character, so it takes two septets.
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface Segments {
  readonly encoding: SmsEncoding;
  readonly segments: number;
  /** Length in the encoding's units: septets for GSM-7 (an extension character counts two), UTF-16 code units for UCS-2 (an emoji counts two). */
  readonly characters: number;
}

const SINGLE_SEGMENT: Record<SmsEncoding, number> = { 'GSM-7': 160, 'UCS-2': 70 };
const MULTIPART_SEGMENT: Record<SmsEncoding, number> = { 'GSM-7': 153, 'UCS-2': 67 };

const isGsm7 = (char: string): boolean => GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * How many segments a text is sent in: GSM-7 when every character is in the GSM alphabet
 * (160 per message, else 153 per segment), otherwise UCS-2 (70, else 67). Nothing the reader
 * sees as one character is split between segments: neither an escaped GSM character nor an
 * emoji (a surrogate pair, or a cluster such as a flag or a skin tone), as Twilio's reference
 * calculator counts them; so a long text with emoji may count one segment more than a carrier
 * that splits clusters would bill.
 */
export const segmentsOf = (text: string): Segments => {
  const chars = [...text];
  const encoding: SmsEncoding = chars.every(isGsm7) ? 'GSM-7' : 'UCS-2';
  // Every GSM character is one code point; only UCS-2 text can hold clusters.
  const sizes =
    encoding === 'GSM-7'
      ? chars.map((char) => (GSM7_EXTENSION.has(char) ? 2 : 1))
      : Array.from(graphemes.segment(text), ({ segment }) => segment.length);
  const characters = sizes.reduce((sum, size) => sum + size, 0);
  if (characters <= SINGLE_SEGMENT[encoding]) return { encoding, segments: characters === 0 ? 0 : 1, characters };
  const limit = MULTIPART_SEGMENT[encoding];
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used > 0 && used + size > limit) {
      segments += 1;
      used = 0;
    }
    used += size;
    // A cluster longer than a whole segment (stacked combining marks) has to be split after all.
    for (; used > limit; used -= limit) segments += 1;
  }
  return { encoding, segments, characters };
};

/** The characters of a text that force it into UCS-2 (to warn about a brand or a custom question). */
export const nonGsm7Characters = (text: string): string[] => [...new Set([...text].filter((char) => !isGsm7(char)))];

// ---------------------------------------------------------------------------------------------

/** What the texts need to know of a campaign. */
export interface SmsCampaign {
  readonly brand: string;
  readonly locale: Locale;
  /** The campaign's own question (may contain `{brand}`); the standard NPS question otherwise. */
  readonly question?: string | undefined;
  readonly followUpQuestion?: string | undefined;
}

/**
 * Every SMS starts with the brand, so the recipient always knows who is texting. Placeholders
 * are filled in one pass with a function, so a brand such as "A$&B" is taken literally.
 */
const fromBrand = (campaign: SmsCampaign, text: string, support = ''): string =>
  `{brand}: ${text}`.replace(/\{(brand|support)\}/g, (_, name: string) => (name === 'brand' ? campaign.brand : support));

/**
 * The invitation names the brand, asks the question, gives the 0–10 scale and says how to opt
 * out. In English, with the standard question and a brand of up to 33 GSM characters (23 in a
 * reminder), it is one 160-character segment.
 */
export const invitationSms = (campaign: SmsCampaign, options: { readonly reminder?: boolean } = {}): string => {
  const m = smsMessages[campaign.locale];
  const reminder = options.reminder ? m.reminder : '';
  return fromBrand(campaign, `${reminder}${campaign.question ?? m.question} ${m.scale} ${m.optOut}`);
};

/** The one re-prompt after a reply that gave no single score. */
export const repromptSms = (campaign: SmsCampaign): string => fromBrand(campaign, smsMessages[campaign.locale].reprompt);

/** Sent once the score is recorded: thanks, and the follow-up question (the campaign's own or the standard one). */
export const followUpSms = (campaign: SmsCampaign): string => {
  const m = smsMessages[campaign.locale];
  return fromBrand(campaign, `${m.scoreThanks} ${campaign.followUpQuestion ?? m.followUpQuestion}`);
};

/** Sent after the comment. */
export const thanksSms = (campaign: SmsCampaign): string => fromBrand(campaign, smsMessages[campaign.locale].thanks);

/** The answer to HELP; carriers expect it to name the sender, how to opt out and, where there is one, a support contact. */
export const helpSms = (campaign: SmsCampaign, support?: string): string => {
  const m = smsMessages[campaign.locale];
  return support ? fromBrand(campaign, `${m.help} ${m.support}`, support) : fromBrand(campaign, m.help);
};

/** The confirmation of STOP: nothing more will be sent, and how to come back. */
export const stopSms = (campaign: SmsCampaign): string => fromBrand(campaign, smsMessages[campaign.locale].stopped);

/** The confirmation of START. */
export const startSms = (campaign: SmsCampaign): string => fromBrand(campaign, smsMessages[campaign.locale].started);
