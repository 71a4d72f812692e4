import { IsoDay } from '#shared/contract/fields';
import type { Score, ScoreReport } from '#shared/contract/scores';
import type { ScoreParams } from '../api-client.ts';
import { parseArgs } from 'node:util';
import { apiClientFor, choiceOption, commandLine, globalHelp, globalOptions, parseCommandArgs, printJson, UsageError, type Command } from '../command.ts';
import { count, points, signedPoints, table } from '../table.ts';

/** `npsloop score [CAMPAIGN_ID]`: the NPS, its interval, and the trend and segments as small tables. */

const share = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);

const interval = (f: Score) => (f.ci95 ? `${points(f.ci95.low)} to ${points(f.ci95.high)}` : '–');

const figuresTable = (label: string, rows: readonly (readonly [string, Score])[]): string =>
  table(
    [label, 'NPS', '95% CI', 'responses', 'promoters', 'passives', 'detractors'],
    rows.map(([name, f]) => [name, points(f.nps), interval(f), count(f.responses), count(f.promoters), count(f.passives), count(f.detractors)]),
  );

export const scoreText = (s: ScoreReport, by: 'day' | 'week'): string => {
  const parts: string[] = [];
  const period = s.from || s.to ? ` between ${s.from ?? 'the start'} and ${s.to ?? 'today'}` : '';
  if (s.responses === 0) parts.push(`No responses${period} yet.`);
  else {
    parts.push(
      [
        `NPS ${points(s.nps)}  (95% CI ${interval(s)})  from ${count(s.responses)} responses${period}`,
        `promoters ${count(s.promoters)} (${share(s.promoters, s.responses)})  ` +
          `passives ${count(s.passives)} (${share(s.passives, s.responses)})  ` +
          `detractors ${count(s.detractors)} (${share(s.detractors, s.responses)})`,
      ].join('\n'),
    );
  }
  if (s.previous) {
    const change = s.change
      ? `change ${signedPoints(s.change.delta)} (95% CI ${points(s.change.ci95.low)} to ${points(s.change.ci95.high)}), ${s.change.significant ? 'significant' : 'within noise'}`
      : 'no change to show (a period without responses)';
    parts.push(`previous period ${s.previous.from} to ${s.previous.to}: NPS ${points(s.previous.nps)} from ${count(s.previous.responses)} responses; ${change}`);
  }
  // Trend and segments describe the responses above; with none, a table could only come from
  // outside the period (an older server answered all-time segments), so none is printed.
  if (s.responses === 0) return `${parts.join('\n\n')}\n`;
  if (by === 'week' && s.weeks && s.weeks.length > 0) parts.push(figuresTable('week of', s.weeks.map((w) => [w.week, w] as const)));
  else if (by === 'day' && s.days.length > 0) parts.push(figuresTable('day', s.days.map((d) => [d.day, d] as const)));
  const segments = Object.entries(s.segments)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([attribute, values]) => [attribute, Object.entries(values).sort(([a], [b]) => a.localeCompare(b))] as const)
    .filter(([, rows]) => rows.length > 0);
  if (segments.length > 0 && period) parts.push(`Segments${period}:`);
  for (const [attribute, rows] of segments) parts.push(figuresTable(attribute, rows));
  return `${parts.join('\n\n')}\n`;
};

const dayOption = (name: string, value: string | undefined) => {
  if (value !== undefined && !IsoDay.safeParse(value).success) {
    throw new UsageError(`--${name} must be a day like 2026-11-01, got "${value}"`, 'score');
  }
  return value;
};

export const scoreParamsOf = (values: { from?: string; to?: string; segment?: string; by?: string; compare?: string }): ScoreParams => {
  const params = {
    from: dayOption('from', values.from),
    to: dayOption('to', values.to),
    segment: values.segment,
    by: choiceOption('by', values.by, ['day', 'week'] as const),
    compare: choiceOption('compare', values.compare, ['previous'] as const),
  };
  if (params.compare && !(params.from && params.to)) throw new UsageError('--compare previous needs --from and --to', 'score');
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
};

const scoreOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  segment: { type: 'string' },
  by: { type: 'string' },
  compare: { type: 'string' },
} as const;

export const score: Command = {
  name: 'score',
  summary: 'NPS of a campaign, or of all campaigns',
  help: `Usage: npsloop score [CAMPAIGN_ID] [--from DAY --to DAY] [--segment NAME] [--by day|week] [--compare previous]

Prints the NPS (with its 95% interval), the responses and the promoter / passive / detractor
split, then the trend and the segments as tables. Without a campaign id, all campaigns.

Options:
  --from DAY, --to DAY    only responses first given on those days (UTC, e.g. 2026-11-01),
                          in the score, the trend and the segments alike
  --segment NAME          only this segment attribute (e.g. plan)
  --by day|week           the trend table by day (default) or by ISO week
  --compare previous      also the period of the same length just before --from, and the change

${globalHelp}`,
  async run(args, io) {
    const parsed = parseCommandArgs(score, io, { min: 0, max: 1, names: '' }, () =>
      parseArgs({ args, options: { ...globalOptions, ...scoreOptions }, ...commandLine }),
    );
    if (!parsed) return;
    const params = scoreParamsOf(parsed.values);
    const result = await apiClientFor(parsed.values, io).score(parsed.positionals[0], params);
    if (parsed.values.json) printJson(io, result);
    else io.stdout.write(scoreText(result, params.by ?? 'day'));
  },
};
