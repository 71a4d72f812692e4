import { parseArgs } from 'node:util';
import { IsoDay } from '#shared/contract/fields';
import type { ThemeImpactReport } from '#shared/contract/themes';
import { apiClientFor, commandLine, globalHelp, globalOptions, parseCommandArgs, printJson, UsageError, type Command } from '../command.ts';
import { count, points, signedPoints, table } from '../table.ts';

/** `npsloop themes [CAMPAIGN_ID]`: what customers talk about, and how many points each theme costs the score. */

const interval = (low: number, high: number) => `${points(low)} to ${points(high)}`;

export const themesText = (r: ThemeImpactReport): string => {
  const where = [r.segment ? `${r.segment.attribute} ${r.segment.value}` : '', r.from || r.to ? `between ${r.from ?? 'the start'} and ${r.to ?? 'today'}` : '']
    .filter(Boolean)
    .join(', ');
  if (r.overall.responses === 0) return `No responses${where ? ` (${where})` : ''} yet.\n`;
  const head = `NPS ${points(r.overall.nps)} from ${count(r.overall.responses)} responses${where ? ` (${where})` : ''}`;
  const rows = r.themes.map((t) => [
    t.name.en,
    count(t.mentions.responses),
    count(t.mentions.promoters),
    count(t.mentions.passives),
    count(t.mentions.detractors),
    points(t.mentions.nps),
    t.pointsCost ? signedPoints(t.pointsCost.delta) : '–',
    t.pointsCost ? interval(t.pointsCost.ci95.low, t.pointsCost.ci95.high) : '–',
    t.pointsCost ? (t.pointsCost.significant ? 'yes' : 'no') : '–',
  ]);
  const body = table(['theme', 'mentions', 'promoters', 'passives', 'detractors', 'NPS', 'points it costs', '95% CI', 'significant'], rows);
  const note =
    'Points it costs: how much higher the NPS would be without the answers that mention the theme\n' +
    '(negative: the theme lifts the score). Significant: its 95% interval leaves out 0.';
  return `${head}\n\n${body}\n\n${note}\n`;
};

export const themes: Command = {
  name: 'themes',
  summary: 'what comments talk about, and what each theme costs the NPS',
  help: `Usage: npsloop themes [CAMPAIGN_ID] [--from DAY --to DAY] [--segment ATTRIBUTE:VALUE]

Prints, for each comment theme, how many answers mention it (promoters, passives, detractors),
the NPS among them, and the points it costs: the NPS without those answers minus the NPS of all,
with its 95% interval. Costliest first. Without a campaign id, all campaigns.

Options:
  --from DAY, --to DAY        only responses first given on those days (UTC, e.g. 2026-11-01)
  --segment ATTRIBUTE:VALUE   only one segment value, e.g. plan:pro

${globalHelp}`,
  async run(args, io) {
    const parsed = parseCommandArgs(themes, io, { min: 0, max: 1, names: '' }, () =>
      parseArgs({ args, options: { ...globalOptions, from: { type: 'string' }, to: { type: 'string' }, segment: { type: 'string' } }, ...commandLine }),
    );
    if (!parsed) return;
    const { from, to, segment } = parsed.values;
    for (const [name, value] of [['from', from], ['to', to]] as const) {
      if (value !== undefined && !IsoDay.safeParse(value).success) throw new UsageError(`--${name} must be a day like 2026-11-01, got "${value}"`, 'themes');
    }
    if (segment !== undefined && !/^[A-Za-z][A-Za-z0-9_]*:./.test(segment)) throw new UsageError(`--segment must look like plan:pro, got "${segment}"`, 'themes');
    const params = Object.fromEntries(Object.entries({ from, to, segment }).filter(([, v]) => v !== undefined));
    const result = await apiClientFor(parsed.values, io).themeImpact(parsed.positionals[0], params);
    if (parsed.values.json) printJson(io, result);
    else io.stdout.write(themesText(result));
  },
};
