import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Figure } from './figures.ts';
import type { CampaignView, CampaignWithCounts } from '#shared/contract/campaigns';

/**
 * Dispatch throughput: how fast queued invitations become sent e-mails through the whole local
 * pipeline (SQS → send-invitation → claim, SES, settle), against the raw ceiling of the same SES
 * emulator called directly with the same concurrency. The send-rate limit is lifted for the
 * measurement, so the figure is the pipeline's own overhead, not the configured rate.
 */
const INVITATIONS = 500;

export async function dispatchBenchmark(runtime: { url: string; apiKey: string; env: Readonly<Record<string, string>> }, concurrency: number): Promise<Figure[]> {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.apiKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  // Held for a few seconds, so every invitation is written before the first one is sent.
  const sendAt = new Date(Date.now() + 20_000).toISOString();
  const { id } = await api<CampaignView>('POST', '/v1/campaigns', { name: 'dispatch', brand: 'Bench', channel: 'email', sendAt });
  const recipients = Array.from({ length: INVITATIONS }, (_, i) => ({ email: `dispatch${i}.${id.toLowerCase()}@example.com` }));
  await api('POST', `/v1/campaigns/${id}/recipients`, { recipients });
  const sent = async () => (await api<CampaignWithCounts>('GET', `/v1/campaigns/${id}`)).counts.sent;
  while (Date.now() < Date.parse(sendAt)) await new Promise((r) => setTimeout(r, 50));
  const started = performance.now();
  while ((await sent()) < INVITATIONS) await new Promise((r) => setTimeout(r, 50));
  const pipelineSeconds = (performance.now() - started) / 1000;

  const ses = new SESv2Client({ endpoint: runtime.env.AWS_ENDPOINT_URL_SESV2, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
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
    { name: 'dispatch throughput through the local pipeline', value: INVITATIONS / pipelineSeconds, unit: 'e-mails/s' },
    { name: `raw SES emulator ceiling at the same concurrency (${concurrency})`, value: INVITATIONS / rawSeconds, unit: 'e-mails/s' },
    { name: 'pipeline share of the raw ceiling', value: (100 * rawSeconds) / pipelineSeconds, unit: '%' },
  ];
}
