import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Wiring from '#shared/contract/wiring';

/**
 * Wiring mistakes the stack refuses at synth time, with the function's name in the message.
 * Each test synthesizes the stack from a doctored copy of shared/contract/wiring.ts.
 */

type Functions = typeof Wiring.functions;

async function synthWith(doctor: (functions: Functions) => Functions): Promise<() => unknown> {
  vi.resetModules();
  vi.doMock('#shared/contract/wiring', async (importOriginal) => {
    const actual = await importOriginal<typeof Wiring>();
    return { ...actual, functions: doctor(actual.functions) };
  });
  const { synthStack } = await import('./synth.ts');
  return () => synthStack();
}

describe('wiring the stack refuses', () => {
  afterEach(() => {
    vi.doUnmock('#shared/contract/wiring');
    vi.resetModules();
  });

  it('a schedule rate EventBridge cannot express', async () => {
    // GIVEN a 90-second rate
    const synth = await synthWith((functions) => ({
      ...functions,
      releaseDue: { ...functions.releaseDue, source: { kind: 'schedule', rateSeconds: 90 } },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/releaseDue: a schedule's rateSeconds must be a whole number of minutes, at least 60 .*got 90/);
  });

  it('an e-mail sender whose queue has no maxConcurrency to share the send rate by', async () => {
    // GIVEN the sender's queue source without maxConcurrency
    const synth = await synthWith((functions) => ({
      ...functions,
      sendInvitation: {
        ...functions.sendInvitation,
        source: { kind: 'queue', queue: 'invitations', batchSize: 10, maxBatchingWindowSeconds: 1 },
      },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/sendInvitation sends e-mail and SMS from the invitations queue, so its source needs a maxConcurrency/);
  });

  it('an SMS sender whose queue has no maxConcurrency to share the send rate by', async () => {
    // GIVEN a queue-fed function that sends SMS only, without maxConcurrency
    const synth = await synthWith((functions) => ({
      ...functions,
      sendInvitation: {
        ...functions.sendInvitation,
        source: { kind: 'queue', queue: 'invitations', batchSize: 10, maxBatchingWindowSeconds: 1 },
        uses: { ...functions.sendInvitation.uses, sendsEmail: false },
      },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/sendInvitation sends SMS from the invitations queue, so its source needs a maxConcurrency/);
  });

  it('a function that both sends SMS and publishes to a topic, which the SMS grant would deny', async () => {
    // GIVEN
    const synth = await synthWith((functions) => ({
      ...functions,
      handleSmsReply: { ...functions.handleSmsReply, uses: { ...functions.handleSmsReply.uses, publishTo: ['alerts'] } },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/handleSmsReply both sends SMS and publishes to topics \(alerts\)/);
  });

  it('a Scan restricted by leadingKeys, which IAM would not restrict (it names no key)', async () => {
    // GIVEN
    const synth = await synthWith((functions) => ({
      ...functions,
      releaseDue: { ...functions.releaseDue, uses: { ...functions.releaseDue.uses, table: [{ actions: ['Scan'], leadingKeys: ['DUE#*'] }] } },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/releaseDue: Scan names no partition key, so dynamodb:LeadingKeys cannot restrict it/);
  });

  it('an item write granted on an index, which only Query and Scan can use', async () => {
    // GIVEN
    const synth = await synthWith((functions) => ({
      ...functions,
      escalateOverdue: {
        ...functions.escalateOverdue,
        uses: { ...functions.escalateOverdue.uses, table: [{ actions: ['Query', 'UpdateItem'], index: 'GSI2' }] },
      },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/escalateOverdue: UpdateItem cannot be granted on index GSI2/);
  });

  it('an empty leadingKeys, which would read as "no key at all" rather than "any key"', async () => {
    // GIVEN
    const synth = await synthWith((functions) => ({
      ...functions,
      handleSesEvent: { ...functions.handleSesEvent, uses: { table: [{ actions: ['PutItem'], leadingKeys: [] }] } },
    }));
    // WHEN / THEN
    expect(synth).toThrow(/handleSesEvent: a table grant on the table lists an empty leadingKeys/);
  });

  it('nothing else: the declared wiring synthesizes', async () => {
    const synth = await synthWith((functions) => functions);
    expect(synth).not.toThrow();
  });
});
