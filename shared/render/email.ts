import { asOneLine } from '#shared/core/control-characters';
import { escapeHtml } from '#shared/render/html';
import { messages, questionText, withBrand } from '#shared/render/messages';
import type { Locale } from '#shared/core/vocabulary';

export interface InvitationEmailInput {
  readonly brand: string;
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

/**
 * The invitation e-mail: the question, the 0–10 scale as 11 links (each opens the survey page
 * with that score preselected; following a link records nothing), a plain-text part, and
 * RFC 8058 one-click unsubscribe headers next to a visible unsubscribe link.
 */
export const renderInvitationEmail = (input: InvitationEmailInput): RenderedEmail => {
  const m = messages[input.locale];
  const question = questionText(input.locale, input.brand, input.question);
  const cell = (score: number) =>
    `<td style="padding:2px"><a href="${escapeHtml(scoreUrl(input.surveyUrl, score))}" ` +
    `aria-label="${score} / 10" style="display:block;min-width:32px;padding:10px 0;text-align:center;` +
    `font:bold 16px sans-serif;color:#fff;background:${score <= 6 ? '#d9534f' : score <= 8 ? '#f0ad4e' : '#5cb85c'};` +
    `border-radius:4px;text-decoration:none">${score}</a></td>`;
  const html = `<!doctype html>
<html lang="${input.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(question)}</title></head>
<body style="margin:0;padding:24px;font-family:sans-serif;color:#222">
<p>${escapeHtml(m.greeting(input.name))}</p>
<h1 style="font-size:20px">${escapeHtml(question)}</h1>
<table role="presentation" cellspacing="0" cellpadding="0"><tr>${SCORES.map(cell).join('')}</tr></table>
<table role="presentation" width="100%" style="max-width:440px;font-size:12px;color:#555"><tr>
<td align="left">0 = ${escapeHtml(m.notLikely)}</td><td align="right">10 = ${escapeHtml(m.veryLikely)}</td></tr></table>
<p style="margin-top:32px;font-size:12px;color:#777">${escapeHtml(m.unsubscribeText)}
<a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#777">${escapeHtml(m.unsubscribe)}</a></p>
</body></html>`;
  const text = [
    m.greeting(input.name),
    '',
    question,
    '',
    `${m.pickScore} (0 = ${m.notLikely}, 10 = ${m.veryLikely})`,
    ...SCORES.map((s) => `${s}: ${scoreUrl(input.surveyUrl, s)}`),
    '',
    `${m.unsubscribeText} ${input.unsubscribeUrl}`,
  ].join('\n');
  return {
    // One line whatever a stored brand holds: a line break in a subject would start a new header.
    subject: asOneLine(`${input.reminder ? m.reminderPrefix : ''}${withBrand(m.subject, input.brand)}`),
    html,
    text,
    headers: [
      { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
};
