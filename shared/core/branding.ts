/**
 * A campaign's branding: what marketing may set (validated here, imported by the campaign
 * schema) and what the customer's e-mail and pages draw from it. Pure: colour math and text.
 *
 * Colours follow WCAG 2.2: text needs 4.5:1 against its background, borders and other parts of
 * a control 3:1. A brand colour is never refused: text on it is black or white, whichever
 * contrasts more (one of them always reaches 4.58:1), and where the brand colour itself must be
 * read on white (links, the brand name) it is darkened until it does.
 */
import * as z from 'zod/mini';
import { asOneLine, hasControlCharacters } from '#shared/core/control-characters';

const NO_CONTROL_CHARACTERS = 'must not contain line breaks or control characters';

/** `#rgb` or `#rrggbb`, stored as lower-case `#rrggbb`. */
export const BrandColor = z.pipe(
  z.string().check(z.trim(), z.regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a hex colour like #0a66c2')),
  z.transform((hex: string) => (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex).toLowerCase()),
);

/**
 * An https address shown to customers (a logo, a privacy policy). Plain http would mix content
 * into the https page and let anyone on the path swap the logo; other schemes never belong in an img.
 */
export const HttpsUrl = z.pipe(
  z.string().check(z.trim(), z.maxLength(2000), z.refine((s) => !hasControlCharacters(s), NO_CONTROL_CHARACTERS)),
  z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'an https:// address' }),
);

export const POSTAL_ADDRESS_LINES = 3;
const POSTAL_LINE_MAX = 100;

/**
 * The sender's postal address, as bulk-sender rules and CAN-SPAM expect in every e-mail. Up to
 * three lines (street, city, country), because that is how addresses are written and read;
 * each line is checked like one-line text. It only ever reaches an e-mail body or a page, never
 * a header, so a line break in it is safe.
 */
export const PostalAddress = z
  .pipe(
    z.string().check(z.maxLength(POSTAL_ADDRESS_LINES * (POSTAL_LINE_MAX + 2))),
    z.transform((s: string) =>
      s
        .split(/\r\n|\n|\r/)
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .join('\n'),
    ),
  )
  .check(
    z.superRefine((s, ctx) => {
      const lines = s === '' ? [] : s.split('\n');
      if (lines.length === 0) ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      if (lines.length > POSTAL_ADDRESS_LINES) ctx.addIssue({ code: 'custom', message: `at most ${POSTAL_ADDRESS_LINES} lines` });
      if (lines.some((line) => line.length > POSTAL_LINE_MAX)) ctx.addIssue({ code: 'custom', message: `at most ${POSTAL_LINE_MAX} characters a line` });
      if (lines.some(hasControlCharacters)) ctx.addIssue({ code: 'custom', message: NO_CONTROL_CHARACTERS });
    }),
  );

/** The branding a campaign may carry; every field optional, the brand name always there. */
export interface CampaignBranding {
  readonly brand: string;
  readonly brandColor?: string | undefined;
  readonly logoUrl?: string | undefined;
  readonly senderName?: string | undefined;
  readonly postalAddress?: string | undefined;
  readonly privacyUrl?: string | undefined;
}

/** Only the branding fields of a campaign (or anything that has them). */
export const brandingOf = (c: CampaignBranding): CampaignBranding => ({
  brand: c.brand,
  brandColor: c.brandColor,
  logoUrl: c.logoUrl,
  senderName: c.senderName,
  postalAddress: c.postalAddress,
  privacyUrl: c.privacyUrl,
});

/** What a page or e-mail draws: colours that meet contrast, and the texts, ready to escape. */
export interface BrandView {
  readonly brand: string;
  /** Who the mail is from, as a person reads it: the sender name, or the brand. */
  readonly senderName: string;
  /** The brand colour: a stripe, a selected score, the main button. */
  readonly accent: string;
  /** Text on the accent: black or white, whichever contrasts more. */
  readonly onAccent: string;
  /** The accent darkened until it reads on white at 4.5:1 (links, the brand name). */
  readonly accentText: string;
  readonly logoUrl?: string | undefined;
  readonly postalLines: readonly string[];
  readonly privacyUrl?: string | undefined;
}

/** Without a brand colour: a calm blue that reads on white at 6.7:1. */
export const DEFAULT_ACCENT = '#1d4ed8';

/** Neutral colours of everything that is not the brand (gray-900/600/500 on white: 17:1, 7.6:1, 4.8:1). */
export const neutral = {
  text: '#111827',
  muted: '#4b5563',
  /** Borders of controls: 4.8:1 on white, above the 3:1 that non-text contrast needs. */
  border: '#6b7280',
  background: '#f3f4f6',
  surface: '#ffffff',
} as const;

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** WCAG relative luminance of `#rrggbb`. */
export const luminance = (hex: string): number => {
  const [r, g, b] = rgb(hex);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
};

/** WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
export const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** Black or white text on this background, whichever contrasts more (never below 4.58:1). */
export const textOn = (background: string): string =>
  contrast(background, '#ffffff') >= contrast(background, '#000000') ? '#ffffff' : '#000000';

const hex2 = (n: number) => Math.round(n).toString(16).padStart(2, '0');

/** The colour mixed toward black in small steps until it reads on `against` at `ratio`. */
export const darkenUntil = (color: string, ratio: number, against = '#ffffff'): string => {
  const [r, g, b] = rgb(color);
  for (let k = 1; k >= 0; k -= 0.05) {
    const mixed = `#${hex2(r * k)}${hex2(g * k)}${hex2(b * k)}`;
    if (contrast(mixed, against) >= ratio) return mixed;
  }
  return '#000000';
};

/** The branding as the e-mail and pages draw it. */
export const brandView = (c: CampaignBranding): BrandView => {
  // Only a colour as the schema stores it ever reaches a style attribute or CSS.
  const accent = c.brandColor && /^#[0-9a-f]{6}$/.test(c.brandColor) ? c.brandColor : DEFAULT_ACCENT;
  return {
    brand: c.brand,
    senderName: c.senderName ?? c.brand,
    accent,
    onAccent: textOn(accent),
    accentText: darkenUntil(accent, 4.5),
    logoUrl: c.logoUrl,
    postalLines: c.postalAddress ? c.postalAddress.split('\n') : [],
    privacyUrl: c.privacyUrl,
  };
};

/**
 * The From header: `"Sender Name" <address>`. The name is made one line and quoted (RFC 5322),
 * and written as an RFC 2047 encoded word when it is not plain ASCII, as SES asks.
 */
export const fromAddress = (displayName: string, address: string): string => {
  const name = asOneLine(displayName);
  if (name === '') return address;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}" <${address}>`;
  // btoa, not Buffer: the contract (and so this module) also runs in the console's browser.
  return `=?UTF-8?B?${btoa(String.fromCharCode(...new TextEncoder().encode(name)))}?= <${address}>`;
};
