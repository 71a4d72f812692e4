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
