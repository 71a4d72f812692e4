import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface ContextSettings {
  readonly functionName: string;
  readonly memoryMB: number;
  readonly region: string;
  /** Epoch ms at which the invocation times out; drives getRemainingTimeInMillis(). */
  readonly deadline: number;
}

/** The account every local ARN names; the emulators accept any. */
export const localAccountId = '000000000000';

/** The Lambda context a local invocation receives: real enough for loggers and timeout checks. */
export function createLambdaContext(settings: ContextSettings): Context {
  const { functionName, memoryMB, region, deadline } = settings;
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is deprecated and not supported locally; return or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(functionName, region),
    memoryLimitInMB: String(memoryMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

export const functionArn = (functionName: string, region: string): string =>
  `arn:aws:lambda:${region}:${localAccountId}:function:${functionName}`;
