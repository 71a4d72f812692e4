import { startFauxqs } from 'fauxqs';

/**
 * fauxqs, the in-process SQS and SNS emulator (SNS delivers to SQS subscriptions only).
 *
 * fauxqs names queues `http://sqs.<region>.localhost:<port>/<account>/<name>`; Node cannot
 * resolve that host, and the SDK sends a request to the queue URL's host whenever it differs
 * from the configured endpoint. fauxqs finds a queue by the URL's path, so the runtime hands
 * out queue URLs on the endpoint itself (see `queueUrlOnEndpoint`).
 */
export interface Fauxqs {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startFauxqsServer(): Promise<Fauxqs> {
  const server = await startFauxqs({ port: 0, logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

export const queueUrlOnEndpoint = (queueUrl: string, endpoint: string): string =>
  new URL(new URL(queueUrl).pathname, endpoint).href;
