/**
 * The response feed, newest first, across every campaign or within one: score, category, comment,
 * themes, segment values, campaign, and the contact only for roles allowed to see it (the API
 * leaves it out for marketing). Every filter runs on the server (ResponsesQuery) and lives in the
 * page's address (`#/responses/campaignId=…&q=…`), so a reload or a shared link keeps the view.
 * "Show more" follows the API's cursors; "Download CSV" fetches the whole filtered view and writes
 * it formula-safe, like the API's own export.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import type { ResponseRow } from '#shared/contract/responses';
import type { ThemeSetView } from '#shared/contract/themes';
import type { Me } from '#shared/contract/users';
import { api, describeFailure } from '../api.ts';
import { checkFilter, feedCsv, FIELDS, filterFromPath, noFilter, pathOfFilter, type FeedFilter } from '../feed-filter.ts';
import { formatCount } from '../format.ts';
import { locale, t, tCount } from '../i18n.ts';
import { Show, useLoad } from '../load.tsx';

const PAGE = 50;
const categoryText = { promoter: 'feed.category.promoter', passive: 'feed.category.passive', detractor: 'feed.category.detractor' } as const;
/** An export reads at most this many pages of 100 (the API's CSV, with its cursors, serves more). */
const EXPORT_PAGES = 200;

export const ResponsesScreen = ({ me }: { me: Me }) => {
  const [loaded, reload] = useLoad(
    () => Promise.all([api('GET /v1/campaigns', { query: { limit: 100 } }), api('GET /v1/themes').catch(() => undefined)]),
    [],
  );
  return (
    <div class="stack">
      <h1 class="page-title">{t('feed.title')}</h1>
      <Show loaded={loaded} retry={reload}>
        {([page, themes]) => (page.items.length === 0 ? <p class="empty">{t('campaigns.none')}</p> : <Feed campaigns={page.items} themes={themes} me={me} />)}
      </Show>
      {me.roles.includes('admin') && <Erase />}
    </div>
  );
};

const download = (text: string, name: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

const Feed = ({ campaigns, themes, me }: { campaigns: readonly { id: string; name: string }[]; themes: ThemeSetView | undefined; me: Me }) => {
  const [path, navigate] = useLocation();
  const applied = useMemo(() => filterFromPath(path), [path]);
  const [draft, setDraft] = useState<FeedFilter>(applied);
  useEffect(() => setDraft(applied), [applied]);
  const checked = useMemo(() => checkFilter(applied), [applied]);
  const [rows, setRows] = useState<ResponseRow[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const [exporting, setExporting] = useState<{ rows: number; error?: unknown } | undefined>();
  const [cut, setCut] = useState(false);
  const query = checked.ok ? checked.query : undefined;
  const queryKey = JSON.stringify(query ?? null);

  const load = async (from: string | undefined, keep: ResponseRow[], current: () => boolean = () => true) => {
    if (!query) return;
    setState({ busy: true });
    try {
      const page = await api('GET /v1/responses', { query: { ...query, limit: PAGE, cursor: from } });
      if (!current()) return;
      setRows([...keep, ...page.items]);
      setCursor(page.nextCursor);
      setState({ busy: false });
    } catch (error) {
      if (current()) setState({ busy: false, error });
    }
  };
  useEffect(() => {
    let current = true;
    setRows([]);
    setCursor(undefined);
    void load(undefined, [], () => current);
    return () => {
      current = false;
    };
  }, [queryKey]);

  const apply = (next: FeedFilter) => navigate(pathOfFilter(next), { replace: true });
  const set = (name: keyof FeedFilter, value: string, now = true) => {
    const next = { ...draft, [name]: value };
    setDraft(next);
    if (now) apply(next);
  };
  const draftErrors = checked.ok ? {} : checked.errors;
  const filtered = FIELDS.some((name) => applied[name] !== '');
  const themeName = (id: string) => themes?.themes.find((th) => th.id === id)?.name[locale.value] ?? id;
  const campaignName = (r: ResponseRow) => r.campaignName ?? campaigns.find((c) => c.id === r.campaignId)?.name ?? r.campaignId;
  const seesContacts = me.roles.some((r) => r === 'admin' || r === 'manager');

  const exportCsv = async () => {
    if (!query) return;
    const all: ResponseRow[] = [];
    setExporting({ rows: 0 });
    setCut(false);
    try {
      let next: string | undefined;
      for (let page = 0; page < EXPORT_PAGES; page++) {
        const got = await api('GET /v1/responses', { query: { ...query, limit: 100, cursor: next } });
        all.push(...got.items);
        setExporting({ rows: all.length });
        next = got.nextCursor;
        if (!next) break;
      }
      download(feedCsv(all), 'responses.csv');
      setCut(next !== undefined);
      setExporting(undefined);
    } catch (error) {
      setExporting({ rows: all.length, error });
    }
  };

  const fieldError = (name: keyof FeedFilter) =>
    draftErrors[name] ? (
      <span class="field-error" id={`feed-${name}-error`}>
        {draftErrors[name]}
      </span>
    ) : null;
  const described = (name: keyof FeedFilter) => (draftErrors[name] ? { 'aria-invalid': true, 'aria-describedby': `feed-${name}-error` } : {});

  return (
    <>
      <form
        class="filters"
        aria-label={t('overview.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <label class="field">
          <span class="field-label">{t('overview.campaign')}</span>
          <select value={draft.campaignId} onChange={(e) => set('campaignId', e.currentTarget.value)} data-testid="feed-campaign">
            <option value="">{t('overview.allCampaigns')}</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('overview.from')}</span>
          <input type="date" value={draft.from} onChange={(e) => set('from', e.currentTarget.value)} {...described('from')} data-testid="feed-from" />
          {fieldError('from')}
        </label>
        <label class="field">
          <span class="field-label">{t('overview.to')}</span>
          <input type="date" value={draft.to} onChange={(e) => set('to', e.currentTarget.value)} {...described('to')} data-testid="feed-to" />
          {fieldError('to')}
        </label>
        <label class="field">
          <span class="field-label">{t('feed.category')}</span>
          <select value={draft.category} onChange={(e) => set('category', e.currentTarget.value)} data-testid="feed-category">
            <option value="">{t('feed.allCategories')}</option>
            <option value="promoter">{t('overview.promoters')}</option>
            <option value="passive">{t('overview.passives')}</option>
            <option value="detractor">{t('overview.detractors')}</option>
          </select>
        </label>
        {themes && (
          <label class="field">
            <span class="field-label">{t('feed.theme')}</span>
            <select value={draft.theme} onChange={(e) => set('theme', e.currentTarget.value)} data-testid="feed-theme">
              <option value="">{t('feed.allThemes')}</option>
              {themes.themes.map((th) => (
                <option key={th.id} value={th.id}>
                  {th.name[locale.value]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="field">
          <span class="field-label">{t('feed.segment')}</span>
          <input value={draft.segment} placeholder="plan:pro" onInput={(e) => set('segment', e.currentTarget.value, false)} {...described('segment')} data-testid="feed-segment" />
          {fieldError('segment')}
        </label>
        <label class="field field-wide">
          <span class="field-label">{t('feed.search')}</span>
          <input type="search" value={draft.q} onInput={(e) => set('q', e.currentTarget.value, false)} {...described('q')} data-testid="feed-search" />
          {fieldError('q')}
        </label>
        <div class="filter-actions">
          <button type="submit" class="button button-primary" data-testid="feed-apply">
            {t('feed.apply')}
          </button>
          {filtered && (
            <button type="button" class="button button-quiet" onClick={() => apply(noFilter)}>
              {t('feed.clear')}
            </button>
          )}
        </div>
      </form>
      <div class="page-head">
        <p class="muted small" role="status" data-testid="feed-count">
          {tCount(filtered ? 'feed.shownFiltered' : 'feed.shown', rows.length, { count: formatCount(rows.length, locale.value) })}
          {cursor ? ` ${t('feed.moreExist')}` : ''}
        </p>
        {rows.length > 0 && (
          <button type="button" class="button button-quiet" disabled={exporting !== undefined && exporting.error === undefined} onClick={() => void exportCsv()} data-testid="feed-export">
            {exporting && exporting.error === undefined ? t('feed.exporting', { count: formatCount(exporting.rows, locale.value) }) : t('feed.export')}
          </button>
        )}
      </div>
      {cut && (
        <p class="notice" role="status">
          {t('feed.exportCut', { count: formatCount(EXPORT_PAGES * 100, locale.value) })}
        </p>
      )}
      {exporting?.error !== undefined && (
        <p class="field-error" role="alert">
          {describeFailure(exporting.error)}
        </p>
      )}
      {state.error !== undefined && (
        <div class="notice notice-error" role="alert">
          <p>{describeFailure(state.error)}</p>
          <button type="button" class="button button-quiet" onClick={() => void load(cursor, rows)}>
            {t('retry')}
          </button>
        </div>
      )}
      {rows.length === 0 && !state.busy && state.error === undefined ? (
        <p class="empty" data-testid="feed-empty">
          {!checked.ok ? t('feed.fixFilters') : cursor ? t('feed.noMatchYet') : filtered ? t('feed.noMatch') : t('feed.none')}
        </p>
      ) : (
        <ol class="feed" data-testid="feed">
          {rows.map((r) => (
            <li key={r.invitationId} class="card feed-item" data-testid="feed-item">
              <div class="card-head">
                <span class="feed-score">
                  <span class={`score-pill score-${r.category}`}>{t('inbox.score', { score: r.score })}</span>
                  <span class="badge">{t(categoryText[r.category])}</span>
                </span>
                <span class="muted small">
                  <time dateTime={r.firstAnsweredAt}>{new Date(r.firstAnsweredAt).toLocaleString(locale.value, { dateStyle: 'medium', timeStyle: 'short' })}</time> · {campaignName(r)}
                </span>
              </div>
              <p>{r.comment ?? <span class="muted">{t('inbox.noComment')}</span>}</p>
              {(r.themes.length > 0 || Object.keys(r.segments).length > 0) && (
                <p class="inline-group">
                  {r.themes.map((id) => (
                    <span key={id} class="badge badge-accent">
                      {themeName(id)}
                    </span>
                  ))}
                  {Object.entries(r.segments).map(([k, v]) => (
                    <span key={k} class="badge">
                      {k}: {v}
                    </span>
                  ))}
                </p>
              )}
              {seesContacts && r.contact && (
                <p class="small" data-testid="feed-contact">
                  {[r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(' · ') || t('case.erased')}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {state.busy && (
        <p class="loading" role="status">
          {t('loading')}
        </p>
      )}
      {cursor && !state.busy && (
        <button type="button" class="button button-quiet" onClick={() => void load(cursor, rows)} data-testid="feed-more">
          {rows.length === 0 ? t('feed.lookFurther') : t('feed.more')}
        </button>
      )}
    </>
  );
};

/** Erase a contact (admin only): what goes, and what is kept, said before it happens. */
const Erase = () => {
  const [address, setAddress] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: string }>({ busy: false });
  const body = () => (address.includes('@') ? { email: address.trim() } : { phone: address.trim() });
  const erase = async () => {
    setState({ busy: true });
    try {
      const result = await api('DELETE /v1/contacts', { body: body() });
      setState({ busy: false, message: t('erase.done', { invitations: result.erased.invitations, responses: result.erased.responses, followups: result.erased.followups }) });
      setConfirming(false);
      setAddress('');
    } catch (error) {
      setState({ busy: false, error: describeFailure(error) });
    }
  };
  return (
    <section class="card form" aria-labelledby="erase-title">
      <h2 class="card-title" id="erase-title">
        {t('erase.title')}
      </h2>
      <p class="small">{t('erase.lead')}</p>
      <div class="form-row">
        <label class="field grow">
          <span class="field-label">{t('erase.address')}</span>
          <input value={address} onInput={(e) => (setAddress(e.currentTarget.value), setConfirming(false))} autocomplete="off" />
        </label>
        <button type="button" class="button button-quiet" disabled={address.trim() === ''} onClick={() => setConfirming(true)}>
          {t('erase.start')}
        </button>
      </div>
      {confirming && (
        <div class="notice" role="alertdialog" aria-labelledby="erase-confirm">
          <p id="erase-confirm">{t('erase.confirm', { address: address.trim() })}</p>
          <div class="form-row">
            <button type="button" class="button button-danger" disabled={state.busy} onClick={() => void erase()}>
              {t('erase.yes')}
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              {t('erase.no')}
            </button>
          </div>
        </div>
      )}
      {state.message && (
        <p class="ok" role="status">
          {state.message}
        </p>
      )}
      {state.error && (
        <p class="field-error" role="alert">
          {state.error}
        </p>
      )}
    </section>
  );
};
