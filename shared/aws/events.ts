/**
 * The parts of Lambda's event envelopes (SNS, SQS, DynamoDB Streams) that our handlers read, as
 * zod schemas: a message is JSON inside a string, a stream image is DynamoDB-marshalled.
 *
 * Powertools' parser has the same helpers, but it imports `{ z } from 'zod'`, which bundles all
 * of zod's locales into every function that uses it (+340 KB minified); these few lines do not.
 * They are zod/mini, and take any zod schema, mini or classic: a consumer whose own schemas are
 * mini then bundles no zod classic.
 */
import { unmarshallDynamoDB } from '@aws-lambda-powertools/commons/utils/unmarshallDynamoDB';
import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod/mini';

/** A string holding JSON that must match `schema`; text that is not JSON is an issue, never a throw. */
export const jsonString = <T extends z.core.$ZodType>(schema: T) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((text: string, ctx): unknown => {
        try {
          return JSON.parse(text);
        } catch {
          ctx.issues.push({ code: 'custom', message: 'not JSON', input: text });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );

/**
 * A stream image (`{ "score": { "N": "9" } }`) read as the item it marshals, then checked by
 * `schema`; unmarshalled as Powertools' parser does (numbers past 2^53 become BigInt).
 */
export const dynamoImage = <T extends z.core.$ZodType>(schema: T) =>
  z.pipe(
    z.pipe(
      z.record(z.string(), z.unknown()),
      z.transform((image: Record<string, unknown>, ctx): unknown => {
        try {
          return unmarshallDynamoDB(image as Parameters<typeof unmarshallDynamoDB>[0]);
        } catch {
          ctx.issues.push({ code: 'custom', message: 'not a DynamoDB image', input: image });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );

/** A record whose envelope or message does not match its schema: the paths at fault, never a value (it may be personal data). */
export class UnreadableMessage extends Error {
  constructor(what: string, error: z.core.$ZodError) {
    super(`unreadable ${what}: ${error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.code}`).join(', ')}`);
    this.name = 'UnreadableMessage';
  }
}

const SnsRecord = z.object({ EventSource: z.literal('aws:sns'), Sns: z.object({ Message: z.string() }) });

/**
 * The messages of an SNS event, each parsed as JSON and checked by `schema`. An unreadable record
 * throws, so SNS retries the delivery and then the on-failure destination takes it.
 */
export const snsMessages = <T extends z.core.$ZodType>(event: SNSEvent, schema: T): z.output<T>[] =>
  event.Records.map((record, index) => {
    const envelope = SnsRecord.safeParse(record);
    if (!envelope.success) throw new UnreadableMessage(`SNS record ${index}`, envelope.error);
    const message = jsonString(schema).safeParse(envelope.data.Sns.Message);
    if (!message.success) throw new UnreadableMessage(`SNS record ${index} message`, message.error);
    return message.data as z.output<T>;
  });

/** An SQS message body as JSON matching `schema`; it throws, so the batch processor fails that record alone. */
export const sqsBody = <T extends z.core.$ZodType>(body: string, schema: T): z.output<T> => {
  const parsed = jsonString(schema).safeParse(body);
  if (!parsed.success) throw new UnreadableMessage('SQS message body', parsed.error);
  return parsed.data as z.output<T>;
};
