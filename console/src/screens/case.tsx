/**
 * One case: who answered what, their details and earlier answers, the timeline, and the work on it:
 * assign, note, status, close with a reason, and reply on the customer's own channel (Reply & close
 * in one step). Every form is checked with the API's own schema before it is sent; reply and note
 * drafts stay on this device until sent, and a reply carries its draft's Idempotency-Key.
 */
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { FollowupPatch, ReplyInput, type FollowupDetail, type TimelineEntry } from '#shared/contract/followups';
import type { Me } from '#shared/contract/users';
import { closeReasons, FollowupStatus, type CloseReason } from '#shared/core/vocabulary';
import { api, describeFailure } from '../api.ts';
import { ScoreBadge, StatusBadge, ThemeBadges } from '../badges.tsx';
import { forgetDraft, readDraft, writeDraft, type DraftKind } from '../drafts.ts';
import { formatDateTime, formatRelative, formatTime, isOverdue } from '../format.ts';
import { locale, t } from '../i18n.ts';
import { Show, useLoad } from '../load.tsx';

export const CaseScreen = ({ id, me }: { id: string; me: Me }) => {
  const [detail, reload] = useLoad(() => api('GET /v1/followups/{id}', { params: { id } }), [id]);
  const [users] = useLoad(() => api('GET /v1/users'), []);
  const caseworkers = (users.data?.items ?? []).filter((u) => u.roles.includes('manager') || u.roles.includes('admin')).map((u) => u.email);
  return (
    <div class="stack">
      <Link href="/inbox" class="back">
        ← {t('case.back')}
      </Link>
      <Show loaded={detail} retry={reload}>
        {(c) => <CaseView key={c.id} c={c} me={me} caseworkers={caseworkers} reload={reload} />}
      </Show>
    </div>
  );
};

/** The API recorded the reply, but nothing reached the customer: said as an error, not as "sent". */
class DeliveryFailed extends Error {}

/** A small state machine for one form: idle, busy (buttons off: a double click sends once), done or failed. */
const useAction = () => {
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: string }>({ busy: false });
  const run = async (work: () => Promise<string | undefined>) => {
    if (state.busy) return;
    setState({ busy: true });
    try {
      setState({ busy: false, message: await work() });
    } catch (error) {
      setState({ busy: false, error: error instanceof DeliveryFailed ? t('case.failed') : describeFailure(error) });
    }
  };
  const fail = (error: string) => setState({ busy: false, error });
  return { ...state, run, fail };
};

const useDraft = (caseId: string, kind: DraftKind) => {
  const [draft, setDraft] = useState(() => readDraft(localStorage, caseId, kind) ?? { text: '', idempotencyKey: '' });
  return {
    draft,
    write: (text: string) => setDraft(writeDraft(localStorage, caseId, kind, text, () => crypto.randomUUID())),
    forget: () => {
      forgetDraft(localStorage, caseId, kind);
      setDraft({ text: '', idempotencyKey: '' });
    },
  };
};

const Outcome = ({ message, error }: { message?: string; error?: string }) => (
  <>
    {message && (
      <p class="ok" role="status">
        {message}
      </p>
    )}
    {error && (
      <p class="field-error" role="alert">
        {error}
      </p>
    )}
  </>
);

/** The first problem zod found, in the person's words where we have them. */
const issueText = (issues: readonly { code: string; path: readonly PropertyKey[]; message: string; maximum?: unknown }[]): string => {
  const first = issues[0];
  if (!first) return '';
  if (first.code === 'too_small') return t('validation.required');
  if (first.code === 'too_big') return t('validation.tooLong', { max: String(first.maximum ?? '') });
  if (first.path.includes('closeReason') || first.path.includes('close')) return t('validation.reason');
  return t('validation.field', { message: first.message });
};

const CaseView = ({ c, me, caseworkers, reload }: { c: FollowupDetail; me: Me; caseworkers: readonly string[]; reload: () => void }) => {
  const now = Date.now();
  const closed = c.status === 'closed';
  const late = !closed && isOverdue(c.dueAt, now);
  const segments = Object.entries(c.segments ?? {});
  const contact = c.contact;
  const hasContact = Boolean(contact.name || contact.email || contact.phone);
  return (
    <>
      <header class="case-head">
        <ScoreBadge score={c.score} large />
        <div>
          <h1 class="page-title">
            {t('case.title')}
            {contact.name ? `: ${contact.name}` : ''}
          </h1>
          <p class="case-head-meta">
            <StatusBadge status={c.status} />
            {c.closeReason && <span>{t('case.closed', { reason: t(`reason.${c.closeReason}`) })}</span>}
            {c.campaignName && <span>{c.campaignName}</span>}
            {!closed && (
              <span class={late ? 'due due-late' : 'due'}>
                {late ? t('inbox.overdueBy', { when: formatRelative(c.dueAt, now, locale.value) }) : t('inbox.due', { when: formatRelative(c.dueAt, now, locale.value) })}
              </span>
            )}
            <span>
              {t('case.assignee')}: <strong data-testid="assignee">{c.assignee ?? t('inbox.unassigned')}</strong>
            </span>
          </p>
        </div>
      </header>
      <div class="case-grid">
        <div class="stack case-facts">
          <section class="card order-1" aria-labelledby="comment">
            <h2 id="comment" class="card-title">
              {t('case.comment')}
            </h2>
            {c.comment ? <blockquote class="quote">{c.comment}</blockquote> : <p class="muted">{t('case.noComment')}</p>}
            <ThemeBadges themes={c.themes} />
            {segments.length > 0 && (
              <p class="chips" aria-label={t('case.segments')}>
                {segments.map(([k, v]) => (
                  <span key={k} class="chip">
                    {k}: {v}
                  </span>
                ))}
              </p>
            )}
          </section>
          <section class="card order-2" aria-labelledby="contact">
            <h2 id="contact" class="card-title">
              {t('case.contact')}
            </h2>
            {hasContact ? (
              <dl class="facts">
                {contact.name && (
                  <div>
                    <dt>{t('case.name')}</dt>
                    <dd>{contact.name}</dd>
                  </div>
                )}
                {contact.email && (
                  <div>
                    <dt>{t('channel.email')}</dt>
                    <dd>
                      <a href={`mailto:${contact.email}`}>{contact.email}</a>
                    </dd>
                  </div>
                )}
                {contact.phone && (
                  <div>
                    <dt>{t('channel.sms')}</dt>
                    <dd>
                      <a href={`tel:${contact.phone}`}>{contact.phone}</a>
                    </dd>
                  </div>
                )}
              </dl>
            ) : (
              <p class="muted">{t('case.erased')}</p>
            )}
          </section>
          <section class="card order-7" aria-labelledby="earlier">
            <h2 id="earlier" class="card-title">
              {t('case.earlier')}
            </h2>
            {c.earlierAnswers.length === 0 ? (
              <p class="muted">{t('case.noEarlier')}</p>
            ) : (
              <ul class="earlier">
                {c.earlierAnswers.map((a) => (
                  <li key={`${a.campaignId}-${a.answeredAt}`}>
                    <ScoreBadge score={a.score} />
                    <span>
                      <span class="muted">
                        {formatDateTime(a.answeredAt, locale.value)}
                        {a.campaignName ? ` · ${a.campaignName}` : ''}
                      </span>
                      {a.comment && <span class="earlier-comment">“{a.comment}”</span>}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="card order-8" aria-labelledby="timeline">
            <h2 id="timeline" class="card-title">
              {t('case.timeline')}
            </h2>
            <ol class="timeline" data-testid="timeline">
              {c.timeline.map((entry, index) => (
                <TimelineItem key={`${entry.at}-${index}`} entry={entry} />
              ))}
            </ol>
          </section>
        </div>
        <div class="stack case-actions">
          <ReplyBox c={c} me={me} reload={reload} />
          <AssignBox c={c} me={me} caseworkers={caseworkers} reload={reload} />
          <NoteBox c={c} reload={reload} />
          <StatusBox c={c} reload={reload} />
        </div>
      </div>
    </>
  );
};

const TimelineItem = ({ entry }: { entry: TimelineEntry }) => {
  const what = (() => {
    switch (entry.type) {
      case 'opened':
        return t('timeline.opened', { score: entry.score });
      case 'assignee':
        return entry.assignee ? t('timeline.assignee', { assignee: entry.assignee }) : t('timeline.unassigned');
      case 'note':
        return t('timeline.note');
      case 'status':
        return entry.status === 'closed' && entry.closeReason
          ? t('timeline.statusClosed', { reason: t(`reason.${entry.closeReason}`) })
          : t('timeline.status', { status: t(`status.${entry.status}`) });
      case 'reply':
        if (entry.delivery === 'failed') return t('timeline.replyFailed');
        return entry.delivery === 'held' && entry.heldUntil
          ? t('timeline.replyHeld', { time: formatDateTime(entry.heldUntil, locale.value) })
          : t(`timeline.reply.${entry.channel}`);
      case 'comment':
        return t('timeline.comment');
      case 'escalated':
        return t('timeline.escalated');
    }
  })();
  const body = entry.type === 'note' || entry.type === 'reply' || entry.type === 'comment' ? entry.text : undefined;
  return (
    <li class={`timeline-item timeline-${entry.type}${entry.type === 'reply' && entry.delivery === 'failed' ? ' timeline-failed' : ''}`}>
      <span class="timeline-dot" aria-hidden="true" />
      <div>
        <p class="timeline-what">{what}</p>
        {body && <p class="timeline-text">{body}</p>}
        <p class="timeline-when">
          <time dateTime={entry.at}>{formatDateTime(entry.at, locale.value)}</time> · {entry.by ? t('timeline.by', { who: entry.by }) : t('timeline.system')}
        </p>
      </div>
    </li>
  );
};

const ReasonSelect = ({ id, value, onChange }: { id: string; value: CloseReason | ''; onChange: (r: CloseReason | '') => void }) => (
  <select id={id} value={value} onChange={(e) => onChange(closeReasons.find((r) => r === e.currentTarget.value) ?? '')}>
    <option value="">{t('case.chooseReason')}</option>
    {closeReasons.map((r) => (
      <option key={r} value={r}>
        {t(`reason.${r}`)}
      </option>
    ))}
  </select>
);

const ReplyBox = ({ c, me, reload }: { c: FollowupDetail; me: Me; reload: () => void }) => {
  const { draft, write, forget } = useDraft(c.id, 'reply');
  const action = useAction();
  const [reason, setReason] = useState<CloseReason | ''>('resolved');
  const channel = c.reply.channel ?? c.channel;
  const address = channel === 'sms' ? c.contact.phone : c.contact.email;
  const send = (close: boolean) => {
    const input = ReplyInput.safeParse({ text: draft.text, close: close ? reason || undefined : undefined });
    if (!input.success) return action.fail(issueText(input.error.issues));
    if (close && !reason) return action.fail(t('validation.reason'));
    return action.run(async () => {
      const result = await api('POST /v1/followups/{id}/replies', {
        params: { id: c.id },
        body: input.data,
        headers: { 'idempotency-key': draft.idempotencyKey },
      });
      forget();
      reload();
      const reply = result.reply;
      if (reply.type === 'reply' && reply.delivery === 'failed') throw new DeliveryFailed();
      return reply.type === 'reply' && reply.delivery === 'held' && reply.heldUntil ? t('case.held', { time: formatTime(reply.heldUntil, locale.value) }) : t('case.sent');
    });
  };
  return (
    <section class="card card-accent order-3" aria-labelledby="reply">
      <h2 id="reply" class="card-title">
        {t('case.reply')}
      </h2>
      {!c.reply.allowed ? (
        <p class="notice" data-testid="reply-blocked">
          {t(`case.blocked.${c.reply.blockedBy ?? 'no_address'}`)}
        </p>
      ) : (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void send(false);
          }}
        >
          <p class="muted" id="reply-how">
            {channel === 'sms' ? t('case.replyVia.sms', { address: address ?? '' }) : t('case.replyVia.email', { address: address ?? '', me: me.email ?? '' })}
          </p>
          <label class="visually-hidden" for="reply-text">
            {t('case.reply')}
          </label>
          <textarea id="reply-text" rows={5} maxLength={1000} value={draft.text} aria-describedby="reply-how reply-draft" onInput={(e) => write(e.currentTarget.value)} />
          <p class="small muted" id="reply-draft">
            {t('case.draftKept')}
          </p>
          <div class="form-row">
            <button type="submit" class="button button-primary" disabled={action.busy}>
              {action.busy ? t('case.sending') : t('case.send')}
            </button>
            {c.status !== 'closed' && (
              <span class="inline-group">
                <button type="button" class="button" disabled={action.busy} onClick={() => void send(true)}>
                  {t('case.sendClose')}
                </button>
                <label class="visually-hidden" for="reply-reason">
                  {t('case.closeReason')}
                </label>
                <ReasonSelect id="reply-reason" value={reason} onChange={setReason} />
              </span>
            )}
          </div>
          <Outcome message={action.message} error={action.error} />
        </form>
      )}
    </section>
  );
};

/** Checks a change with the API's own schema, sends it, then `after` (forget a draft) and a reload of the case. */
const changeCase = (action: ReturnType<typeof useAction>, id: string, input: unknown, reload: () => void, after?: () => void) => {
  const body = FollowupPatch.safeParse(input);
  if (!body.success) return action.fail(issueText(body.error.issues));
  return action.run(async () => {
    await api('PATCH /v1/followups/{id}', { params: { id }, body: body.data });
    after?.();
    reload();
    return t('case.saved');
  });
};

const AssignBox = ({ c, me, caseworkers, reload }: { c: FollowupDetail; me: Me; caseworkers: readonly string[]; reload: () => void }) => {
  const action = useAction();
  const [to, setTo] = useState(c.assignee ?? '');
  useEffect(() => setTo(c.assignee ?? ''), [c.assignee]);
  const people = [...new Set([...caseworkers, ...(c.assignee ? [c.assignee] : []), ...(me.email ? [me.email] : [])])].sort();
  const assign = (assignee: string | null) => changeCase(action, c.id, { assignee }, reload);
  return (
    <section class="card order-4" aria-labelledby="assign">
      <h2 id="assign" class="card-title">
        {t('case.assignee')}
      </h2>
      <div class="form">
        {me.email && c.assignee !== me.email && (
          <button type="button" class="button" disabled={action.busy} onClick={() => void assign(me.email ?? null)}>
            {t('case.assignToMe')}
          </button>
        )}
        <div class="form-row">
          <label class="field grow">
            <span class="field-label">{t('case.assignTo')}</span>
            <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
              <option value="">{t('case.nobody')}</option>
              {people.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="button button-quiet" disabled={action.busy || to === (c.assignee ?? '')} onClick={() => void assign(to || null)}>
            {t('case.assign')}
          </button>
        </div>
        <Outcome message={action.message} error={action.error} />
      </div>
    </section>
  );
};

const NoteBox = ({ c, reload }: { c: FollowupDetail; reload: () => void }) => {
  const { draft, write, forget } = useDraft(c.id, 'note');
  const action = useAction();
  const add = () => changeCase(action, c.id, { note: draft.text }, reload, forget);
  return (
    <section class="card order-5" aria-labelledby="note">
      <h2 id="note" class="card-title">
        {t('case.note')}
      </h2>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label class="visually-hidden" for="note-text">
          {t('case.note')}
        </label>
        <textarea id="note-text" rows={3} maxLength={2000} placeholder={t('case.notePlaceholder')} value={draft.text} onInput={(e) => write(e.currentTarget.value)} />
        <div class="form-row">
          <button type="submit" class="button" disabled={action.busy}>
            {t('case.addNote')}
          </button>
        </div>
        <Outcome message={action.message} error={action.error} />
      </form>
    </section>
  );
};

const StatusBox = ({ c, reload }: { c: FollowupDetail; reload: () => void }) => {
  const action = useAction();
  const [status, setStatus] = useState(c.status);
  useEffect(() => setStatus(c.status), [c.status]);
  const [reason, setReason] = useState<CloseReason | ''>('');
  const save = (next: FollowupStatus, closeReason?: CloseReason) => {
    if (next === 'closed' && !closeReason) return action.fail(t('validation.reason'));
    return changeCase(action, c.id, { status: next, closeReason }, reload);
  };
  return (
    <section class="card order-6" aria-labelledby="status">
      <h2 id="status" class="card-title">
        {t('case.status')}
      </h2>
      <div class="form">
        <div class="form-row">
          <label class="field grow">
            <span class="field-label">{t('case.changeStatus')}</span>
            <select value={status} onChange={(e) => setStatus(FollowupStatus.options.find((s) => s === e.currentTarget.value) ?? c.status)}>
              {FollowupStatus.options
                .filter((s) => s !== 'closed')
                .map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
            </select>
          </label>
          <button type="button" class="button button-quiet" disabled={action.busy || status === c.status} onClick={() => void save(status)}>
            {t('case.setStatus')}
          </button>
        </div>
        {c.status !== 'closed' && (
          <div class="form-row">
            <label class="field grow" for="close-reason">
              <span class="field-label">{t('case.close')}</span>
              <ReasonSelect id="close-reason" value={reason} onChange={setReason} />
            </label>
            <button type="button" class="button" disabled={action.busy} onClick={() => void save('closed', reason || undefined)}>
              {t('case.closeButton')}
            </button>
          </div>
        )}
        <Outcome message={action.message} error={action.error} />
      </div>
    </section>
  );
};
