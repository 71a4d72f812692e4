import { brandView, neutral, type BrandView, type CampaignBranding } from '#shared/core/branding';
import { asOneLine } from '#shared/core/control-characters';
import { escapeHtml } from '#shared/render/html';
import { messages, questionText, withBrand, type Messages } from '#shared/render/messages';
import type { Locale } from '#shared/core/vocabulary';

export interface InvitationEmailInput extends CampaignBranding {
  readonly locale: Locale;
  readonly question?: string;
  readonly name?: string;
  readonly surveyUrl: string;
  readonly unsubscribeUrl: string;
  /** A reminder says so in the subject. */
  readonly reminder?: boolean;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: readonly { name: string; value: string }[];
}

const SCORES = Array.from({ length: 11 }, (_, i) => i);

export const scoreUrl = (surveyUrl: string, score: number): string => `${surveyUrl}?score=${score}`;

const FONT = 'Arial,Helvetica,sans-serif';

/**
 * The 0–10 scale: one row of 11 equal cells in a full-width table, so it is one linear scale
 * at every width and fits 320 px from the inline styles alone (Outlook and Gmail for other
 * accounts drop or ignore <style>). Each cell is 44 px tall; it is 44 px wide only from a
 * ~570 px wide window: on a phone 11 cells share the width, 24 px each at 320 px and 31 px at
 * 390 px (the 24 px WCAG 2.2 AA minimum or more). Every score looks the same: no colour hints
 * at the NPS categories. Outlook's Word engine ignores borders on links; the mso style gives
 * it borders on the cells instead.
 */
const scale = (input: InvitationEmailInput, m: Messages): string => {
  const cell = (score: number) =>
    `<td class="score" width="9%" align="center" style="padding:0 1px">` +
    `<a href="${escapeHtml(scoreUrl(input.surveyUrl, score))}" aria-label="${score} / 10" ` +
    `style="display:block;height:42px;line-height:42px;border:1px solid ${neutral.border};border-radius:6px;` +
    `background:${neutral.surface};color:${neutral.text};font:bold 15px/42px ${FONT};text-align:center;text-decoration:none">${score}</a></td>`;
  return `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="width:100%;table-layout:fixed;border-collapse:collapse">
<tr>${SCORES.map(cell).join('')}</tr></table>
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="width:100%;margin-top:6px;border-collapse:collapse"><tr>
<td class="end" width="50%" align="left" valign="top" style="padding:0 8px 0 0;font:13px/18px ${FONT};color:${neutral.muted}">0&nbsp;=&nbsp;${escapeHtml(m.notLikely)}</td>
<td class="end" width="50%" align="right" valign="top" style="padding:0 0 0 8px;font:13px/18px ${FONT};color:${neutral.muted};text-align:right">10&nbsp;=&nbsp;${escapeHtml(m.veryLikely)}</td>
</tr></table>`;
};

/** The logo (fixed 40 px high, the brand as its alt text) or else the brand name in the brand colour. */
const header = (b: BrandView): string =>
  b.logoUrl
    ? `<img src="${escapeHtml(b.logoUrl)}" alt="${escapeHtml(b.brand)}" height="40" style="display:block;height:40px;width:auto;max-width:200px;border:0">`
    : `<div style="font:bold 18px/24px ${FONT};color:${b.accentText}">${escapeHtml(b.brand)}</div>`;

/** Who sent it and why, where the sender is, how to stop: what bulk-sender rules and CAN-SPAM ask of every mail. */
const footer = (input: InvitationEmailInput, b: BrandView, m: Messages): string => {
  const small = `font:12px/18px ${FONT};color:${neutral.muted};margin:0 0 8px`;
  const link = `color:${neutral.muted};text-decoration:underline`;
  return [
    `<p style="${small}">${escapeHtml(withBrand(m.whyThisEmail, b.brand))}</p>`,
    b.postalLines.length > 0 ? `<p style="${small}">${b.postalLines.map(escapeHtml).join('<br>')}</p>` : '',
    `<p style="${small}">${escapeHtml(m.unsubscribeText)} <a href="${escapeHtml(input.unsubscribeUrl)}" style="${link}">${escapeHtml(m.unsubscribe)}</a>` +
      (b.privacyUrl ? ` &middot; <a href="${escapeHtml(b.privacyUrl)}" style="${link}">${escapeHtml(m.privacy)}</a>` : '') +
      `</p>`,
  ].join('\n');
};

const html = (input: InvitationEmailInput, question: string, b: BrandView, m: Messages): string => `<!doctype html>
<html lang="${input.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="x-apple-disable-message-reformatting"><meta name="color-scheme" content="light"><title>${escapeHtml(question)}</title>
<style>@media (min-width:480px){.card{padding:32px 32px 24px!important}}
@media (max-width:360px){.score a{font-size:13px!important}.end{display:block!important;width:auto!important;text-align:left!important;padding:0!important}}</style>
<!--[if mso]><style>.score{border:1px solid ${neutral.border}}</style><![endif]-->
</head>
<body style="margin:0;padding:0;background:${neutral.background};-webkit-text-size-adjust:100%">
<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(m.pickScore)} 0–10</div>
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="width:100%;background:${neutral.background}"><tr><td align="center" style="padding:16px 0">
<!--[if mso]><table role="presentation" width="600" cellspacing="0" cellpadding="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="width:100%;max-width:600px;background:${neutral.surface};border-top:4px solid ${b.accent}">
<tr><td class="card" style="padding:24px 16px 16px;font:16px/24px ${FONT};color:${neutral.text}">
${header(b)}
<p style="margin:20px 0 8px;font:16px/24px ${FONT};color:${neutral.text}">${escapeHtml(m.greeting(input.name))}</p>
<h1 style="margin:0 0 16px;font:bold 20px/28px ${FONT};color:${neutral.text}">${escapeHtml(question)}</h1>
<p style="margin:0 0 8px;font:14px/20px ${FONT};color:${neutral.muted}">${escapeHtml(m.pickScore)}</p>
${scale(input, m)}
<div style="height:32px;line-height:32px;border-bottom:1px solid #e5e7eb">&nbsp;</div>
<div style="height:16px;line-height:16px">&nbsp;</div>
${footer(input, b, m)}
</td></tr></table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body></html>`;

const text = (input: InvitationEmailInput, question: string, b: BrandView, m: Messages): string =>
  [
    m.greeting(input.name),
    '',
    question,
    '',
    `${m.pickScore} (0 = ${m.notLikely}, 10 = ${m.veryLikely})`,
    ...SCORES.map((s) => `${String(s).padStart(2)}: ${scoreUrl(input.surveyUrl, s)}`),
    '',
    '-- ',
    withBrand(m.whyThisEmail, b.brand),
    ...b.postalLines,
    `${m.unsubscribeText} ${m.unsubscribe}: ${input.unsubscribeUrl}`,
    ...(b.privacyUrl ? [`${m.privacy}: ${b.privacyUrl}`] : []),
  ].join('\n');

/**
 * The invitation e-mail: the question, the 0–10 scale as 11 links (each opens the survey page
 * with that score preselected; following a link records nothing), a plain-text part, the
 * sender's explanation, address and unsubscribe link, and RFC 8058 one-click unsubscribe headers.
 * Hand-written tables with inline styles: MJML would add ~3 MB (1 MB gzipped) to the sender for the same markup.
 */
export const renderInvitationEmail = (input: InvitationEmailInput): RenderedEmail => {
  const m = messages[input.locale];
  const b = brandView(input);
  const question = questionText(input.locale, input.brand, input.question);
  return {
    // One line whatever a stored brand holds: a line break in a subject would start a new header.
    subject: asOneLine(`${input.reminder ? m.reminderPrefix : ''}${withBrand(m.subject, input.brand)}`),
    html: html(input, question, b, m),
    text: text(input, question, b, m),
    headers: [
      { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
};
