import { randomUUID } from 'node:crypto';
import { createServer, request as forwardRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeLog } from '../log.ts';
import type { OutboxSms, SmsOutbox } from '../outbox/sms-outbox.ts';

/**
 * The handlers' SNS endpoint (AWS_ENDPOINT_URL_SNS): a small proxy in front of fauxqs, which
 * does not model SMS. A Publish to a phone number is answered here as SNS answers it and its
 * message recorded in the SMS outbox; every other request goes to fauxqs unchanged.
 *
 * The SNS client speaks the AWS query protocol: a form-encoded POST, an XML answer, and errors
 * as an `ErrorResponse` whose Code the SDK turns into its exception (InvalidParameter →
 * InvalidParameterException).
 */

/** E.164: a +, then up to 15 digits, the first not 0. SNS refuses other phone numbers. */
export const e164 = /^\+[1-9]\d{1,14}$/;

const smsTypes = new Set(['Transactional', 'Promotional']);
const snsNamespace = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** A request parameter in an error message; never the phone number or the text. */
const invalid = (parameter: string, reason: string) => ({ kind: 'invalid', message: `Invalid parameter: ${parameter} Reason: ${reason}` }) as const;

export type SmsPublish =
  | { readonly kind: 'sms'; readonly sms: Omit<OutboxSms, 'messageId' | 'at'> }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Reads a query-protocol request body. Undefined unless it is a Publish with a PhoneNumber: that
 * is for fauxqs. A Publish to a phone number is checked as SNS checks it: one target only, an
 * E.164 number, a message (the `default` entry, or `sms`, of a JSON message structure) and a
 * known SMS type.
 */
export function readSmsPublish(form: URLSearchParams): SmsPublish | undefined {
  if (form.get('Action') !== 'Publish' || !form.has('PhoneNumber')) return undefined;
  const to = form.get('PhoneNumber') ?? '';
  if (form.has('TopicArn') || form.has('TargetArn')) return invalid('PhoneNumber', 'give only one of TopicArn, TargetArn and PhoneNumber');
  if (!e164.test(to)) return invalid('PhoneNumber', 'not a phone number in E.164 format');
  const body = messageFor(form.get('Message') ?? '', form.get('MessageStructure'));
  if (body === undefined) return invalid('Message Structure', 'no default entry in JSON message body');
  if (body === '') return { kind: 'invalid', message: 'Invalid parameter: Empty message' };
  const attributes = messageAttributes(form);
  const smsType = attributes.get('AWS.SNS.SMS.SMSType');
  if (smsType !== undefined && !smsTypes.has(smsType)) return invalid('MessageAttributes', 'AWS.SNS.SMS.SMSType must be Transactional or Promotional');
  const originationNumber = attributes.get('AWS.MM.SMS.OriginationNumber');
  return {
    kind: 'sms',
    sms: { to, body, ...(originationNumber !== undefined && { originationNumber }), ...(smsType !== undefined && { smsType }) },
  };
}

/** With MessageStructure=json the message is a JSON object per protocol; SMS takes `sms`, else `default`. */
function messageFor(message: string, structure: string | null): string | undefined {
  if (structure !== 'json') return message;
  try {
    const perProtocol: unknown = JSON.parse(message);
    if (typeof perProtocol !== 'object' || perProtocol === null || !('default' in perProtocol)) return undefined;
    const chosen = 'sms' in perProtocol ? perProtocol.sms : perProtocol.default;
    return typeof chosen === 'string' ? chosen : undefined;
  } catch {
    return undefined;
  }
}

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue`, as the query protocol flattens the map. */
function messageAttributes(form: URLSearchParams): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [key, name] of form) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key)?.[1];
    const value = entry === undefined ? null : form.get(`MessageAttributes.entry.${entry}.Value.StringValue`);
    if (value !== null) attributes.set(name, value);
  }
  return attributes;
}

export interface SnsAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * SNS's answer to a query-protocol request body when it is a Publish to a phone number (the
 * message is then recorded in `outbox` under the MessageId returned); undefined for anything else.
 */
export function answerSmsPublish(formBody: string, outbox: SmsOutbox, now = new Date()): SnsAnswer | undefined {
  const publish = readSmsPublish(new URLSearchParams(formBody));
  if (publish === undefined) return undefined;
  const requestId = randomUUID();
  if (publish.kind === 'invalid') return queryAnswer(400, requestId, errorXml('InvalidParameter', publish.message, requestId));
  const messageId = randomUUID();
  outbox.record({ ...publish.sms, messageId, at: now.toISOString() });
  return queryAnswer(200, requestId, publishResultXml(messageId, requestId));
}

const queryAnswer = (statusCode: number, requestId: string, body: string): SnsAnswer => ({
  statusCode,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  body,
});

const publishResultXml = (messageId: string, requestId: string) =>
  `<PublishResponse xmlns="${snsNamespace}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
  `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`;

const errorXml = (code: string, message: string, requestId: string) =>
  `<ErrorResponse xmlns="${snsNamespace}"><Error><Type>Sender</Type><Code>${code}</Code>` +
  `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');

export interface SnsSmsProxyOptions {
  /** fauxqs, which answers every request that is not a Publish to a phone number. */
  readonly target: string;
  readonly outbox: SmsOutbox;
  readonly log: RuntimeLog;
}

export interface SnsSmsProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startSnsSmsProxy(options: SnsSmsProxyOptions): Promise<SnsSmsProxy> {
  const target = new URL(options.target);
  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      options.log.error('The SNS proxy failed a request', error);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Only a query-protocol POST can be a Publish; everything else streams through untouched.
    if (request.method !== 'POST' || !(request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      forward(request, response);
      return;
    }
    const body = await readBody(request);
    const answer = answerSmsPublish(body.toString('utf8'), options.outbox);
    if (answer === undefined) {
      forward(request, response, body);
      return;
    }
    response.writeHead(answer.statusCode, answer.headers);
    response.end(answer.body);
  }

  /** Sends the request on to fauxqs as it came (method, path, headers, body) and its answer back as fauxqs gave it. */
  function forward(request: IncomingMessage, response: ServerResponse, body?: Buffer): void {
    const upstream = forwardRequest({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(response);
    });
    upstream.on('error', (error) => {
      options.log.error('The SNS proxy could not reach fauxqs', error);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    if (body === undefined) request.pipe(upstream);
    else upstream.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
