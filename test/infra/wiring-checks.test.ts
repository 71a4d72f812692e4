import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Wiring from '#shared/wiring';

/**
 * Wiring mistakes the stack refuses at synth time, with the function's name in the message.
 * Each test synthesizes the stack from a doctored copy of shared/wiring.ts.
 */

type Functions = typeof Wiring.functions;

async function synthWith(doctor: (functions: Functions) => Functions): Promise<() => unknown> {
  vi.resetModules();
  vi.doMock('#shared/wiring', async (importOriginal) => {
    const actual = await importOriginal<typeof Wiring>();
    return { ...actual, functions: doctor(actual.functions) };
  });
  const { synthStack } = await import('./synth.ts');
  return () => synthStack();
}

describe('wiring the stack refuses', () => {
  afterEach(() => {
    vi.doUnmock('#shared/wiring');
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
    expect(synth).toThrow(/sendInvitation sends e-mail from the invitations queue, so its source needs a maxConcurrency/);
  });

  it('nothing else: the declared wiring synthesizes', async () => {
    const synth = await synthWith((functions) => functions);
    expect(synth).not.toThrow();
  });
});
