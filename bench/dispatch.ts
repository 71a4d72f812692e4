import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Figure } from './figures.ts';
import type { CampaignView, CampaignWithCounts } from '#shared/contract/campaigns';
import { queues } from '#shared/contract/wiring';

/**
 * Dispatch throughput: how fast queued invitations become sent e-mails through the whole local
 * pipeline (SQS → send-invitation → claim, SES, settle), against the raw ceiling of the same SES
 * emulator called directly with the same concurrency. The send-rate limit is lifted for the
 * measurement, so the figure is the pipeline's own overhead, not the configured rate.
 *
 * The campaign is held for a sendAt a few seconds ahead, so every invitation is written before
 * the first one is sent. SQS delays whole seconds, so its messages appear up to a second after
 * sendAt: the clock starts when the first of them can be received (printed), and stops when the
 * SES emulator has received every e-mail. The campaign's `sent` count follows from the table's
 * stream about a second later; the time until it shows every send is printed on its own line.
 * Nothing polls the API while the e-mails go out, so the measurement does not slow the pipeline.
 */
const INVITATIONS = 500;

type LocalRuntime = { url: string; apiKey: string; env: Readonly<Record<string, string>>; emailsReceived(): number };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function dispatchBenchmark(runtime: LocalRuntime, concurrency: number): Promise<Figure[]> {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.apiKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const sqs = new SQSClient({ ...local, endpoint: runtime.env.AWS_ENDPOINT_URL_SQS });
  const queueUrl = runtime.env[queues.invitations.urlEnv];
  // Delayed messages are neither visible nor in flight; the first one to leave that state can be received.
  const receivable = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) > 0;
  };

  const sendAt = Date.now() + 20_000;
  const { id } = await api<CampaignView>('POST', '/v1/campaigns', { name: 'dispatch', brand: 'Bench', channel: 'email', sendAt: new Date(sendAt).toISOString() });
  const recipients = Array.from({ length: INVITATIONS }, (_, i) => ({ email: `dispatch${i}.${id.toLowerCase()}@example.com` }));
  await api('POST', `/v1/campaigns/${id}/recipients`, { recipients });
  const emailsBefore = runtime.emailsReceived();
  while (Date.now() < sendAt - 500) await pause(50);
  while (!(await receivable())) await pause(5);
  const started = performance.now();
  const firstReceivableMs = Date.now() - sendAt;
  sqs.destroy();
  while (runtime.emailsReceived() - emailsBefore < INVITATIONS) await pause(10);
  const pipelineSeconds = (performance.now() - started) / 1000;
  while ((await api<CampaignWithCounts>('GET', `/v1/campaigns/${id}`)).counts.sent < INVITATIONS) await pause(20);
  const countedSeconds = (performance.now() - started) / 1000;

  const ses = new SESv2Client({ ...local, endpoint: runtime.env.AWS_ENDPOINT_URL_SESV2 });
  const rawStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < INVITATIONS; i = next++) {
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'surveys@npsloop.local',
            Destination: { ToAddresses: [`raw${i}@example.com`] },
            Content: { Simple: { Subject: { Data: 'raw' }, Body: { Text: { Data: 'raw' }, Html: { Data: '<p>raw</p>' } } } },
          }),
        );
      }
    }),
  );
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  ses.destroy();
  return [
    { name: 'first queued invitation receivable after sendAt (SQS delays whole seconds; the clock starts here)', value: firstReceivableMs, unit: 'ms' },
    { name: 'dispatch throughput through the local pipeline (e-mails the SES emulator received)', value: INVITATIONS / pipelineSeconds, unit: 'e-mails/s' },
    { name: `time until the campaign's counts showed all ${INVITATIONS} sent (they follow from the table's stream)`, value: countedSeconds, unit: 's' },
    { name: `raw SES emulator ceiling at the same concurrency (${concurrency})`, value: INVITATIONS / rawSeconds, unit: 'e-mails/s' },
    { name: 'pipeline share of the raw ceiling', value: (100 * rawSeconds) / pipelineSeconds, unit: '%' },
  ];
}
