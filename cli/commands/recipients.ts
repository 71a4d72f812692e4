import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apiClientFor, commandLine, globalHelp, globalOptions, parseCommandArgs, printJson, UsageError, type Command } from '../command.ts';
import { importRecipients, LOCAL_SKIP_REASON, type DuplicateSplit, type ImportSummary } from '../csv-import.ts';
import { createProgress } from '../progress.ts';
import { importRetryPolicy } from '../retry.ts';
import { count } from '../table.ts';

/** `npsloop recipients add CAMPAIGN_ID --csv FILE`. */

/** "2 repeat an earlier line (line 18 = line 17, line 40 = line 3); 1 already in the campaign" */
const duplicatesNote = ({ sameAsEarlierLine, alreadyInCampaign, examples }: DuplicateSplit): string => {
  const parts: string[] = [];
  if (sameAsEarlierLine > 0) {
    const named = examples.map((e) => `line ${e.line} = line ${e.sameAs}`).join(', ');
    const more = sameAsEarlierLine > examples.length ? ', …' : '';
    parts.push(`${count(sameAsEarlierLine)} ${sameAsEarlierLine === 1 ? 'repeats' : 'repeat'} an earlier line (${named}${more})`);
  }
  if (alreadyInCampaign > 0) parts.push(`${count(alreadyInCampaign)} already in the campaign`);
  return `(${parts.join('; ')})`;
};

const noteOf = (reason: string, s: ImportSummary): string | undefined => {
  if (reason === LOCAL_SKIP_REASON) return '(not sent)';
  if (reason === 'duplicate' && s.duplicates) return duplicatesNote(s.duplicates);
  return undefined;
};

export const summaryText = (s: ImportSummary): string => {
  const reasons = Object.entries(s.skipped);
  const skippedTotal = reasons.reduce((sum, [, n]) => sum + n, 0);
  const rows: [label: string, figure: string, note?: string][] = [
    ['accepted', count(s.accepted)],
    ...(s.alreadyImported > 0
      ? [['already imported', count(s.alreadyImported), '(an earlier run of this import added them; nothing added now)'] as [string, string, string]]
      : []),
    ['skipped', count(skippedTotal)],
    ...reasons.map(([reason, n]): [string, string, string?] => [`  ${reason}`, count(n), noteOf(reason, s)]),
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const figureWidth = Math.max(...rows.map(([, figure]) => figure.length));
  const requests = `${count(s.requests)} ${s.requests === 1 ? 'request' : 'requests'}`;
  const lines = [
    `Imported ${s.file} into campaign ${s.campaignId}: ${count(s.rows)} ${s.rows === 1 ? 'row' : 'rows'} in ${s.seconds.toFixed(1)} s (${requests})`,
    ...rows.map(([label, figure, note]) => `  ${label.padEnd(labelWidth)}  ${figure.padStart(figureWidth)}${note ? `  ${note}` : ''}`),
  ];
  if (s.skippedOut && skippedTotal > 0) lines.push(`Skipped rows, with their reason, line and detail: ${s.skippedOut}`);
  else if (skippedTotal > 0) lines.push('Add --skipped-out FILE to get the skipped rows with their reason, line and detail.');
  return `${lines.join('\n')}\n`;
};

export const recipientsAdd: Command = {
  name: 'recipients add',
  summary: 'import recipients from a CSV file',
  help: `Usage: npsloop recipients add CAMPAIGN_ID --csv FILE [--skipped-out FILE]

Adds every row of a CSV file (UTF-8, with a header row) to a campaign, 1000 per request,
with a progress bar on stderr: rows done, rate and time left.

Columns: email, phone, name, locale, timezone, externalId (any letter case); every other
column becomes an attribute of the recipient (e.g. plan, region: names of letters, digits and _).
Empty cells are left out. Rows the API would refuse outright are skipped as invalid_row and
not sent. Each request carries an Idempotency-Key made from the file's content, so running
the same import again after a failure does not add anyone twice.

Options:
  --csv FILE            the recipients (required)
  --skipped-out FILE    write the skipped rows there, with skip_reason, skip_line and
                        skip_detail columns (a duplicate names the line it repeats);
                        fix them and import that file as it is

${globalHelp}`,
  async run(args, io) {
    const parsed = parseCommandArgs(recipientsAdd, io, { min: 1, max: 1, names: 'a campaign id' }, () =>
      parseArgs({ args, options: { ...globalOptions, csv: { type: 'string' }, 'skipped-out': { type: 'string' } }, ...commandLine }),
    );
    if (!parsed) return;
    const csvPath = parsed.values.csv;
    if (!csvPath) throw new UsageError('--csv FILE is required', recipientsAdd.name);
    const skippedOut = parsed.values['skipped-out'];
    if (skippedOut && resolve(skippedOut) === resolve(csvPath)) {
      throw new UsageError('--skipped-out must not be the --csv file: it would be overwritten', recipientsAdd.name);
    }
    const progress = createProgress(io.stderr);
    const api = apiClientFor(parsed.values, io, {
      policy: importRetryPolicy,
      onRetry: (n) => progress.note(`npsloop: ${n.reason}; trying again in ${(n.delayMs / 1000).toFixed(1)} s (try ${n.attempt + 1} of ${n.attempts})`),
    });
    const summary = await importRecipients({
      campaignId: parsed.positionals[0] ?? '',
      csvPath,
      ...(skippedOut ? { skippedOut } : {}),
      api,
      progress,
    });
    if (parsed.values.json) printJson(io, summary);
    else io.stdout.write(summaryText(summary));
  },
};
