import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { reservePort } from '#local/ports';
import { eventually } from '#test/integration/client';

/**
 * `npm start` as a newcomer runs it, stopped the ways a machine stops it: a service manager's
 * SIGTERM to npm, and a closed terminal's SIGHUP to the whole process group. Either way every
 * child (the runtime, DynamoDB Local's JVM, the emulators) must be gone and the API closed.
 */

/** Whether any process of the group still runs (signal 0 only asks). */
const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const startNpm = async () => {
  const port = await reservePort(0);
  // detached: npm leads a process group of its own, so the test can see (and clean up) all of it.
  const npm = spawn('npm', ['start'], { detached: true, stdio: 'ignore', env: { ...process.env, PORT: String(port) } });
  const pgid = npm.pid ?? 0;
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined), {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'npm start to answer /health',
  });
  return { port, npm, pgid };
};

const stopped = async (port: number, pgid: number) => {
  try {
    await eventually(async () => (groupAlive(pgid) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100, what: 'every child of npm start to exit' });
  } finally {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  }
  await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
};

describe('npm start', () => {
  it('stops every child when npm gets SIGTERM', async () => {
    const { port, npm, pgid } = await startNpm();
    npm.kill('SIGTERM');
    await stopped(port, pgid);
  }, 90_000);

  it('stops every child when the terminal hangs up (SIGHUP to the process group)', async () => {
    const { port, pgid } = await startNpm();
    process.kill(-pgid, 'SIGHUP');
    await stopped(port, pgid);
  }, 90_000);
});
