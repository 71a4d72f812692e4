/**
 * A manager's reply to a customer, as the customer receives it: a short, plain e-mail (the
 * brand's header and colour, the manager's words, whom it is from) or an SMS that starts with
 * the brand like every text the product sends.
 */
import { brandView, neutral, type CampaignBranding } from '#shared/core/branding';
import { asOneLine } from '#shared/core/control-characters';
import { escapeHtml } from '#shared/render/html';
import type { Locale } from '#shared/core/vocabulary';

export interface ReplyEmailInput extends CampaignBranding {
  readonly locale: Locale;
  readonly name?: string | undefined;
  readonly text: string;
}

const wording: Record<Locale, { subject: string; hello: (name?: string) => string; why: string }> = {
  en: {
    subject: 'About your feedback to {brand}',
    hello: (name) => (name ? `Hello ${name},` : 'Hello,'),
    why: 'You are receiving this because you answered a survey from {brand}. Just reply to this e-mail to answer.',
  },
  ru: {
    subject: 'О вашем отзыве для {brand}',
    hello: (name) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    why: 'Вы получили это письмо, потому что ответили на опрос {brand}. Чтобы ответить, просто ответьте на это письмо.',
  },
};

const withBrand = (template: string, brand: string) => template.replaceAll('{brand}', () => brand);

const FONT = 'Arial,Helvetica,sans-serif';

export const renderReplyEmail = (input: ReplyEmailInput): { subject: string; html: string; text: string } => {
  const b = brandView(input);
  const w = wording[input.locale];
  const hello = w.hello(input.name ? asOneLine(input.name) : undefined);
  const why = withBrand(w.why, b.brand);
  const paragraphs = input.text.split(/\n{2,}/).map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replaceAll('\n', '<br>')}</p>`);
  const html = `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="margin:0;padding:0;background:${neutral.surface}">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font:15px/22px ${FONT};color:${neutral.text}">
<div style="border-top:4px solid ${b.accent};padding-top:12px;margin-bottom:16px;font:bold 18px/24px ${FONT};color:${b.accentText}">${escapeHtml(b.brand)}</div>
<p style="margin:0 0 12px">${escapeHtml(hello)}</p>
${paragraphs.join('\n')}
<p style="margin:0 0 12px">${escapeHtml(b.senderName)}</p>
<p style="margin:24px 0 0;font:13px/18px ${FONT};color:${neutral.muted}">${escapeHtml(why)}</p>
</div></body></html>`;
  const text = `${hello}\n\n${input.text}\n\n${b.senderName}\n\n${why}\n`;
  return { subject: asOneLine(withBrand(w.subject, b.brand)), html, text };
};

/** A reply by SMS: the brand first, so the customer knows who is texting. */
export const replySms = (brand: string, text: string): string => `${brand}: ${text}`;
