import { t } from './i18n.ts';

export const Logo = () => (
  <span class="logo">
    <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M9 21l5-6 4 3 5-7" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
    <span class="logo-name">{t('app.name')}</span>
  </span>
);
