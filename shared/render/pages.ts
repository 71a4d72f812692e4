import { escapeHtml } from '#shared/render/html';
import { messages, questionText, withBrand } from '#shared/render/messages';
import { COMMENT_MAX, type Locale } from '#shared/core/vocabulary';

/**
 * The customer-facing pages. They work without JavaScript and never submit by themselves:
 * only a person pressing the button records an answer.
 */
const layout = (locale: Locale, title: string, body: string): string => `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:640px;margin:0 auto;padding:24px;color:#222}
fieldset{border:0;padding:0;margin:0 0 16px}legend{font-size:1.25rem;font-weight:600;margin-bottom:12px}
.scale{display:flex;flex-wrap:wrap;gap:4px}.scale label{flex:1 0 40px;text-align:center;border:1px solid #999;border-radius:4px;padding:10px 0;cursor:pointer}
.scale input{position:absolute;opacity:0}.scale input:checked+span{font-weight:700;text-decoration:underline}
.scale label:has(input:checked){background:#1f6feb;color:#fff;border-color:#1f6feb}
.scale input:focus-visible+span{outline:2px solid #1f6feb;outline-offset:4px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555;margin-top:4px}
textarea{width:100%;box-sizing:border-box;min-height:6em;font:inherit}
button{margin-top:16px;padding:12px 24px;font:inherit;background:#1f6feb;color:#fff;border:0;border-radius:4px;cursor:pointer}
.note{color:#555;font-size:.9rem}.error{color:#b00020}
</style></head><body>${body}</body></html>`;

export interface SurveyPageInput {
  readonly locale: Locale;
  readonly brand: string;
  readonly question?: string;
  readonly action: string;
  readonly selected?: number;
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
  return layout(
    input.locale,
    question,
    `<main><form method="post" action="${escapeHtml(input.action)}">
<fieldset><legend>${escapeHtml(question)}</legend>
${input.error ? `<p class="error" role="alert">${escapeHtml(m.invalidAnswer)}</p>` : ''}
<div class="scale">${radios}</div>
<div class="ends"><span>0 = ${escapeHtml(m.notLikely)}</span><span>10 = ${escapeHtml(m.veryLikely)}</span></div></fieldset>
<label for="comment">${escapeHtml(m.commentLabel)}</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX}">${escapeHtml(input.comment ?? '')}</textarea>
${input.answered ? `<p class="note">${escapeHtml(m.changeAnswer)}</p>` : ''}
<button type="submit">${escapeHtml(m.submit)}</button>
</form></main>`,
  );
};

export const thankYouPage = (locale: Locale): string => {
  const m = messages[locale];
  return layout(locale, m.thanks, `<main><h1>${escapeHtml(m.thanks)}</h1><p>${escapeHtml(m.thanksDetail)}</p></main>`);
};

export const notFoundPage = (locale: Locale = 'en'): string => {
  const m = messages[locale];
  return layout(locale, m.notFound, `<main><h1>${escapeHtml(m.notFound)}</h1></main>`);
};

/** A survey link past its expiry: it says so kindly, and offers nothing to submit. */
export const closedPage = (locale: Locale, brand: string): string => {
  const m = messages[locale];
  return layout(locale, m.closed, `<main><h1>${escapeHtml(m.closed)}</h1><p>${escapeHtml(withBrand(m.closedDetail, brand))}</p></main>`);
};

/** The unsubscribe page: a button, because a link scanner's GET must never opt anyone out. */
export const unsubscribePage = (locale: Locale, brand: string, action: string): string => {
  const m = messages[locale];
  const title = withBrand(m.unsubscribeQuestion, brand);
  return layout(
    locale,
    title,
    `<main><h1>${escapeHtml(title)}</h1><form method="post" action="${escapeHtml(action)}">
<button type="submit">${escapeHtml(m.unsubscribeButton)}</button></form></main>`,
  );
};

export const unsubscribedPage = (locale: Locale, brand: string): string => {
  const text = withBrand(messages[locale].unsubscribed, brand);
  return layout(locale, text, `<main><h1>${escapeHtml(text)}</h1></main>`);
};
