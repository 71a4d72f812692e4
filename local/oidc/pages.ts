/**
 * The local sign-in server's own pages: the sign-in form (its "interaction"), the sign-out
 * question and an error page, in English or Russian by the browser's Accept-Language. They work
 * without JavaScript, meet WCAG AA contrast (text #111827 and #4b5563 on white, the button
 * #1d4ed8 with white text) and fit a phone's width.
 */
import { escapeHtml } from '#shared/render/html';
import type { Locale } from '#shared/core/vocabulary';

const texts = {
  en: {
    title: 'Sign in to npsloop',
    intro: 'Use one of the local accounts printed when npsloop started.',
    email: 'E-mail',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'The e-mail or password is not right. Check both and try again.',
    missing: 'Enter your e-mail and password.',
    signOutTitle: 'Sign out of npsloop?',
    signOut: 'Sign out',
    stay: 'Stay signed in',
    errorTitle: 'Sign-in did not work',
    errorIntro: 'Go back to the console and sign in again.',
    expired: 'This sign-in page has expired.',
  },
  ru: {
    title: 'Вход в npsloop',
    intro: 'Используйте одну из локальных учётных записей, показанных при запуске npsloop.',
    email: 'Эл. почта',
    password: 'Пароль',
    submit: 'Войти',
    wrong: 'Неверная эл. почта или пароль. Проверьте и попробуйте ещё раз.',
    missing: 'Введите эл. почту и пароль.',
    signOutTitle: 'Выйти из npsloop?',
    signOut: 'Выйти',
    stay: 'Остаться',
    errorTitle: 'Войти не удалось',
    errorIntro: 'Вернитесь в консоль и войдите снова.',
    expired: 'Эта страница входа устарела.',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type LoginProblem = 'wrong' | 'missing';

/** The reader's language: the first of en or ru in Accept-Language by its q weight; English otherwise. */
export const readerLocale = (acceptLanguage: string | undefined): Locale => {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { language: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((entry) => entry.language === 'en' || entry.language === 'ru')?.language === 'ru' ? 'ru' : 'en';
};

const styles = `
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:420px;margin:0 auto;padding:24px 16px}
@media (min-width:480px){body{background:#f3f4f6}main{margin-top:48px;padding:32px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 8px}
p{margin:0 0 16px;color:#4b5563}
label{display:block;font-weight:600;margin:16px 0 6px}
input{display:block;width:100%;min-height:48px;padding:10px 12px;font:inherit;color:#111827;border:1px solid #6b7280;border-radius:6px}
button{display:block;width:100%;min-height:48px;margin-top:24px;padding:12px 24px;font:inherit;font-weight:700;background:#1d4ed8;color:#fff;border:1px solid #1e3a8a;border-radius:6px;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8;margin-top:12px}
input:focus-visible,button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.error{margin:16px 0 0;padding:10px 12px;border-left:4px solid #b91c1c;background:#fef2f2;color:#991b1b;font-weight:600}
`;

const layout = (locale: Locale, title: string, body: string): string => `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${styles}</style></head>
<body><main>${body}</main></body></html>`;

/** The sign-in form; after a failed try it keeps the e-mail and says what was wrong, next to the form and to screen readers. */
export const loginPage = (input: { locale: Locale; action: string; email?: string; problem?: LoginProblem }): string => {
  const t = texts[input.locale];
  const error = input.problem ? `<p class="error" id="problem" role="alert">${escapeHtml(t[input.problem])}</p>` : '';
  const described = input.problem ? ' aria-describedby="problem" aria-invalid="true"' : '';
  return layout(
    input.locale,
    t.title,
    `<h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.intro)}</p>${error}
<form method="post" action="${escapeHtml(input.action)}" novalidate>
<label for="email">${escapeHtml(t.email)}</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}"${described}${input.email ? '' : ' autofocus'}>
<label for="password">${escapeHtml(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${input.email ? ' autofocus' : ''}>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`,
  );
};

/** oidc-provider's sign-out question: `form` is its own hidden form (id `op.logoutForm`), which the buttons submit. */
export const logoutPage = (locale: Locale, form: string): string => {
  const t = texts[locale];
  return layout(
    locale,
    t.signOutTitle,
    `<h1>${escapeHtml(t.signOutTitle)}</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${escapeHtml(t.signOut)}</button>
<button class="secondary" type="submit" form="op.logoutForm">${escapeHtml(t.stay)}</button>`,
  );
};

/**
 * What went wrong in a sign-in request: the sign-in page expired (said in the reader's language),
 * or another problem (a replayed link, a bad parameter) in the provider's own English words.
 */
export const errorPage = (locale: Locale, problem: 'expired' | { readonly description: string }): string => {
  const t = texts[locale];
  const description = problem === 'expired' ? t.expired : problem.description;
  return layout(locale, t.errorTitle, `<h1>${escapeHtml(t.errorTitle)}</h1><p>${escapeHtml(t.errorIntro)}</p><p>${escapeHtml(description)}</p>`);
};
