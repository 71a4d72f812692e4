import { Channel, IsoDay, Locale } from '#shared/contract/fields';
import type { Campaign, CampaignCounts } from '#shared/contract/campaigns';
import { parseArgs } from 'node:util';
import {
  apiClientFor,
  choiceOption,
  commandLine,
  globalHelp,
  globalOptions,
  integerOption,
  parseCommandArgs,
  printJson,
  UsageError,
  type Command,
} from '../command.ts';
import { count, keyValues, table } from '../table.ts';

/** `npsloop campaign create | show | list`. */

const campaignFacts = (c: Campaign): string =>
  keyValues([
    ['id', c.id],
    ['name', c.name],
    ['brand', c.brand],
    ['channel', c.channel],
    ['locale', c.locale],
    ['question', c.question],
    ['follow-up', c.followUpQuestion],
    ['segments', c.segments.length > 0 ? c.segments.join(', ') : undefined],
    ['throttle', c.throttleDays === undefined ? undefined : c.throttleDays === 0 ? 'off' : `${c.throttleDays} days`],
    ['send at', c.sendAt],
    ['reminder', c.reminderAfterHours === undefined ? undefined : `after ${c.reminderAfterHours} h`],
    ['sender name', c.senderName],
    ['brand colour', c.brandColor],
    ['logo', c.logoUrl],
    ['postal address', c.postalAddress?.split('\n').join(', ')],
    ['privacy policy', c.privacyUrl],
    ['created', c.createdAt],
  ]);

const countsText = (counts: CampaignCounts): string => {
  const reasons = Object.entries(counts.skipped).sort(([a], [b]) => a.localeCompare(b));
  const skippedTotal = reasons.reduce((sum, [, n]) => sum + n, 0);
  return keyValues([
    ['recipients', count(counts.recipients)],
    // Every recipient is in exactly one of the next six, so they add up to recipients.
    ['scheduled', count(counts.scheduled)],
    ['queued', count(counts.queued)],
    ['sent', count(counts.sent)],
    ['failed', count(counts.failed)],
    ['suppressed', count(counts.suppressed)],
    ['withdrawn', count(counts.withdrawn)],
    ['reminded', count(counts.reminded)],
    ['skipped', reasons.length === 0 ? '0' : `${count(skippedTotal)} (${reasons.map(([r, n]) => `${r} ${count(n)}`).join(', ')})`],
    ['clicked', count(counts.clicked)],
    ['responded', count(counts.responded)],
    ['click → answer', clickToAnswerText(counts)],
  ]);
};

/** "62% (31 of 50 who clicked)"; a dash before the first click. */
export const clickToAnswerText = (counts: CampaignCounts): string => {
  if (counts.clicked === 0) return '– (no clicks yet)';
  const rate = counts.clickToAnswerRate ?? counts.responded / counts.clicked;
  return `${Math.round(rate * 100)}% (${count(counts.responded)} of ${count(counts.clicked)} who clicked)`;
};

const createOptions = {
  name: { type: 'string' },
  brand: { type: 'string' },
  channel: { type: 'string' },
  locale: { type: 'string' },
  question: { type: 'string' },
  'follow-up-question': { type: 'string' },
  segments: { type: 'string' },
  'throttle-days': { type: 'string' },
  'send-at': { type: 'string' },
  'reminder-after-hours': { type: 'string' },
  'brand-color': { type: 'string' },
  'logo-url': { type: 'string' },
  'sender-name': { type: 'string' },
  'postal-address': { type: 'string' },
  'privacy-url': { type: 'string' },
} as const;

/** An instant the user wrote (with or without an offset; without one it is their local time), sent as UTC ISO 8601. */
export const sendAtOption = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const text = value.trim();
  // Date() would roll an impossible day (Feb 30) into the next month; the day must be real.
  const written = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) && IsoDay.safeParse(text.slice(0, 10)).success;
  const at = written ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new UsageError(`--send-at must be an ISO 8601 time like 2026-11-20T09:00:00+01:00, got "${value}"`);
  return at.toISOString();
};

/** `--segments plan,region` as the API's list; empty items (a trailing comma) are dropped. */
export const segmentsOption = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The POST /v1/campaigns body for the create flags: only what was given, so the API's defaults apply. */
export const campaignInputOf = (values: { [K in keyof typeof createOptions]?: string | undefined }): Record<string, unknown> => {
  if (!values.name?.trim()) throw new UsageError('--name is required', 'campaign create');
  if (!values.brand?.trim()) throw new UsageError('--brand is required', 'campaign create');
  const input = {
    name: values.name,
    brand: values.brand,
    channel: choiceOption('channel', values.channel, Channel.options) ?? 'email',
    locale: choiceOption('locale', values.locale, Locale.options),
    question: values.question,
    followUpQuestion: values['follow-up-question'],
    segments: segmentsOption(values.segments),
    throttleDays: integerOption('throttle-days', values['throttle-days'], 0, 3650),
    sendAt: sendAtOption(values['send-at']),
    reminderAfterHours: integerOption('reminder-after-hours', values['reminder-after-hours'], 1, 720),
    // Checked by the API, which names the field in its 400; "\n" typed in a shell separates address lines.
    brandColor: values['brand-color'],
    logoUrl: values['logo-url'],
    senderName: values['sender-name'],
    postalAddress: values['postal-address']?.replaceAll('\\n', '\n'),
    privacyUrl: values['privacy-url'],
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
};

export const campaignCreate: Command = {
  name: 'campaign create',
  summary: 'create a campaign',
  help: `Usage: npsloop campaign create --name NAME --brand BRAND [options]

Creates a campaign and prints it (its id first).

Options:
  --name NAME                   what marketing calls it (required)
  --brand BRAND                 the {brand} in "How likely are you to recommend {brand}…" (required)
  --channel email|sms           default email
  --locale en|ru                language of the invitation and survey page (default en)
  --question TEXT               a custom question instead of the standard one
  --follow-up-question TEXT     asked after the score
  --segments plan,region        recipient attributes to break the score down by (up to 5)
  --throttle-days N             skip contacts surveyed in the last N days (default 90, 0 = off)
  --send-at TIME                hold the invitations until then (ISO 8601, e.g. 2026-11-20T09:00:00+01:00)
  --reminder-after-hours N      one reminder to people who have not answered after N hours

Branding (in the e-mail, the survey, thank-you and unsubscribe pages):
  --sender-name NAME            the e-mail's From name and the sender named in it (default: the brand)
  --brand-color '#RRGGBB'       accent colour; text on it is black or white, whichever reads better
  --logo-url https://...        logo shown 40 px high at the top (https only)
  --postal-address TEXT         the sender's postal address in every e-mail (up to 3 lines, separated by \\n)
  --privacy-url https://...     a privacy policy linked from the e-mail and pages

${globalHelp}`,
  async run(args, io) {
    const parsed = parseCommandArgs(campaignCreate, io, { min: 0, max: 0, names: '' }, () =>
      parseArgs({ args, options: { ...globalOptions, ...createOptions }, ...commandLine }),
    );
    if (!parsed) return;
    const input = campaignInputOf(parsed.values);
    const campaign = await apiClientFor(parsed.values, io).createCampaign(input);
    if (parsed.values.json) printJson(io, campaign);
    else io.stdout.write(`${campaignFacts(campaign)}\n`);
  },
};

export const campaignShow: Command = {
  name: 'campaign show',
  summary: 'a campaign and its counts',
  help: `Usage: npsloop campaign show CAMPAIGN_ID

Prints the campaign and its counts: recipients; scheduled (held until sendAt or the SMS
window), queued, sent, failed, suppressed (bounced or complained before sending) and withdrawn
(opted out before sending), which add up to recipients; reminded; skipped by reason; clicked,
responded, and the click-to-answer rate (how many who opened the survey from the e-mail also
pressed Send).

${globalHelp}`,
  async run(args, io) {
    const parsed = parseCommandArgs(campaignShow, io, { min: 1, max: 1, names: 'a campaign id' }, () =>
      parseArgs({ args, options: globalOptions, ...commandLine }),
    );
    if (!parsed) return;
    const campaign = await apiClientFor(parsed.values, io).getCampaign(parsed.positionals[0] ?? '');
    if (parsed.values.json) printJson(io, campaign);
    else io.stdout.write(`${campaignFacts(campaign)}\n\n${countsText(campaign.counts)}\n`);
  },
};

const PAGE_MAX = 100;

export const campaignList: Command = {
  name: 'campaign list',
  summary: 'campaigns, newest first',
  help: `Usage: npsloop campaign list [--limit N]

Lists campaigns, newest first.

Options:
  --limit N   how many to show (default 50)

${globalHelp}`,
  async run(args, io) {
    const parsed = parseCommandArgs(campaignList, io, { min: 0, max: 0, names: '' }, () =>
      parseArgs({ args, options: { ...globalOptions, limit: { type: 'string' } }, ...commandLine }),
    );
    if (!parsed) return;
    const limit = integerOption('limit', parsed.values.limit, 1, 100_000) ?? 50;
    const api = apiClientFor(parsed.values, io);
    const campaigns: Campaign[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.listCampaigns({ limit: Math.min(PAGE_MAX, limit - campaigns.length), ...(cursor ? { cursor } : {}) });
      campaigns.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && campaigns.length < limit);
    if (parsed.values.json) return void printJson(io, { items: campaigns, ...(cursor ? { nextCursor: cursor } : {}) });
    if (campaigns.length === 0) return void io.stdout.write('No campaigns yet. Create one with: npsloop campaign create --name NAME --brand BRAND\n');
    io.stdout.write(
      `${table(
        ['ID', 'CREATED', 'CHANNEL', 'NAME', 'BRAND'],
        campaigns.map((c) => [c.id, c.createdAt.slice(0, 16).replace('T', ' '), c.channel, c.name, c.brand]),
      )}\n`,
    );
    if (cursor) io.stdout.write(`(more: use --limit ${limit + 50})\n`);
  },
};
