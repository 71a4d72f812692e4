/** English or Russian, whatever the browser says; the choice is remembered on this device. */
import { locales } from '#shared/core/vocabulary';
import { chooseLocale, locale, t } from './i18n.ts';

const names = { en: 'English', ru: 'Русский' } as const;

export const LanguageSwitch = () => (
  <label class="language">
    <span class="visually-hidden">{t('language')}</span>
    <select
      value={locale.value}
      onChange={(event) => {
        const next = locales.find((l) => l === event.currentTarget.value);
        if (next) chooseLocale(next);
      }}
    >
      {locales.map((l) => (
        <option key={l} value={l} lang={l}>
          {names[l]}
        </option>
      ))}
    </select>
  </label>
);
