/**
 * Add recipients to a campaign from a CSV file: the whole file is checked in the page first (with
 * line numbers), then sent in chunks of up to 1,000 rows, each with its Idempotency-Key, under a
 * progress bar; the end shows the accepted total, the skips by reason, and the skipped rows as a
 * CSV to download. Starting again after a reload adds nobody twice: the keys replay.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, describeFailure } from '../api.ts';
import { checkFile, chunkKeys, FileRefused, skippedCsv, startTally, tallyChunk, type CheckedFile, type FileProblem, type UploadTally } from '../csv-upload.ts';
import { describeRow, refusal } from '../upload-texts.ts';
import { formatCount } from '../format.ts';
import { locale, t, tCount } from '../i18n.ts';
import { Show, useLoad } from '../load.tsx';
import { skipReason } from './campaigns.tsx';

type Step =
  | { readonly kind: 'choose' }
  | { readonly kind: 'checking'; readonly share: number }
  | { readonly kind: 'refused'; readonly problem: FileProblem }
  | { readonly kind: 'checked'; readonly file: CheckedFile }
  | { readonly kind: 'uploading'; readonly file: CheckedFile; readonly tally: UploadTally }
  | { readonly kind: 'stopped'; readonly file: CheckedFile; readonly tally: UploadTally; readonly next: number; readonly error: string }
  | { readonly kind: 'done'; readonly file: CheckedFile; readonly tally: UploadTally; readonly seconds: number };

const SHOWN_INVALID = 20;

export const RecipientsScreen = ({ id }: { id: string }) => {
  const [campaign, reload] = useLoad(() => api('GET /v1/campaigns/{id}', { params: { id } }), [id]);
  return (
    <div class="stack">
      <div class="page-head">
        <h1 class="page-title">{t('upload.title')}</h1>
        <Link href="/campaigns" class="button button-quiet">
          {t('campaign.back')}
        </Link>
      </div>
      <Show loaded={campaign} retry={reload}>
        {(c) => (
          <>
            <p class="lead">{t('upload.lead', { name: c.name })}</p>
            <Upload campaignId={c.id} />
          </>
        )}
      </Show>
    </div>
  );
};

const n = (value: number) => formatCount(value, locale.value);

const Upload = ({ campaignId }: { campaignId: string }) => {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const started = useRef(0);
  const choose = async (chosen: File | undefined) => {
    if (!chosen) return;
    setStep({ kind: 'checking', share: 0 });
    try {
      const file = await checkFile(chosen, (share) => setStep({ kind: 'checking', share }), describeRow);
      setStep({ kind: 'checked', file });
    } catch (error) {
      if (error instanceof FileRefused) setStep({ kind: 'refused', problem: error.problem });
      else setStep({ kind: 'refused', problem: { kind: 'unreadable', message: String(error) } });
    }
  };
  const send = async (file: CheckedFile, from: number, before: UploadTally) => {
    if (from === 0) started.current = performance.now();
    const keys = await chunkKeys(campaignId, file);
    let tally = before;
    setStep({ kind: 'uploading', file, tally });
    for (let i = from; i < file.chunks.length; i++) {
      const chunk = file.chunks[i]!;
      try {
        const result = await api('POST /v1/campaigns/{id}/recipients', {
          params: { id: campaignId },
          headers: { 'idempotency-key': keys[i]! },
          body: { recipients: chunk.rows.map((row) => row.recipient) },
        });
        tally = tallyChunk(tally, chunk, result);
        setStep({ kind: 'uploading', file, tally });
      } catch (error) {
        setStep({ kind: 'stopped', file, tally, next: i, error: describeFailure(error) });
        return;
      }
    }
    setStep({ kind: 'done', file, tally, seconds: (performance.now() - started.current) / 1000 });
  };

  return (
    <section class="card form" aria-labelledby="upload-file">
      <h2 class="card-title" id="upload-file">
        {t('upload.file')}
      </h2>
      <p class="small muted">{t('upload.rules')}</p>
      {(step.kind === 'choose' || step.kind === 'checking' || step.kind === 'refused' || step.kind === 'checked') && (
        <div class="field">
          <label class="field-label" for="upload-input">
            {t('upload.choose')}
          </label>
          <input id="upload-input" type="file" accept=".csv,text/csv" disabled={step.kind === 'checking'} onChange={(e) => void choose(e.currentTarget.files?.[0])} />
        </div>
      )}
      {step.kind === 'checking' && <Bar label={t('upload.checking')} value={step.share} max={1} text={t('upload.checking')} />}
      {step.kind === 'refused' && (
        <div class="notice notice-error" role="alert" data-testid="upload-refused">
          <p>{refusal(step.problem)}</p>
        </div>
      )}
      {step.kind === 'checked' && <Checked file={step.file} onSend={() => void send(step.file, 0, startTally(step.file))} />}
      {(step.kind === 'uploading' || step.kind === 'stopped' || step.kind === 'done') && (
        <>
          <Bar
            label={t('upload.progress')}
            value={step.tally.done}
            max={step.tally.total}
            text={t('upload.progressText', { done: n(step.tally.done), total: n(step.tally.total) })}
          />
          {step.kind === 'stopped' && (
            <div class="notice notice-error" role="alert">
              <p>{t('upload.stopped', { error: step.error })}</p>
              <button type="button" class="button button-quiet" onClick={() => void send(step.file, step.next, step.tally)}>
                {t('retry')}
              </button>
            </div>
          )}
          {step.kind === 'done' && <Result file={step.file} tally={step.tally} seconds={step.seconds} onAnother={() => setStep({ kind: 'choose' })} />}
        </>
      )}
    </section>
  );
};

const Bar = ({ label, value, max, text }: { label: string; value: number; max: number; text: string }) => (
  <div class="upload-progress">
    <div class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={text} data-testid="upload-progress">
      <span class="progress-part part-sent" style={{ width: `${max ? (100 * value) / max : 0}%` }} />
    </div>
    <p class="small" aria-live="polite">
      {text}
    </p>
  </div>
);

const Checked = ({ file, onSend }: { file: CheckedFile; onSend: () => void }) => (
  <div class="stack" data-testid="upload-checked">
    <p role="status">
      {tCount('upload.ready', file.rows.length, { count: n(file.rows.length) })}{' '}
      {file.invalid.length > 0 && tCount('upload.invalidCount', file.invalid.length, { count: n(file.invalid.length) })}
    </p>
    {file.invalid.length > 0 && (
      <div class="table-scroll" tabIndex={0} role="region" aria-label={t('upload.invalidTitle')}>
        <table class="table">
          <caption class="visually-hidden">{t('upload.invalidTitle')}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t('upload.line')}
              </th>
              <th scope="col">{t('upload.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {file.invalid.slice(0, SHOWN_INVALID).map((row) => (
              <tr key={row.line}>
                <td class="num">{row.line}</td>
                <td>{row.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {file.invalid.length > SHOWN_INVALID && <p class="footnote">{t('upload.moreInvalid', { count: n(file.invalid.length - SHOWN_INVALID) })}</p>}
      </div>
    )}
    <div class="form-row">
      <button type="button" class="button button-primary" onClick={onSend} disabled={file.rows.length === 0}>
        {tCount('upload.send', file.rows.length, { count: n(file.rows.length) })}
      </button>
    </div>
  </div>
);

const Result = ({ file, tally, seconds, onAnother }: { file: CheckedFile; tally: UploadTally; seconds: number; onAnother: () => void }) => {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    if (tally.skippedRows.length === 0) return;
    const url = URL.createObjectURL(new Blob([skippedCsv(file, tally.skippedRows)], { type: 'text/csv' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [file, tally]);
  const skips = [...tally.skipped].filter(([, count]) => count > 0);
  return (
    <div class="stack" data-testid="upload-result" data-seconds={seconds.toFixed(2)}>
      <p class="ok" role="status" data-testid="upload-accepted">
        {tCount('upload.accepted', tally.accepted, { count: n(tally.accepted) })}
        {tally.alreadyAdded > 0 && ` ${tCount('upload.alreadyAdded', tally.alreadyAdded, { count: n(tally.alreadyAdded) })}`}
      </p>
      {skips.length > 0 && (
        <div>
          <p class="card-title">{t('campaigns.skipped')}</p>
          <ul class="skips" data-testid="upload-skips">
            {skips.map(([reason, count]) => (
              <li key={reason} data-reason={reason}>
                {skipReason(reason)}: <strong>{n(count)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="form-row">
        {href && (
          <a class="button button-quiet" href={href} download="skipped-rows.csv" data-testid="skipped-download">
            {t('upload.download', { count: n(tally.skippedRows.length) })}
          </a>
        )}
        <Link href="/campaigns" class="button button-primary">
          {t('upload.toCampaigns')}
        </Link>
        <button type="button" class="button button-quiet" onClick={onAnother}>
          {t('upload.another')}
        </button>
      </div>
    </div>
  );
};
