/**
 * The follow-up inbox: open / overdue / mine / all, soonest due first, narrowed to one comment
 * theme if asked (`#/inbox/<view>/<theme>`, so a filtered inbox can be bookmarked and shared). Live: while the tab is
 * visible it asks again every 2.5 s with If-None-Match (the API answers 304 while nothing changed),
 * so a new case shows within seconds without a reload and is announced politely to screen readers.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { FollowupView, type FollowupCase, type FollowupPage } from '#shared/contract/followups';
import { ThemeId } from '#shared/core/theme-set';
import { apiIfChanged } from '../api.ts';
import { excerpt, formatRelative, isOverdue } from '../format.ts';
import { api } from '../api.ts';
import { locale, t } from '../i18n.ts';
import { Failure, Loading, useLoad } from '../load.tsx';
import { ScoreBadge, StatusBadge, ThemeBadges } from '../badges.tsx';

export const POLL_MS = 2500;
const PAGE_SIZE = 25;

const views = FollowupView.options;

/** Polls one page of one view while the page is visible; a changed ETag replaces the page. */
const useLivePage = (view: FollowupView, theme: string | undefined, cursor: string | undefined) => {
  const [page, setPage] = useState<FollowupPage | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [visible, setVisible] = useState(document.visibilityState === 'visible');
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());
  const etag = useRef<string | undefined>(undefined);
  const seen = useRef<Set<string> | undefined>(undefined);

  useEffect(() => {
    etag.current = undefined;
    seen.current = undefined;
    setPage(undefined);
    setArrived(new Set());
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      timer = undefined;
      if (document.visibilityState !== 'visible') return;
      try {
        const answer = await apiIfChanged('GET /v1/followups', { query: { view, theme, cursor, limit: PAGE_SIZE } }, etag.current);
        if (stopped) return;
        setError(undefined);
        if (!answer.unchanged) {
          etag.current = answer.etag;
          const ids = answer.body.items.map((item) => item.id);
          if (seen.current) {
            const known = seen.current;
            const fresh = ids.filter((id) => !known.has(id));
            if (fresh.length) setArrived(new Set(fresh));
          }
          seen.current = new Set([...(seen.current ?? []), ...ids]);
          setPage(answer.body);
        }
      } catch (failure) {
        if (!stopped) setError(failure);
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    const onVisibility = () => {
      const nowVisible = document.visibilityState === 'visible';
      setVisible(nowVisible);
      if (nowVisible && timer === undefined) void poll();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [view, theme, cursor]);
  return { page, error, visible, arrived };
};

/** The inbox's address for a view and a theme filter (none: every case). */
const inboxPath = (view: FollowupView, theme: string | undefined) => `/inbox/${view}${theme ? `/${encodeURIComponent(theme)}` : ''}`;

export const InboxScreen = ({ view: requested, theme: requestedTheme }: { view: string | undefined; theme?: string | undefined }) => {
  const view = views.find((v) => v === requested) ?? 'open';
  const [themeSet] = useLoad(() => api('GET /v1/themes'), []);
  const themes = themeSet.data?.themes ?? [];
  // A theme id in the address that the set no longer holds still filters (the select offers it by
  // its id), so the list and the address agree; text that cannot be a theme id is ignored.
  const theme = ThemeId.safeParse(requestedTheme).success ? requestedTheme : undefined;
  const [, navigate] = useLocation();
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([undefined]);
  useEffect(() => setCursors([undefined]), [view, theme]);
  const cursor = cursors[cursors.length - 1];
  const { page, error, visible, arrived } = useLivePage(view, theme, cursor);
  const now = Date.now();
  const themeName = (id: string) => themes.find((t) => t.id === id)?.name[locale.value] ?? id;

  return (
    <div class="stack">
      <div class="page-head">
        <h1 class="page-title">{t('inbox.title')}</h1>
        <span class={visible ? 'live' : 'live live-paused'}>{visible ? t('inbox.live') : t('inbox.paused')}</span>
      </div>
      <nav class="tabs" aria-label={t('inbox.views')}>
        {views.map((v) => (
          <Link key={v} href={inboxPath(v, theme)} class={v === view ? 'tab active' : 'tab'} aria-current={v === view ? 'page' : undefined}>
            {t(`inbox.${v}`)}
          </Link>
        ))}
      </nav>
      <div class="inline-group inbox-filter">
        <label class="field-label" for="inbox-theme">
          {t('inbox.theme')}
        </label>
        <select id="inbox-theme" data-testid="theme-filter" value={theme ?? ''} onChange={(e) => navigate(inboxPath(view, e.currentTarget.value || undefined))}>
          <option value="">{t('inbox.anyTheme')}</option>
          {themes.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name[locale.value]}
            </option>
          ))}
          {theme && !themes.some((item) => item.id === theme) && <option value={theme}>{theme}</option>}
        </select>
      </div>
      <p class="visually-hidden" aria-live="polite" role="status">
        {arrived.size > 0 ? t('inbox.newCases', { count: arrived.size }) : ''}
      </p>
      {error !== undefined && <Failure error={error} />}
      {page === undefined ? (
        error === undefined && <Loading />
      ) : page.items.length === 0 ? (
        <p class="empty">{theme ? t('inbox.empty.theme', { theme: themeName(theme) }) : t(`inbox.empty.${view}`)}</p>
      ) : (
        <ul class="cases" data-testid="inbox">
          {page.items.map((item) => (
            <CaseRow key={item.id} item={item} now={now} fresh={arrived.has(item.id)} />
          ))}
        </ul>
      )}
      {(cursors.length > 1 || page?.nextCursor) && (
        <div class="pager">
          <button type="button" class="button button-quiet" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('inbox.previous')}
          </button>
          <button type="button" class="button button-quiet" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor])}>
            {t('inbox.next')}
          </button>
        </div>
      )}
    </div>
  );
};

const CaseRow = ({ item, now, fresh }: { item: FollowupCase; now: number; fresh: boolean }) => {
  const late = item.status !== 'closed' && isOverdue(item.dueAt, now);
  const segments = Object.entries(item.segments ?? {});
  return (
    <li class={fresh ? 'case-row fresh' : 'case-row'} data-case-id={item.id}>
      <Link href={`/cases/${encodeURIComponent(item.id)}`} class="case-link">
        <ScoreBadge score={item.score} />
        <span class="case-main">
          <span class={item.comment ? 'case-comment' : 'case-comment muted'}>{item.comment ? `“${excerpt(item.comment, 140)}”` : t('inbox.noComment')}</span>
          <span class="case-meta">
            <ThemeBadges themes={item.themes} />
            {item.campaignName && <span>{item.campaignName}</span>}
            {segments.map(([k, v]) => (
              <span key={k} class="chip">
                {k}: {v}
              </span>
            ))}
          </span>
        </span>
        <span class="case-side">
          <StatusBadge status={item.status} />
          <span class={late ? 'due due-late' : 'due'}>
            {late ? t('inbox.overdueBy', { when: formatRelative(item.dueAt, now, locale.value) }) : t('inbox.due', { when: formatRelative(item.dueAt, now, locale.value) })}
          </span>
          <span class="assignee">{item.assignee ?? t('inbox.unassigned')}</span>
        </span>
      </Link>
    </li>
  );
};
