/**
 * The overview: NPS now with its 95% interval (and a plain warning under 30 answers), the change
 * against the previous period with its significance, promoters/passives/detractors as one bar, the
 * trend by day or week with the interval as a band, a segment table, and the closed-loop figures.
 * Filters: campaign, date range, segment attribute; checked with the API's own ScoreQuery.
 */
import { useState } from 'preact/hooks';
import { ScoreQuery, type ScoreReport } from '#shared/contract/scores';
import type { ClosedLoopStats } from '#shared/contract/followups';
import type { Score } from '#shared/core/nps';
import { api } from '../api.ts';
import { formatCount, formatDay, formatMinutes, formatNps, formatShare, shiftDay, today } from '../format.ts';
import { locale, t, tCount } from '../i18n.ts';
import { Failure, Show, useLoad } from '../load.tsx';
import { TrendChart, type TrendPoint } from '../trend-chart.tsx';

/** Fewer answers than this and the score is a hint, not a finding. */
export const ENOUGH_ANSWERS = 30;

interface Filters {
  readonly campaignId: string;
  readonly from: string;
  readonly to: string;
  readonly segment: string;
  readonly by: 'day' | 'week';
}

export const OverviewScreen = () => {
  const now = Date.now();
  const [filters, setFilters] = useState<Filters>({ campaignId: '', from: shiftDay(today(now), -29), to: today(now), segment: '', by: 'day' });
  const query = ScoreQuery.safeParse({
    from: filters.from || undefined,
    to: filters.to || undefined,
    segment: filters.segment || undefined,
    by: filters.by,
    compare: filters.from && filters.to ? 'previous' : undefined,
  });
  const [campaigns] = useLoad(() => api('GET /v1/campaigns', { query: { limit: 100 } }), []);
  const key = JSON.stringify(filters);
  const [report, reloadReport] = useLoad(async () => {
    if (!query.success) return undefined;
    const q = { ...query.data };
    return filters.campaignId ? api('GET /v1/campaigns/{id}/score', { params: { id: filters.campaignId }, query: q }) : api('GET /v1/score', { query: q });
  }, [key]);
  const [stats, reloadStats] = useLoad(
    () => api('GET /v1/followups/stats', { query: { campaignId: filters.campaignId || undefined, from: filters.from || undefined, to: filters.to || undefined } }),
    [key],
  );
  const set = (patch: Partial<Filters>) => setFilters((before) => ({ ...before, ...patch }));
  const attributes = Object.keys(report.data?.segments ?? {});

  return (
    <div class="stack">
      <h1 class="page-title">{t('overview.title')}</h1>
      <form class="filters" aria-label={t('overview.filters')} onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span class="field-label">{t('overview.campaign')}</span>
          <select value={filters.campaignId} onChange={(e) => set({ campaignId: e.currentTarget.value })}>
            <option value="">{t('overview.allCampaigns')}</option>
            {(campaigns.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('overview.from')}</span>
          <input type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => set({ from: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="field-label">{t('overview.to')}</span>
          <input type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => set({ to: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="field-label">{t('overview.segment')}</span>
          <select value={filters.segment} onChange={(e) => set({ segment: e.currentTarget.value })}>
            <option value="">{t('overview.noSegment')}</option>
            {[...new Set([...attributes, filters.segment].filter(Boolean))].map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      </form>
      {!query.success && (
        <p class="notice notice-error" role="alert">
          {t('validation.range')}
        </p>
      )}
      <Show loaded={report} retry={reloadReport}>
        {(data) =>
          data && (
            <>
              <div class="cards">
                <ScoreCard report={data} />
                <ChangeCard report={data} />
              </div>
              {stats.data && <LoopCard stats={stats.data} />}
              <MixCard score={data} />
              <TrendCard report={data} by={filters.by} onBy={(by) => set({ by })} />
              <SegmentCard report={data} segment={filters.segment} />
            </>
          )
        }
      </Show>
      {stats.state === 'failed' && stats.data === undefined && <Failure error={stats.error} retry={reloadStats} />}
    </div>
  );
};

const interval = (score: Score) =>
  score.ci95 ? t('overview.interval', { low: formatNps(score.ci95.low, locale.value), high: formatNps(score.ci95.high, locale.value) }) : '';

const ScoreCard = ({ report }: { report: ScoreReport }) => (
  <section class="card card-hero" aria-labelledby="nps-now">
    <h2 id="nps-now" class="card-title">
      {t('overview.nps')}
    </h2>
    <p class="figure" data-testid="nps">
      {formatNps(report.nps, locale.value)}
    </p>
    {report.responses === 0 ? (
      <p class="muted">{t('overview.noAnswers')}</p>
    ) : (
      <>
        <p class="figure-sub">{interval(report)}</p>
        <p class="figure-sub">{tCount('overview.answers', report.responses, { count: formatCount(report.responses, locale.value) })}</p>
        {report.responses < ENOUGH_ANSWERS && <p class="caution">{t('overview.tooFew')}</p>}
      </>
    )}
  </section>
);

const ChangeCard = ({ report }: { report: ScoreReport }) => {
  const { change, previous } = report;
  return (
    <section class="card" aria-labelledby="nps-change">
      <h2 id="nps-change" class="card-title">
        {t('overview.change')}
      </h2>
      {change && previous ? (
        <>
          <p class="figure figure-medium">{formatNps(change.delta, locale.value)}</p>
          <p class="figure-sub">
            {t('overview.changeValue', { from: formatDay(previous.from, locale.value), to: formatDay(previous.to, locale.value) })}
          </p>
          <p class={change.significant ? 'badge badge-accent' : 'badge'}>{change.significant ? t('overview.significant') : t('overview.notSignificant')}</p>
        </>
      ) : (
        <p class="muted">{t('overview.noChange')}</p>
      )}
    </section>
  );
};

const MixCard = ({ score }: { score: Score }) => {
  const total = score.responses || 1;
  const parts = [
    { key: 'promoters', n: score.promoters, label: t('overview.promoters') },
    { key: 'passives', n: score.passives, label: t('overview.passives') },
    { key: 'detractors', n: score.detractors, label: t('overview.detractors') },
  ] as const;
  return (
    <section class="card" aria-labelledby="nps-mix">
      <h2 id="nps-mix" class="card-title">
        {t('overview.mix')}
      </h2>
      <div class="mix" role="img" aria-label={t('overview.mixLabel', { promoters: score.promoters, passives: score.passives, detractors: score.detractors })}>
        {parts.map((p) => (p.n > 0 ? <span key={p.key} class={`mix-part mix-${p.key}`} style={{ width: `${(100 * p.n) / total}%` }} /> : null))}
      </div>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.key}>
            <span class={`swatch mix-${p.key}`} aria-hidden="true" />
            <span>{p.label}</span>
            <strong>{formatCount(p.n, locale.value)}</strong>
            <span class="muted">{formatShare(score.responses ? p.n / score.responses : null, locale.value)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
};

const TrendCard = ({ report, by, onBy }: { report: ScoreReport; by: 'day' | 'week'; onBy: (by: 'day' | 'week') => void }) => {
  const points: TrendPoint[] = by === 'week' ? (report.weeks ?? []).map((w) => ({ ...w, day: w.week })) : report.days;
  return (
    <section class="card" aria-labelledby="nps-trend">
      <div class="card-head">
        <h2 id="nps-trend" class="card-title">
          {t('overview.trend')}
        </h2>
        <div class="segmented" role="group" aria-label={t('overview.trend')}>
          {(['day', 'week'] as const).map((b) => (
            <button key={b} type="button" class={by === b ? 'active' : ''} aria-pressed={by === b} onClick={() => onBy(b)}>
              {b === 'day' ? t('overview.byDay') : t('overview.byWeek')}
            </button>
          ))}
        </div>
      </div>
      {points.length === 0 ? (
        <p class="muted">{t('overview.trendEmpty')}</p>
      ) : (
        <>
          <TrendChart points={points} label={t('overview.trendLabel')} from={report.from} to={report.to} />
          <details class="trend-table">
            <summary>{t('overview.trendTable')}</summary>
            <ScoreTable rows={points.map((p) => ({ label: formatDay(p.day, locale.value), score: p }))} first={t('overview.period')} caption={t('overview.trendTable')} />
          </details>
        </>
      )}
    </section>
  );
};

const ScoreTable = ({ rows, first, caption }: { rows: readonly { label: string; score: Score }[]; first: string; caption: string }) => {
  const thin = rows.some((r) => r.score.responses > 0 && r.score.responses < ENOUGH_ANSWERS);
  return (
    <>
      {/* Focusable, so a keyboard can scroll it on a phone. */}
      <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{first}</th>
              <th scope="col" class="num">
                {t('overview.npsWithInterval')}
              </th>
              <th scope="col" class="num">
                {t('overview.n')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td class="num">
                  <strong>{formatNps(r.score.nps, locale.value)}</strong>
                  {r.score.ci95 && (
                    <span class="interval">
                      {formatNps(r.score.ci95.low, locale.value)} … {formatNps(r.score.ci95.high, locale.value)}
                    </span>
                  )}
                </td>
                <td class="num">
                  {formatCount(r.score.responses, locale.value)}
                  {r.score.responses > 0 && r.score.responses < ENOUGH_ANSWERS && <span class="few"> *</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {thin && <p class="footnote">{t('overview.fewFootnote')}</p>}
    </>
  );
};

const SegmentCard = ({ report, segment }: { report: ScoreReport; segment: string }) => {
  const attributes = segment ? [segment] : Object.keys(report.segments);
  const rows = attributes.flatMap((a) =>
    Object.entries(report.segments[a] ?? {})
      .sort(([, x], [, y]) => y.responses - x.responses)
      .map(([value, score]) => ({ label: attributes.length > 1 ? `${a}: ${value}` : value, score })),
  );
  return (
    <section class="card" aria-labelledby="nps-segments">
      <h2 id="nps-segments" class="card-title">
        {t('overview.segments')}
      </h2>
      {rows.length === 0 ? <p class="muted">{t('overview.noSegments')}</p> : <ScoreTable rows={rows} first={t('overview.value')} caption={t('overview.segments')} />}
    </section>
  );
};

const LoopCard = ({ stats }: { stats: ClosedLoopStats }) => (
  <section class="card" aria-labelledby="loop" data-testid="closed-loop">
    <h2 id="loop" class="card-title">
      {t('overview.loop')}
    </h2>
    <p class="muted">{tCount('overview.loopCases', stats.cases, { count: formatCount(stats.cases, locale.value) })}</p>
    <dl class="stats">
      <div>
        <dt>{t('overview.contacted')}</dt>
        <dd data-testid="contacted-share">{formatShare(stats.contactedShare, locale.value)}</dd>
      </div>
      <div>
        <dt>{t('overview.firstAction')}</dt>
        <dd data-testid="first-action">{formatMinutes(stats.medianMinutesToFirstAction, locale.value)}</dd>
      </div>
      <div>
        <dt>{t('overview.withinSla', { hours: stats.slaHours })}</dt>
        <dd data-testid="within-sla">{formatShare(stats.closedWithinSlaShare, locale.value)}</dd>
      </div>
    </dl>
  </section>
);
