import type { Context } from 'aws-lambda';
import type { FunctionDeclaration } from '#shared/contract/wiring';
import { describeError, type RuntimeLog } from '../log.ts';
import { createLambdaContext } from './context.ts';
import { asFunction } from './table-access.ts';

/**
 * Any handler, whatever event type it declares (`never` accepts them all): the runtime only
 * passes a function the event its declared source produces.
 */
export type LambdaHandler = (event: never, context: Context) => unknown;
type Invocable = (event: unknown, context: Context) => unknown;

/** Produces a function's handler; the default imports `declaration.entry`, tests inject fakes. */
export type HandlerLoader = (name: string, declaration: FunctionDeclaration) => Promise<LambdaHandler>;

export const importHandlerFromEntry: HandlerLoader = async (name, declaration) => {
  const module: unknown = await import(new URL(`../../${declaration.entry}`, import.meta.url).href);
  const handler = typeof module === 'object' && module !== null && 'handler' in module ? module.handler : undefined;
  if (typeof handler !== 'function') throw new Error(`${declaration.entry} (${name}) does not export a handler function`);
  return handler as LambdaHandler;
};

export type Invocation = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: Error };

/** One deployed function, locally: its handler loaded once (a cold start) and invoked like Lambda. */
export interface LocalFunction {
  readonly name: string;
  readonly declaration: FunctionDeclaration;
  /** Loads the handler ahead of the first event; resolves false (and logs why) if it cannot. */
  warm(): Promise<boolean>;
  /** Never rejects: a throw, a load failure or a timeout is a failed invocation, as in Lambda. */
  invoke(event: unknown): Promise<Invocation>;
}

export interface LocalFunctionOptions {
  readonly name: string;
  readonly declaration: FunctionDeclaration;
  readonly loadHandler: HandlerLoader;
  readonly region: string;
  readonly log: RuntimeLog;
}

export function createLocalFunction(options: LocalFunctionOptions): LocalFunction {
  const { name, declaration, loadHandler, region, log } = options;
  let loading: Promise<LambdaHandler> | undefined;

  // A failed init is retried on the next invocation, as Lambda re-initialises a failed sandbox.
  const load = (): Promise<LambdaHandler> => {
    loading ??= loadHandler(name, declaration).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return {
    name,
    declaration,
    async warm() {
      try {
        await load();
        return true;
      } catch (error) {
        log.error(`${name}: cannot load ${declaration.entry}; its invocations will fail until it loads`, error);
        return false;
      }
    },
    async invoke(event) {
      const timeoutMs = declaration.timeoutSeconds * 1000;
      const context = createLambdaContext({
        functionName: name,
        memoryMB: declaration.memoryMB,
        region,
        deadline: Date.now() + timeoutMs,
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Task timed out after ${declaration.timeoutSeconds.toFixed(2)} seconds`)),
          timeoutMs,
        );
      });
      try {
        // Its DynamoDB calls are checked against its declared table grants (see table-access.ts).
        const run = async () => asFunction(name, declaration.uses.table ?? [], async () => ((await load()) as Invocable)(event, context));
        return { ok: true, result: await Promise.race([run(), timeout]) };
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(describeError(thrown));
        log.error(`${name} invocation ${context.awsRequestId} failed`, error);
        return { ok: false, error };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
