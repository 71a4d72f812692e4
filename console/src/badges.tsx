import { useEffect, useState } from 'preact/hooks';
import type { CaseTheme } from '#shared/contract/followups';
import type { ThemeSetView } from '#shared/contract/themes';
import type { FollowupStatus } from '#shared/core/vocabulary';
import { api } from './api.ts';
import { locale, t } from './i18n.ts';

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

let themeSet: Promise<ThemeSetView | undefined> | undefined;

/** The theme set, read once per page load and shared by every badge (undefined until it arrives, or if it cannot be read). */
const useThemeSet = (): ThemeSetView | undefined => {
  const [set, setSet] = useState<ThemeSetView>();
  useEffect(() => {
    let live = true;
    void (themeSet ??= api('GET /v1/themes').catch(() => undefined)).then((read) => {
      if (live && read) setSet(read);
    });
    return () => {
      live = false;
    };
  }, []);
  return set;
};

/**
 * What the customer's comment talks about, named in the console's language (the API names a
 * case's themes in the customer's, which is the fallback until the theme set is read); nothing for no theme.
 */
export const ThemeBadges = ({ themes }: { themes: readonly CaseTheme[] | undefined }) => {
  const set = useThemeSet();
  if (!themes?.length) return null;
  const nameOf = (theme: CaseTheme) => set?.themes.find((item) => item.id === theme.id)?.name[locale.value] ?? theme.name;
  return (
    <span class="chips themes" data-testid="themes">
      <span class="visually-hidden">{t('themes.label')}: </span>
      {themes.map((theme) => (
        <span key={theme.id} class="chip chip-theme" data-theme={theme.id}>
          {nameOf(theme)}
        </span>
      ))}
    </span>
  );
};
