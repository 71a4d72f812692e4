import { describe, expect, it } from 'vitest';
import type { Io } from '../../../cli/io.ts';
import { main } from '../../../cli/main.ts';

/** Runs `npsloop` in-process; `answer` is what the API says to every request (none expected when absent). */
const cli = async (argv: string[], answer?: unknown) => {
  let stdout = '';
  let stderr = '';
  const sent: string[] = [];
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    fetch: async (input) => {
      sent.push(String(input));
      if (answer === undefined) throw new Error('the test expected no request');
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, sent };
};

const figures = (promoters: number, passives: number, detractors: number) => {
  const responses = promoters + passives + detractors;
  return {
    promoters,
    passives,
    detractors,
    responses,
    nps: responses === 0 ? null : (100 * (promoters - detractors)) / responses,
    ci95: responses === 0 ? null : { low: -10, high: 40 },
  };
};

describe('npsloop score --from / --to', () => {
  it.each([
    ['--from', '2026-02-30'],
    ['--from', '2026-02-29'],
    ['--to', '2026-04-31'],
    ['--to', '2026-13-45'],
  ])('refuses %s %s before calling the API', async (flag, day) => {
    const run = await cli(['score', flag, day]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${flag} must be a day like 2026-11-01, got "${day}"`));
    expect(run.sent).toEqual([]);
  });

  it('sends a real leap day', async () => {
    const run = await cli(['score', '--from', '2024-02-29', '--to', '2024-02-29'], { ...figures(0, 0, 0), days: [], segments: {} });
    expect(run.code).toBe(0);
    expect(run.sent[0]).toContain('from=2024-02-29');
  });

  it('never prints segment tables under "No responses … yet"', async () => {
    // An API that still answers all-time segments for an empty range
    const body = { ...figures(0, 0, 0), from: '2026-11-01', to: '2026-11-30', days: [], segments: { plan: { pro: figures(200, 50, 51) } } };
    const run = await cli(['score', '--from', '2026-11-01', '--to', '2026-11-30'], body);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('No responses between 2026-11-01 and 2026-11-30 yet.\n');
  });

  it('labels the segment tables with the range they cover', async () => {
    const body = {
      ...figures(6, 2, 2),
      from: '2026-11-01',
      to: '2026-11-30',
      days: [{ day: '2026-11-02', ...figures(6, 2, 2) }],
      segments: { plan: { free: figures(1, 1, 2), pro: figures(5, 1, 0) } },
    };
    const run = await cli(['score', '--from', '2026-11-01', '--to', '2026-11-30'], body);
    expect(run.stdout).toMatch(/^Segments between 2026-11-01 and 2026-11-30:$/m);
    expect(run.stdout).toMatch(/^pro\s+83\.3\s+−10\.0 to 40\.0\s+6\s+5\s+1\s+0$/m);
  });
});

describe('npsloop campaign create --send-at', () => {
  it('refuses a day the calendar does not have instead of rolling it into March', async () => {
    const run = await cli(['campaign', 'create', '--name', 'N', '--brand', 'B', '--send-at', '2026-02-30T09:00:00+01:00']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--send-at must be an ISO 8601 time/);
    expect(run.sent).toEqual([]);
  });
});
