import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageRejected, TooManyRequestsException } from '@aws-sdk/client-sesv2';

/**
 * SES throttling is retried by the SES client itself (`maxAttempts`, adaptive mode), not by our
 * code. aws-sdk-client-mock replaces `send` and so skips the SDK's retry middleware; this suite
 * stubs the wire instead: below the retry and the deserializer, every request gets the HTTP
 * answer SES would give, so the SDK's own classification and retry run as in Lambda.
 */
let sendEmail: typeof import('#shared/aws/ses').sendEmail;
let requests = 0;
let answer = { status: 429, type: 'TooManyRequestsException' };

const email = { to: 'ann@example.com', subject: 'S', html: '<p>h</p>', text: 't', headers: [], tags: [] };

beforeAll(async () => {
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'unit';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit';
  process.env.SENDER_EMAIL = 'surveys@example.com';
  const { ses } = await import('#shared/aws/clients');
  ({ sendEmail } = await import('#shared/aws/ses'));
  ses.middlewareStack.addRelativeTo(
    () => async () => {
      requests++;
      const response = {
        statusCode: answer.status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': answer.type },
        body: new TextEncoder().encode(JSON.stringify({ message: 'as SES answers' })),
      };
      return { response, output: undefined as never };
    },
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'sesAnswers' },
  );
});

beforeEach(() => {
  requests = 0;
  // Only the clock is fake: setImmediate stays real, so the SDK's own I/O (config, credentials) runs.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => vi.useRealTimers());

/** Lets fake time pass a little at a time, with real I/O in between, until the send settles. */
const settled = async (sending: Promise<void>): Promise<unknown> => {
  let done = false;
  const outcome = sending.then(
    () => 'sent',
    (error: unknown) => error,
  ).finally(() => (done = true));
  for (let waited = 0; !done && waited < 120_000; waited += 100) {
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(100);
  }
  return outcome;
};

describe('sendEmail', () => {
  it('lets the SES client retry a throttled send, three tries in all, then throws the throttling', async () => {
    // GIVEN SES answers every request with 429 TooManyRequests
    answer = { status: 429, type: 'TooManyRequestsException' };
    // WHEN one e-mail is sent (the backoff and the adaptive pacing wait on the fake clock)
    const outcome = await settled(sendEmail(email));
    // THEN the client tried three times and gave up with SES's own error
    expect(outcome).toBeInstanceOf(TooManyRequestsException);
    expect(requests).toBe(3);
  });

  it('sends a message SES rejects for good only once', async () => {
    answer = { status: 400, type: 'MessageRejected' };
    expect(await settled(sendEmail(email))).toBeInstanceOf(MessageRejected);
    expect(requests).toBe(1);
  });
});
