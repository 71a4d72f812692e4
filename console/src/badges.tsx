import type { CaseTheme } from '#shared/contract/followups';
import type { FollowupStatus } from '#shared/core/vocabulary';
import { t } from './i18n.ts';

/** The customer's 0–10, coloured by category; the number is always there, so colour is never the only signal. */
export const ScoreBadge = ({ score, large }: { score: number; large?: boolean }) => {
  const kind = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
  return (
    <span class={`score score-${kind}${large ? ' score-large' : ''}`}>
      <span class="visually-hidden">{t('case.score')} </span>
      {score}
    </span>
  );
};

export const StatusBadge = ({ status }: { status: FollowupStatus }) => <span class={`badge status-${status}`}>{t(`status.${status}`)}</span>;

/** What the customer's comment talks about, named as the API names it (in the customer's language); nothing for no theme. */
export const ThemeBadges = ({ themes }: { themes: readonly CaseTheme[] | undefined }) =>
  themes?.length ? (
    <span class="chips themes" data-testid="themes">
      <span class="visually-hidden">{t('themes.label')}: </span>
      {themes.map((theme) => (
        <span key={theme.id} class="chip chip-theme" data-theme={theme.id}>
          {theme.name}
        </span>
      ))}
    </span>
  ) : null;
