/**
 * The runtime's own log: one line per service start and one per request. It never receives
 * request bodies or message contents, so personal data cannot reach it by accident.
 */
export interface RuntimeLog {
  info(line: string): void;
  error(line: string, error?: unknown): void;
}

/** `quiet` silences progress lines; errors always print, since they are somebody's bug. */
export const createLog = (quiet: boolean): RuntimeLog => ({
  info: (line) => {
    if (!quiet) console.log(`[local] ${line}`);
  },
  error: (line, error) => {
    console.error(`[local] ${line}${error === undefined ? '' : `\n${describeError(error)}`}`);
  },
});

export const silentLog: RuntimeLog = { info: () => undefined, error: () => undefined };

export const describeError = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
