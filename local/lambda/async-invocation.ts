import { randomUUID } from 'node:crypto';
import { functionArn } from './context.ts';

/**
 * Lambda's asynchronous invocation, which is how SNS and EventBridge invoke a function: nobody
 * waits for the result, a failed invocation (a throw or a timeout) is retried, and an event
 * whose every attempt failed goes to the function's on-failure destination as the record below.
 * Lambda spaces its retries a minute or two apart; locally they follow a second apart.
 */

/**
 * Retries after a failed first attempt. Lambda's default of two suits a topic's events. A
 * scheduled run gets none: the next run does the same work, and a retry would run beside it.
 * infra/stack.ts configures the deployed functions with the same numbers.
 */
export const asyncRetryAttempts = { topic: 2, schedule: 0 } as const;

export interface AsyncFailure {
  readonly functionName: string;
  readonly region: string;
  /** The event as the function received it. */
  readonly event: unknown;
  /** The last attempt's error. */
  readonly error: Error;
  /** Attempts made, the first included. */
  readonly invokeCount: number;
}

/** The message Lambda sends an on-failure destination when it gives up on an asynchronous event. */
export function asyncOnFailureRecord(failure: AsyncFailure, now = new Date()) {
  return {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `${functionArn(failure.functionName, failure.region)}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: failure.invokeCount,
    },
    requestPayload: failure.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: failure.error.name, errorMessage: failure.error.message },
  };
}
