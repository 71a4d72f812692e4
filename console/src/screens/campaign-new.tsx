/**
 * Create a campaign with every option of POST /v1/campaigns, checked with the API's own
 * CampaignInput before it is sent (each wrong field says so beside it), and a live preview of what
 * the customer will get: the e-mail (HTML and its text part) or the SMS with its encoding and
 * segment count, rendered by the same code the sender uses.
 */
import { useMemo, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { CampaignInput, type CampaignView } from '#shared/contract/campaigns';
import { locales, type Locale } from '#shared/core/vocabulary';
import { renderInvitationEmail } from '#shared/render/email';
import { invitationSms, segmentsOf } from '#shared/render/sms-text';
import { api, describeFailure } from '../api.ts';
import { EmailPreview } from '../email-preview.tsx';
import { locale as uiLocale, t, type TextKey } from '../i18n.ts';

type Form = Record<(typeof fields)[number], string>;
const fields = [
  'name',
  'brand',
  'channel',
  'locale',
  'question',
  'followUpQuestion',
  'segments',
  'throttleDays',
  'sendAt',
  'reminderAfterHours',
  'windowStart',
  'windowEnd',
  'timezone',
  'defaultCountry',
  'brandColor',
  'logoUrl',
  'senderName',
  'postalAddress',
  'privacyUrl',
] as const;

const empty = (): Form => ({
  ...(Object.fromEntries(fields.map((f) => [f, ''])) as Form),
  channel: 'email',
  locale: uiLocale.value,
  throttleDays: '90',
});

const number = (value: string) => (value.trim() === '' ? undefined : Number(value));
const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The form as the API's body: empty fields left out, so the API's defaults apply. */
export const inputOf = (form: Form): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    name: form.name,
    brand: form.brand,
    channel: form.channel,
    locale: form.locale,
    question: optional(form.question),
    followUpQuestion: optional(form.followUpQuestion),
    segments: form.segments
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    throttleDays: number(form.throttleDays),
    // datetime-local has no zone: it is the person's own, written with its offset.
    sendAt: optional(form.sendAt) && !Number.isNaN(Date.parse(form.sendAt)) ? new Date(form.sendAt).toISOString() : optional(form.sendAt),
    reminderAfterHours: number(form.reminderAfterHours),
    sendWindow: optional(form.windowStart) || optional(form.windowEnd) ? { start: form.windowStart, end: form.windowEnd } : undefined,
    timezone: optional(form.timezone),
    defaultCountry: optional(form.defaultCountry),
    brandColor: optional(form.brandColor),
    logoUrl: optional(form.logoUrl),
    senderName: optional(form.senderName),
    postalAddress: optional(form.postalAddress),
    privacyUrl: optional(form.privacyUrl),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
};

/** Which form field a schema issue belongs to. */
const fieldOf = (path: readonly PropertyKey[]): string => {
  const [first, second] = path.map(String);
  if (first === 'sendWindow') return second === 'start' ? 'windowStart' : 'windowEnd';
  return first ?? 'name';
};

/** Each field's rule in words, in the person's language, whatever zod's own words were. */
const problemText = (field: string): string => {
  const key = `campaign.problem.${field}` as TextKey;
  return t(key);
};

export const problemsOf = (form: Form): ReadonlyMap<string, string> => {
  const parsed = CampaignInput.safeParse(inputOf(form));
  if (parsed.success) return new Map();
  return new Map(parsed.error.issues.map((issue) => [fieldOf(issue.path), problemText(fieldOf(issue.path))]));
};

const SAMPLE_NAME = 'Ann';

export const NewCampaignScreen = () => {
  const [form, setForm] = useState<Form>(empty);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const [state, setState] = useState<{ busy: boolean; error?: string; created?: CampaignView }>({ busy: false });
  const [, navigate] = useLocation();
  const set = (name: keyof Form, value: string) => {
    setForm((before) => ({ ...before, [name]: value }));
    // A field marked wrong is checked again as it is typed, so the mark goes when it is right.
    if (problems.size > 0) {
      const left = problemsOf({ ...form, [name]: value });
      setProblems(left);
      if (left.size === 0) setState((before) => ({ ...before, error: undefined }));
    }
  };
  const submit = async () => {
    const found = problemsOf(form);
    setProblems(found);
    if (found.size > 0) {
      setState({ busy: false, error: t('campaign.invalid') });
      document.getElementById(`campaign-${[...found.keys()][0]}`)?.focus();
      return;
    }
    setState({ busy: true });
    try {
      const created = await api('POST /v1/campaigns', { body: inputOf(form) });
      setState({ busy: false, created });
    } catch (error) {
      setState({ busy: false, error: describeFailure(error) });
    }
  };

  const field = (name: keyof Form, label: string, props: { type?: string; hint?: string; placeholder?: string; textarea?: boolean; inputMode?: string } = {}) => {
    const problem = problems.get(name);
    const id = `campaign-${name}`;
    const described = [problem && `${id}-problem`, props.hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
    const common = {
      id,
      name,
      value: form[name],
      placeholder: props.placeholder,
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': described,
      onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => set(name, e.currentTarget.value),
    };
    return (
      <div class="field">
        <label class="field-label" for={id}>
          {label}
        </label>
        {props.textarea ? <textarea rows={3} {...common} /> : <input type={props.type ?? 'text'} inputMode={props.inputMode as 'numeric' | undefined} {...common} />}
        {props.hint && (
          <span class="hint" id={`${id}-hint`}>
            {props.hint}
          </span>
        )}
        {problem && (
          <span class="field-error" id={`${id}-problem`}>
            {problem}
          </span>
        )}
      </div>
    );
  };

  if (state.created) return <Created campaign={state.created} onAnother={() => (setForm(empty()), setState({ busy: false }))} navigate={navigate} />;

  return (
    <div class="stack">
      <div class="page-head">
        <h1 class="page-title">{t('campaign.new')}</h1>
        <Link href="/campaigns" class="button button-quiet">
          {t('campaign.back')}
        </Link>
      </div>
      <div class="campaign-editor">
        <form
          class="card form"
          noValidate
          aria-label={t('campaign.new')}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {field('name', t('campaign.name'), { hint: t('campaign.nameHint') })}
          {field('brand', t('campaign.brand'), { hint: t('campaign.brandHint') })}
          <div class="form-grid">
            <div class="field">
              <label class="field-label" for="campaign-channel">
                {t('campaign.channel')}
              </label>
              <select id="campaign-channel" value={form.channel} onChange={(e) => set('channel', e.currentTarget.value)}>
                <option value="email">{t('channel.email')}</option>
                <option value="sms">{t('channel.sms')}</option>
              </select>
            </div>
            <div class="field">
              <label class="field-label" for="campaign-locale">
                {t('campaign.locale')}
              </label>
              <select id="campaign-locale" value={form.locale} onChange={(e) => set('locale', e.currentTarget.value)}>
                {locales.map((l) => (
                  <option key={l} value={l}>
                    {t(`campaign.locale.${l}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {field('question', t('campaign.question'), { textarea: true, hint: t('campaign.questionHint') })}
          {field('followUpQuestion', t('campaign.followUp'), { textarea: true, hint: t('campaign.followUpHint') })}
          {field('segments', t('campaign.segments'), { hint: t('campaign.segmentsHint'), placeholder: 'plan, region' })}
          <div class="form-grid">
            {field('throttleDays', t('campaign.throttle'), { type: 'number', inputMode: 'numeric', hint: t('campaign.throttleHint') })}
            {field('reminderAfterHours', t('campaign.reminder'), { type: 'number', inputMode: 'numeric', hint: t('campaign.reminderHint') })}
          </div>
          {field('sendAt', t('campaign.sendAt'), { type: 'datetime-local', hint: t('campaign.sendAtHint') })}
          <fieldset class="plain">
            <legend class="field-label">{t('campaign.window')}</legend>
            <div class="form-grid">
              {field('windowStart', t('campaign.windowStart'), { type: 'time' })}
              {field('windowEnd', t('campaign.windowEnd'), { type: 'time' })}
            </div>
            <span class="hint">{t('campaign.windowHint')}</span>
          </fieldset>
          <div class="form-grid">
            {field('timezone', t('campaign.timezone'), { placeholder: 'Europe/Berlin', hint: t('campaign.timezoneHint') })}
            {field('defaultCountry', t('campaign.country'), { placeholder: 'GB', hint: t('campaign.countryHint') })}
          </div>
          <details class="more">
            <summary>{t('campaign.branding')}</summary>
            <div class="form">
              {field('senderName', t('campaign.senderName'))}
              {field('brandColor', t('campaign.brandColor'), { placeholder: '#0a66c2' })}
              {field('logoUrl', t('campaign.logoUrl'), { type: 'url', placeholder: 'https://' })}
              {field('privacyUrl', t('campaign.privacyUrl'), { type: 'url', placeholder: 'https://' })}
              {field('postalAddress', t('campaign.postalAddress'), { textarea: true })}
            </div>
          </details>
          <div class="form-row">
            <button type="submit" class="button button-primary" disabled={state.busy}>
              {t('campaign.create')}
            </button>
          </div>
          {state.error && (
            <p class="field-error" role="alert">
              {state.error}
            </p>
          )}
        </form>
        <Preview form={form} />
      </div>
    </div>
  );
};

const sample = (form: Form) => ({
  brand: form.brand.trim() || t('campaign.sampleBrand'),
  locale: (locales as readonly string[]).includes(form.locale) ? (form.locale as Locale) : 'en',
  question: optional(form.question),
});

const Preview = ({ form }: { form: Form }) => {
  const { brand, locale, question } = sample(form);
  const email = useMemo(() => {
    if (form.channel !== 'email') return undefined;
    const branding = CampaignInput.pick({ brandColor: true, logoUrl: true, senderName: true, postalAddress: true, privacyUrl: true }).safeParse(
      Object.fromEntries(Object.entries(inputOf(form)).filter(([k]) => ['brandColor', 'logoUrl', 'senderName', 'postalAddress', 'privacyUrl'].includes(k))),
    );
    return renderInvitationEmail({
      brand,
      locale,
      question,
      name: SAMPLE_NAME,
      surveyUrl: 'https://example.com/s/preview',
      unsubscribeUrl: 'https://example.com/u/preview',
      ...(branding.success ? branding.data : {}),
    });
  }, [form, brand, locale, question]);
  const sms = form.channel === 'sms' ? invitationSms({ brand, locale, question }) : undefined;
  return (
    <section class="card preview" aria-labelledby="preview-title" data-testid="preview">
      <h2 class="card-title" id="preview-title">
        {t('campaign.preview')}
      </h2>
      {email && (
        <>
          <p class="small">
            <span class="muted">{t('campaign.subject')}: </span>
            <strong data-testid="email-subject">{email.subject}</strong>
          </p>
          <EmailPreview html={email.html} title={t('campaign.emailPreview')} />
          <details class="more">
            <summary>{t('campaign.textPart')}</summary>
            <pre class="text-part" data-testid="email-text">
              {email.text}
            </pre>
          </details>
        </>
      )}
      {sms && <SmsPreviewBox text={sms} />}
    </section>
  );
};

export const SmsPreviewBox = ({ text }: { text: string }) => {
  const { encoding, segments, characters } = segmentsOf(text);
  return (
    <div class="sms" data-testid="sms-preview">
      <p class="sms-bubble">{text}</p>
      <p class="small" data-testid="sms-cost">
        {t('campaign.smsCost', { encoding, segments, characters })}
      </p>
      {segments > 1 && <p class="caution">{t('campaign.smsLong', { segments })}</p>}
      {encoding === 'UCS-2' && <p class="muted small">{t('campaign.smsUnicode')}</p>}
    </div>
  );
};

const Created = ({ campaign, onAnother, navigate }: { campaign: CampaignView; onAnother: () => void; navigate: (to: string) => void }) => (
  <div class="stack">
    <h1 class="page-title">{t('campaign.created', { name: campaign.name })}</h1>
    <section class="card">
      <p role="status" class="ok">
        {t('campaign.createdLead')}
      </p>
      {campaign.smsPreview && (
        <>
          <h2 class="card-title">{t('campaign.smsAsStored')}</h2>
          <SmsPreviewBox text={campaign.smsPreview.text} />
        </>
      )}
      <div class="form-row">
        <button type="button" class="button button-primary" onClick={() => navigate(`/campaigns/${encodeURIComponent(campaign.id)}/recipients`)}>
          {t('campaigns.addRecipients')}
        </button>
        <Link href="/campaigns" class="button button-quiet">
          {t('campaign.back')}
        </Link>
        <button type="button" class="button button-quiet" onClick={onAnother}>
          {t('campaign.another')}
        </button>
      </div>
    </section>
  </div>
);
