import { brandView, neutral, type BrandView, type CampaignBranding } from '#shared/core/branding';
import { escapeHtml } from '#shared/render/html';
import { messages, questionText, withBrand, type Messages } from '#shared/render/messages';
import { COMMENT_MAX, type Locale } from '#shared/core/vocabulary';

/**
 * The customer-facing pages. They work without JavaScript and never submit by themselves:
 * only a person pressing the button records an answer.
 *
 * The scale is one row of 11 equal cells (a grid, so it never wraps unevenly); under 360 px it
 * becomes two even rows of 6 columns (0–5, 6–10), each cell 44 px or wider, and the end labels
 * stack. Cells are 48 px tall; borders are gray-500 (4.8:1 on white); the selected score takes
 * the brand colour with text chosen to meet contrast and a dark outline that shows on any colour.
 */
const styles = (b: BrandView): string => `
:root{--accent:${b.accent};--on-accent:${b.onAccent};--accent-text:${b.accentText}}
*{box-sizing:border-box}
body{margin:0;background:${neutral.surface};color:${neutral.text};font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.bar{height:4px;background:var(--accent)}
.wrap{max-width:640px;margin:0 auto;padding:16px}
.card{background:${neutral.surface}}
@media (min-width:480px){body{background:${neutral.background}}.wrap{padding:32px 24px}.card{padding:32px;border-radius:8px}}
.brand{margin:0 0 20px}.brand img{display:block;height:40px;width:auto;max-width:200px}
.brand span{font-weight:700;font-size:1.125rem;color:var(--accent-text)}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 12px}
p{margin:0 0 12px}
fieldset{border:0;padding:0;margin:0 0 20px;min-width:0}
legend{font-size:1.25rem;font-weight:700;line-height:1.35;margin:0 0 12px;padding:0}
.scale{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:4px}
.scale label{position:relative;display:flex;align-items:center;justify-content:center;min-height:48px;border:1px solid ${neutral.border};border-radius:6px;background:${neutral.surface};font-weight:600;cursor:pointer}
.scale input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.scale label:hover{border-color:${neutral.text}}
.scale label:has(input:checked){background:var(--accent);color:var(--on-accent);border:2px solid ${neutral.text}}
.scale label:has(input:focus-visible){outline:3px solid var(--accent-text);outline-offset:2px}
.ends{display:flex;flex-wrap:wrap;justify-content:space-between;column-gap:16px;margin-top:8px;font-size:.875rem;color:${neutral.muted}}
.ends span{white-space:nowrap}.ends span:last-child{margin-left:auto;text-align:right}
@media (max-width:419px){.scale{gap:3px}.scale label{font-size:.9375rem}}
@media (max-width:359px){.scale{grid-template-columns:repeat(6,minmax(0,1fr));gap:4px}.ends{flex-direction:column;gap:2px}.ends span{white-space:normal}.ends span:last-child{margin-left:0;text-align:left}}
.notice{margin:0 0 16px;padding:10px 12px;border-left:4px solid var(--accent);background:${neutral.background};font-size:.9375rem}
label.comment{display:block;font-weight:600;margin-bottom:6px}
textarea{display:block;width:100%;min-height:6em;padding:8px;font:inherit;border:1px solid ${neutral.border};border-radius:6px}
button{display:block;width:100%;min-height:48px;margin-top:20px;padding:12px 24px;font:inherit;font-weight:700;background:var(--accent);color:var(--on-accent);border:1px solid var(--accent-text);border-radius:6px;cursor:pointer}
@media (min-width:480px){button{width:auto}}
textarea:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent-text);outline-offset:2px}
.note{color:${neutral.muted};font-size:.9375rem;margin:12px 0 0}.error{color:#b00020;font-weight:600}
footer{margin-top:24px;padding-top:12px;border-top:1px solid #e5e7eb;font-size:.8125rem;color:${neutral.muted}}
@media (min-width:480px){footer{margin-top:16px;padding:0 32px;border:0}}
footer p{margin:0 0 4px}footer a{color:${neutral.muted}}
`;

const brandHeader = (b: BrandView): string =>
  `<div class="brand">${
    b.logoUrl
      ? `<img src="${escapeHtml(b.logoUrl)}" alt="${escapeHtml(b.brand)}" height="40">`
      : `<span>${escapeHtml(b.brand)}</span>`
  }</div>`;

/** Who runs the survey: the sender, its postal address and privacy policy, when the campaign gave them. */
const brandFooter = (b: BrandView, m: Messages): string => {
  const lines = [
    b.postalLines.length > 0 ? `<p>${b.postalLines.map(escapeHtml).join(', ')}</p>` : '',
    b.privacyUrl ? `<p><a href="${escapeHtml(b.privacyUrl)}">${escapeHtml(m.privacy)}</a></p>` : '',
  ].join('');
  return lines === '' ? '' : `<footer>${lines}</footer>`;
};

/** Without a campaign (an unknown link): neutral colours, no brand. */
const NO_BRAND: CampaignBranding = { brand: '' };

const layout = (locale: Locale, title: string, body: string, branding: CampaignBranding = NO_BRAND): string => {
  const b = brandView(branding);
  const m = messages[locale];
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>${styles(b)}</style></head><body>${b.brand ? '<div class="bar"></div>' : ''}<div class="wrap">
<main class="card">${b.brand ? brandHeader(b) : ''}${body}</main>
${brandFooter(b, m)}</div></body></html>`;
};

export interface SurveyPageInput extends CampaignBranding {
  readonly locale: Locale;
  readonly question?: string;
  readonly action: string;
  readonly selected?: number;
  /** The score came from a link in the e-mail: say that it is not saved until Send. */
  readonly fromLink?: boolean;
  readonly comment?: string;
  readonly answered: boolean;
  readonly error?: boolean;
}

export const surveyPage = (input: SurveyPageInput): string => {
  const m = messages[input.locale];
  const question = questionText(input.locale, input.brand, input.question);
  const radios = Array.from({ length: 11 }, (_, s) => {
    const checked = input.selected === s ? ' checked' : '';
    return `<label><input type="radio" name="score" value="${s}" required${checked}><span>${s}</span></label>`;
  }).join('');
  const notice =
    input.fromLink && input.selected !== undefined ? `<p class="notice" role="status">${escapeHtml(m.savedOnlyOnSend(input.selected))}</p>` : '';
  return layout(
    input.locale,
    question,
    `<form method="post" action="${escapeHtml(input.action)}">
<fieldset><legend>${escapeHtml(question)}</legend>
${notice}${input.error ? `<p class="error" role="alert">${escapeHtml(m.invalidAnswer)}</p>` : ''}
<div class="scale">${radios}</div>
<div class="ends"><span>0 = ${escapeHtml(m.notLikely)}</span> <span>10 = ${escapeHtml(m.veryLikely)}</span></div></fieldset>
<label class="comment" for="comment">${escapeHtml(m.commentLabel)}</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX}">${escapeHtml(input.comment ?? '')}</textarea>
${input.answered ? `<p class="note">${escapeHtml(m.changeAnswer)}</p>` : ''}
<button type="submit">${escapeHtml(m.submit)}</button>
</form>`,
    input,
  );
};

export const thankYouPage = (locale: Locale, branding?: CampaignBranding): string => {
  const m = messages[locale];
  return layout(locale, m.thanks, `<h1>${escapeHtml(m.thanks)}</h1><p>${escapeHtml(m.thanksDetail)}</p>`, branding);
};

export const notFoundPage = (locale: Locale = 'en'): string => {
  const m = messages[locale];
  return layout(locale, m.notFound, `<h1>${escapeHtml(m.notFound)}</h1><p>${escapeHtml(m.notFoundDetail)}</p>`);
};

/** A survey link past its expiry: it says so kindly, and offers nothing to submit. */
export const closedPage = (locale: Locale, branding: CampaignBranding): string => {
  const m = messages[locale];
  return layout(locale, m.closed, `<h1>${escapeHtml(m.closed)}</h1><p>${escapeHtml(withBrand(m.closedDetail, branding.brand))}</p>`, branding);
};

/** The unsubscribe page: a button, because a link scanner's GET must never opt anyone out. */
export const unsubscribePage = (locale: Locale, branding: CampaignBranding, action: string): string => {
  const m = messages[locale];
  const title = withBrand(m.unsubscribeQuestion, branding.brand);
  return layout(
    locale,
    title,
    `<h1>${escapeHtml(title)}</h1><form method="post" action="${escapeHtml(action)}">
<button type="submit">${escapeHtml(m.unsubscribeButton)}</button></form>`,
    branding,
  );
};

export const unsubscribedPage = (locale: Locale, branding: CampaignBranding): string => {
  const text = withBrand(messages[locale].unsubscribed, branding.brand);
  return layout(locale, text, `<h1>${escapeHtml(text)}</h1>`, branding);
};
