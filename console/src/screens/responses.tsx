/**
 * The response feed of one campaign, newest first: score, category, comment, segment values, and
 * the contact only for roles allowed to see it (the API leaves it out for marketing). Paging uses
 * the API's cursors ("Show more"). The API filters by campaign; date range, category, segment
 * value and words in the comment narrow the answers loaded so far, and the screen says so.
 * "Download CSV" exports exactly the rows shown, formula-safe like the API's own export.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ResponseRow } from '#shared/contract/responses';
import type { Me } from '#shared/contract/users';
import { csvRow } from '#shared/render/csv';
import { api, describeFailure } from '../api.ts';
import { formatCount } from '../format.ts';
import { locale, t, tCount } from '../i18n.ts';
import { Show, useLoad } from '../load.tsx';

const PAGE = 50;

export interface FeedFilter {
  readonly from: string;
  readonly to: string;
  readonly category: string;
  readonly segment: string;
  readonly text: string;
}

const noFilter: FeedFilter = { from: '', to: '', category: '', segment: '', text: '' };

/** Whether a response is in the filtered view; `segment` is "attribute=value" or a value alone. */
export const matches = (row: ResponseRow, f: FeedFilter): boolean => {
  const day = row.answeredAt.slice(0, 10);
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  if (f.category && row.category !== f.category) return false;
  if (f.segment) {
    const [name, value] = f.segment.includes('=') ? f.segment.split('=', 2).map((s) => s.trim().toLowerCase()) : [undefined, f.segment.trim().toLowerCase()];
    if (!Object.entries(row.segments).some(([k, v]) => (name === undefined || k.toLowerCase() === name) && v.toLowerCase() === value)) return false;
  }
  if (f.text && !(row.comment ?? '').toLocaleLowerCase().includes(f.text.trim().toLocaleLowerCase())) return false;
  return true;
};

/** The rows shown, as CSV: the API export's columns; contact columns only when the rows carry contacts. */
export const feedCsv = (rows: readonly ResponseRow[], campaignName: (id: string) => string): string => {
  const segmentNames = [...new Set(rows.flatMap((r) => Object.keys(r.segments)))].sort();
  const withContact = rows.some((r) => r.contact);
  const head = ['answered_at', 'campaign', 'score', 'category', 'comment', ...segmentNames, ...(withContact ? ['email', 'phone', 'name', 'external_id'] : [])];
  return [
    csvRow(head),
    ...rows.map((r) =>
      csvRow([
        r.answeredAt,
        campaignName(r.campaignId),
        r.score,
        r.category,
        r.comment ?? '',
        ...segmentNames.map((s) => r.segments[s] ?? ''),
        ...(withContact ? [r.contact?.email, r.contact?.phone, r.contact?.name, r.contact?.externalId] : []),
      ]),
    ),
  ].join('');
};

export const ResponsesScreen = ({ me }: { me: Me }) => {
  const [campaigns, reload] = useLoad(() => api('GET /v1/campaigns', { query: { limit: 100 } }), []);
  return (
    <div class="stack">
      <h1 class="page-title">{t('feed.title')}</h1>
      <Show loaded={campaigns} retry={reload}>
        {(page) => (page.items.length === 0 ? <p class="empty">{t('campaigns.none')}</p> : <Feed campaigns={page.items} me={me} />)}
      </Show>
      {me.roles.includes('admin') && <Erase />}
    </div>
  );
};

const Feed = ({ campaigns, me }: { campaigns: readonly { id: string; name: string }[]; me: Me }) => {
  const [campaignId, setCampaignId] = useState(campaigns[0]?.id ?? '');
  const [rows, setRows] = useState<ResponseRow[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const [filter, setFilter] = useState<FeedFilter>(noFilter);
  const load = async (from: string | undefined, keep: ResponseRow[]) => {
    setState({ busy: true });
    try {
      const page = await api('GET /v1/responses', { query: { campaignId, limit: PAGE, cursor: from } });
      setRows([...keep, ...page.items]);
      setCursor(page.nextCursor);
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  useEffect(() => {
    setRows([]);
    setCursor(undefined);
    void load(undefined, []);
  }, [campaignId]);
  const shown = useMemo(() => rows.filter((r) => matches(r, filter)), [rows, filter]);
  const nameOf = (id: string) => campaigns.find((c) => c.id === id)?.name ?? id;
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([feedCsv(shown, nameOf)], { type: 'text/csv' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [shown]);
  const seesContacts = me.roles.some((r) => r === 'admin' || r === 'manager');
  const set = (name: keyof FeedFilter, value: string) => setFilter((f) => ({ ...f, [name]: value }));
  const filtered = Object.values(filter).some(Boolean);
  return (
    <>
      <form class="filters" aria-label={t('overview.filters')} onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span class="field-label">{t('overview.campaign')}</span>
          <select value={campaignId} onChange={(e) => setCampaignId(e.currentTarget.value)} data-testid="feed-campaign">
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('overview.from')}</span>
          <input type="date" value={filter.from} onInput={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('overview.to')}</span>
          <input type="date" value={filter.to} onInput={(e) => set('to', e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('feed.category')}</span>
          <select value={filter.category} onChange={(e) => set('category', e.currentTarget.value)}>
            <option value="">{t('feed.allCategories')}</option>
            <option value="promoter">{t('overview.promoters')}</option>
            <option value="passive">{t('overview.passives')}</option>
            <option value="detractor">{t('overview.detractors')}</option>
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('feed.segment')}</span>
          <input value={filter.segment} placeholder="plan=pro" onInput={(e) => set('segment', e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('feed.search')}</span>
          <input type="search" value={filter.text} onInput={(e) => set('text', e.currentTarget.value)} data-testid="feed-search" />
        </label>
      </form>
      <div class="page-head">
        <p class="muted small" role="status" data-testid="feed-count">
          {filtered
            ? t('feed.filtered', { shown: formatCount(shown.length, locale.value), loaded: formatCount(rows.length, locale.value) })
            : tCount('feed.loaded', rows.length, { count: formatCount(rows.length, locale.value) })}
          {cursor && filtered ? ` ${t('feed.filterLoadedOnly')}` : ''}
        </p>
        {href && shown.length > 0 && (
          <a class="button button-quiet" href={href} download="responses.csv" data-testid="feed-export">
            {t('feed.export')}
          </a>
        )}
      </div>
      {state.error !== undefined && (
        <div class="notice notice-error" role="alert">
          <p>{describeFailure(state.error)}</p>
          <button type="button" class="button button-quiet" onClick={() => void load(cursor, rows)}>
            {t('retry')}
          </button>
        </div>
      )}
      {shown.length === 0 && !state.busy ? (
        <p class="empty">{rows.length ? t('feed.noMatch') : t('feed.none')}</p>
      ) : (
        <ol class="feed" data-testid="feed">
          {shown.map((r) => (
            <li key={r.invitationId} class="card feed-item">
              <div class="card-head">
                <span class={`score-pill score-${r.category}`}>{t('inbox.score', { score: r.score })}</span>
                <span class="muted small">
                  {new Date(r.answeredAt).toLocaleString(locale.value, { dateStyle: 'medium', timeStyle: 'short' })} · {nameOf(r.campaignId)}
                </span>
              </div>
              <p>{r.comment ?? <span class="muted">{t('inbox.noComment')}</span>}</p>
              {Object.keys(r.segments).length > 0 && (
                <p class="inline-group">
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
        <button type="button" class="button button-quiet" onClick={() => void load(cursor, rows)}>
          {t('feed.more')}
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
