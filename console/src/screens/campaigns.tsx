/**
 * Marketing's campaigns: each with its channel and status, its counts as one progress bar, the
 * recipients left out by reason, its response rate and NPS with its interval. The list asks again
 * every few seconds while a campaign is sending and the tab is visible.
 */
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { CampaignWithCounts } from '#shared/contract/campaigns';
import type { Me } from '#shared/contract/users';
import { api } from '../api.ts';
import { formatCount, formatNps, formatShare } from '../format.ts';
import { locale, t, type TextKey } from '../i18n.ts';
import { Show, useLoad } from '../load.tsx';

export const campaigners = (me: Me): boolean => me.roles.some((role) => role === 'admin' || role === 'marketing');

export type CampaignStatus = 'scheduled' | 'sending' | 'done';

/** Scheduled: nothing has left yet and the send time is ahead; sending: invitations still wait; done: every one is settled. */
export const statusOf = (campaign: CampaignWithCounts, now: number): CampaignStatus => {
  const c = campaign.counts;
  const waiting = c.scheduled + c.queued;
  if (waiting === 0) return c.recipients === 0 && campaign.sendAt && Date.parse(campaign.sendAt) > now ? 'scheduled' : 'done';
  const started = c.sent + c.failed + c.suppressed + c.withdrawn + c.queued > 0;
  return !started && campaign.sendAt && Date.parse(campaign.sendAt) > now ? 'scheduled' : 'sending';
};

/** The parts of the bar: every accepted recipient is in exactly one of these. */
const parts = ['sent', 'queued', 'scheduled', 'failed', 'suppressed', 'withdrawn'] as const;

/** How often the list asks again: often while a campaign is sending, now and then after (answers keep coming). */
const REFRESH_MS = 3000;
const SETTLED_REFRESH_MS = 10_000;

export const CampaignsScreen = ({ me }: { me: Me }) => {
  const [campaigns, reload] = useLoad(() => api('GET /v1/campaigns', { query: { limit: 100 } }), []);
  const sending = campaigns.data?.items.some((c) => statusOf(c, Date.now()) !== 'done') ?? false;
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === 'visible' && reload(), sending ? REFRESH_MS : SETTLED_REFRESH_MS);
    return () => clearInterval(timer);
  }, [sending, reload]);
  return (
    <div class="stack">
      <div class="page-head">
        <h1 class="page-title">{t('campaigns.title')}</h1>
        {campaigners(me) && (
          <Link href="/campaigns/new" class="button button-primary">
            {t('campaigns.new')}
          </Link>
        )}
      </div>
      {sending && (
        <p class="muted small" role="status">
          {t('campaigns.live')}
        </p>
      )}
      <Show loaded={campaigns} retry={reload}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="empty">{t('campaigns.none')}</p>
          ) : (
            <ul class="campaign-list">
              {page.items.map((c) => (
                <li key={c.id}>
                  <CampaignCard campaign={c} canAdd={campaigners(me)} />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </div>
  );
};

const CampaignCard = ({ campaign, canAdd }: { campaign: CampaignWithCounts; canAdd: boolean }) => {
  const c = campaign.counts;
  const status = statusOf(campaign, Date.now());
  const [score] = useLoad(() => api('GET /v1/campaigns/{id}/score', { params: { id: campaign.id } }), [campaign.id, c.responded]);
  const n = (value: number) => formatCount(value, locale.value);
  const skips = Object.entries(c.skipped).filter(([, count]) => count > 0);
  const settled = c.recipients - c.scheduled - c.queued;
  return (
    <article class="card campaign" aria-labelledby={`campaign-${campaign.id}`} data-testid="campaign">
      <div class="card-head">
        <h2 class="campaign-name" id={`campaign-${campaign.id}`}>
          {campaign.name}
        </h2>
        <span class="inline-group">
          <span class="badge">{t(`channel.${campaign.channel}`)}</span>
          <span class={`badge campaign-${status}`} data-testid="campaign-status">
            {t(`campaigns.status.${status}`)}
          </span>
        </span>
      </div>
      <p class="muted small">{campaign.brand}</p>
      <div class="campaign-figures">
        <div>
          <p class="card-title">{t('campaigns.nps')}</p>
          <p class="figure figure-medium" data-testid="campaign-nps">
            {formatNps(score.data?.nps ?? null, locale.value)}
          </p>
          {score.data?.ci95 && score.data.responses > 0 && (
            <p class="figure-sub small">
              {t('overview.interval', { low: formatNps(score.data.ci95.low, locale.value), high: formatNps(score.data.ci95.high, locale.value) })}
            </p>
          )}
        </div>
        <div>
          <p class="card-title">{t('campaigns.responseRate')}</p>
          <p class="figure figure-medium" data-testid="campaign-rate">
            {formatShare(c.recipients ? c.responded / c.recipients : null, locale.value)}
          </p>
          <p class="figure-sub small">{t('campaigns.respondedOf', { responded: n(c.responded), recipients: n(c.recipients) })}</p>
        </div>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label={t('campaigns.progress')}
        aria-valuemin={0}
        aria-valuemax={c.recipients}
        aria-valuenow={settled}
        aria-valuetext={t('campaigns.progressText', { settled: n(settled), recipients: n(c.recipients) })}
      >
        {c.recipients > 0 &&
          parts.map((part) =>
            c[part] > 0 ? <span key={part} class={`progress-part part-${part}`} style={{ width: `${(100 * c[part]) / c.recipients}%` }} /> : null,
          )}
      </div>
      <dl class="counts" data-testid="campaign-counts">
        {(['recipients', ...parts, 'reminded', 'clicked', 'responded'] as const).map((name) => (
          <div key={name} class="count">
            <dt>
              {parts.includes(name as (typeof parts)[number]) && <span class={`swatch part-${name}`} aria-hidden="true" />}
              {t(`campaigns.count.${name}`)}
            </dt>
            <dd>{n(c[name])}</dd>
          </div>
        ))}
      </dl>
      {skips.length > 0 && (
        <div>
          <p class="card-title">{t('campaigns.skipped')}</p>
          <ul class="skips" data-testid="campaign-skips">
            {skips.map(([reason, count]) => (
              <li key={reason}>
                {skipReason(reason)}: <strong>{n(count)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
      {canAdd && (
        <div class="form-row">
          <Link href={`/campaigns/${encodeURIComponent(campaign.id)}/recipients`} class="button button-quiet">
            {t('campaigns.addRecipients')}
          </Link>
        </div>
      )}
    </article>
  );
};

/** A skip reason in words; a reason this console does not know yet is shown as the API names it. */
export const skipReason = (reason: string): string => {
  const key = `skip.${reason}` as TextKey;
  const text = t(key);
  return text === key || text === undefined ? reason : text;
};

export const useNow = (everyMs: number): number => {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
};
