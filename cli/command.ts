import type { ParseArgsOptionsConfig } from 'node:util';
import { createApiClient, type ApiClient, type RetryNotice } from './api-client.ts';
import type { Io } from './io.ts';
import type { RetryPolicy } from './retry.ts';

/** One `npsloop <group> <verb>` command: its help, and what it does with its arguments. */
export interface Command {
  /** The words that name it: `campaign create`. */
  readonly name: string;
  readonly summary: string;
  /** The whole `--help` text. */
  readonly help: string;
  run(args: string[], io: Io): Promise<void>;
}

/** The user asked for something the CLI cannot do as asked: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` would have helped. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_API_URL = 'http://localhost:3000';
/** The embedded local runtime's key (`npm start`); never a default for anything but this machine. */
export const LOCAL_API_KEY = 'local-dev-key';

export const globalOptions = {
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

export const globalHelp = `Global options:
  --api-url URL   the npsloop API (env NPSLOOP_API_URL; default ${DEFAULT_API_URL})
  --api-key KEY   admin API key (env NPSLOOP_API_KEY; default for a localhost URL: ${LOCAL_API_KEY})
  --json          print the API's answer as JSON
  -h, --help      show help`;

/** Node's parseArgs messages run on with advice about `--`; the first sentence is the useful part. */
const firstSentence = (message: string) => (/^(.*?\.)(\s|$)/.exec(message)?.[1] ?? message).replace(/\.$/, '');

/**
 * Runs a command's parseArgs (called with its own options spread after `globalOptions`, so the
 * types stay exact), turning its errors into usage errors and checking the positionals.
 * Returns undefined when `--help` was asked for, after printing the help.
 */
export const parseCommandArgs = <P extends { values: { help?: boolean | undefined }; positionals: string[] }>(
  command: Pick<Command, 'name' | 'help'>,
  io: Io,
  positionals: { min: number; max: number; names: string },
  parse: () => P,
): P | undefined => {
  let parsed: P;
  try {
    parsed = parse();
  } catch (error) {
    throw new UsageError(firstSentence(error instanceof Error ? error.message : String(error)), command.name);
  }
  if (parsed.values.help) {
    io.stdout.write(`${command.help}\n`);
    return undefined;
  }
  const given = parsed.positionals.length;
  if (given < positionals.min) throw new UsageError(`${command.name} needs ${positionals.names}`, command.name);
  if (given > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max] ?? ''}"`, command.name);
  return parsed;
};

/** The parseArgs settings every command shares: options anywhere, positionals allowed, unknown options refused. */
export const commandLine = { allowPositionals: true, strict: true } as const;

const isThisMachine = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Where the API is and which key to send: flags win over the environment; the local key only for this machine. */
export const resolveConnection = (
  flags: { 'api-url'?: string | undefined; 'api-key'?: string | undefined },
  env: Io['env'],
): { baseUrl: string; apiKey: string } => {
  const raw = nonEmpty(flags['api-url']) ?? nonEmpty(env.NPSLOOP_API_URL) ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api-url "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--api-url must be http or https, got "${raw}"`);
  const apiKey = nonEmpty(flags['api-key']) ?? nonEmpty(env.NPSLOOP_API_KEY) ?? (isThisMachine(url) ? LOCAL_API_KEY : undefined);
  if (apiKey === undefined) throw new UsageError(`an API key is needed for ${url.origin}: pass --api-key or set NPSLOOP_API_KEY`);
  return { baseUrl: raw, apiKey };
};

export const apiClientFor = (
  flags: { 'api-url'?: string | undefined; 'api-key'?: string | undefined },
  io: Io,
  retry?: { policy: RetryPolicy; onRetry: (notice: RetryNotice) => void },
): ApiClient =>
  createApiClient({
    ...resolveConnection(flags, io.env),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(retry ? { retry: retry.policy, onRetry: retry.onRetry } : {}),
  });

/** A whole number within bounds, or a usage error that names the option. */
export const integerOption = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
};

/** One of a fixed set of words, or a usage error that lists them. */
export const choiceOption = <T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  const found = choices.find((c) => c === value);
  if (!found) throw new UsageError(`--${name} must be ${choices.join(' or ')}, got "${value}"`);
  return found;
};

export const printJson = (io: Io, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
