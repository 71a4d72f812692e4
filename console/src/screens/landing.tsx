/** The calm page before signing in: what this is, and one button. */
import { LanguageSwitch } from '../language-switch.tsx';
import { t } from '../i18n.ts';
import { Logo } from '../logo.tsx';

export const Landing = ({ onSignIn, problem }: { onSignIn?: () => void; problem?: string }) => (
  <div class="landing">
    <header class="landing-top">
      <LanguageSwitch />
    </header>
    <main class="landing-card">
      <Logo />
      <h1 class="landing-title">{t('app.tagline')}</h1>
      <p class="landing-lead">{t('signin.lead')}</p>
      {problem && (
        <p class="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {onSignIn && (
        <button type="button" class="button button-primary button-large" onClick={onSignIn}>
          {t('signin.button')}
        </button>
      )}
    </main>
  </div>
);
