import type { Figure } from './figures.ts';

/**
 * A 1,000,000-recipient e-mail campaign on AWS, modelled from what the scale benchmark measured
 * per invitation on the local pipeline: capacity units, calls, function time, and the write units
 * the busiest partition of each key family received. Nothing here is a constant of the model
 * except AWS's published quotas and prices; every per-invitation figure comes from the run, so
 * the table moves when the pipeline changes.
 *
 * Assumptions, stated once:
 * - Sending is limited by the SES send rate (the account quota), never by Lambda: the needed
 *   concurrency is the rate times the measured function time per message.
 * - People answer about as fast as mail arrives: at peak, answers/s = answer share × send rate.
 * - A partition takes at most 1,000 write units/s. After sustained load DynamoDB may split a hot
 *   key's items apart by sort key, so both the busiest partition key and the busiest item (which
 *   is never split) are shown.
 * - Lambda time is measured on a 2-core shared machine against local emulators: an upper bound.
 * - SMS: 1 message part per invitation, and only inside the 09:00–20:00 sending window (11 h a day).
 */

export const CAMPAIGN = 1_000_000;
export const PARTITION_LIMIT_WCU = 1_000;
const SMS_WINDOW_HOURS = 11;

const PRICE = {
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  snsPublish: 0.5 / 1e6,
  email: 0.1 / 1e3,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  httpRequest: 1.0 / 1e6,
};

/** Send-rate scenarios: the default SES quota of a production account and two raised ones. */
export const EMAIL_RATES = [
  { label: 'SES default 14/s', perSecond: 14 },
  { label: 'SES raised 200/s', perSecond: 200 },
  { label: 'SES raised 1,000/s', perSecond: 1_000 },
] as const;

/** SMS: a long code's 1 part/s (the default), a toll-free number's 3/s, a short code's 100/s. */
export const SMS_RATES = [
  { label: 'SMS default 1 MPS', perSecond: 1 },
  { label: 'SMS toll-free 3 MPS', perSecond: 3 },
  { label: 'SMS short code 100 MPS', perSecond: 100 },
] as const;

export type Stage = 'import' | 'send' | 'answer';

/** What one stage cost per invitation that went through it (answers: per invitation sent). */
export interface StageMeasure {
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly sqsRequests: number;
  readonly snsPublishes: number;
  readonly emails: number;
  readonly httpRequests: number;
  /** Function → invocations and run time (ms) per invitation. */
  readonly functions: ReadonlyMap<string, { readonly invocations: number; readonly ms: number; readonly memoryMB: number }>;
  /** Key family → write units per invitation on its busiest partition key. */
  readonly hottest: ReadonlyMap<string, Hot>;
  /** Partition key family → write units per invitation on its busiest single item. */
  readonly hottestItems: ReadonlyMap<string, Hot>;
}

interface Hot {
  readonly key: string;
  readonly units: number;
}

export interface Measured {
  readonly stages: Readonly<Record<Stage, StageMeasure>>;
  /** Local rates, invitations per second. */
  readonly importRate: number;
  readonly releaseRate: number;
  /** Share of invitations answered. */
  readonly answerShare: number;
  /** The releaser's timeout (seconds): one run releases a minute's held invitations. */
  readonly releaseTimeoutSeconds: number;
  /** The invitation queue's maximum concurrency (wiring): the most send-invitation instances at once. */
  readonly senderMaxConcurrency: number;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

const hours = (seconds: number) => seconds / 3600;

export interface Model {
  readonly figures: Figure[];
  readonly table: string;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function modelCampaign(m: Measured): Model {
  const figures: Figure[] = [];
  const stages = Object.values(m.stages);
  const perInvitation = (pick: (s: StageMeasure) => number) => sum(stages.map(pick));
  const lambdaGbSeconds = perInvitation((s) => sum([...s.functions.values()].map((f) => (f.ms / 1000) * (f.memoryMB / 1024))));
  const lambdaInvocations = perInvitation((s) => sum([...s.functions.values()].map((f) => f.invocations)));
  const dollars = {
    dynamodb: CAMPAIGN * (perInvitation((s) => s.writeUnits) * PRICE.writeUnit + perInvitation((s) => s.readUnits) * PRICE.readUnit),
    ses: CAMPAIGN * perInvitation((s) => s.emails) * PRICE.email,
    lambda: CAMPAIGN * (lambdaInvocations * PRICE.lambdaRequest + lambdaGbSeconds * PRICE.lambdaGbSecond),
    messaging: CAMPAIGN * (perInvitation((s) => s.sqsRequests) * PRICE.sqsRequest + perInvitation((s) => s.snsPublishes) * PRICE.snsPublish),
    api: CAMPAIGN * perInvitation((s) => s.httpRequests) * PRICE.httpRequest,
  };
  const total = sum(Object.values(dollars));

  const lines: string[] = [];
  const row = (...cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push(`A ${CAMPAIGN.toLocaleString('en-US')}-recipient e-mail campaign on AWS, modelled from the measured per-invitation figures`, '');

  // Import and hold: the CLI sends 1,000 recipients per request, one request after another.
  const importCeiling = ceilingOf(m.stages.import);
  const releaseSeconds = CAMPAIGN / m.releaseRate;
  row('stage', 'rate', 'time', 'Lambda concurrency', 'busiest partition key: writes/s', 'busiest item: writes/s');
  row('---', '---', '---', '---', '---', '---');
  row(
    'import + hold (CLI, 1,000 per request)',
    `${fmt(m.importRate, 0)}/s (measured locally)`,
    `${fmt(hours(CAMPAIGN / m.importRate))} h`,
    '1 (one request at a time)',
    hotCell(busiest([{ stage: m.stages.import, rate: m.importRate }], 'hottest')),
    hotCell(busiest([{ stage: m.stages.import, rate: m.importRate }], 'hottestItems')),
  );
  const overTimeout = releaseSeconds > m.releaseTimeoutSeconds;
  row(
    'release (one run of release-due)',
    `${fmt(m.releaseRate, 0)}/s (measured locally)`,
    `${fmt(releaseSeconds / 60)} min${overTimeout ? ` (over its ${m.releaseTimeoutSeconds} s timeout)` : ''}`,
    '1',
    hotCell(busiest([{ stage: m.stages.send, rate: m.releaseRate }], 'hottest', /^TABLE DUE#/)),
    hotCell(busiest([{ stage: m.stages.send, rate: m.releaseRate }], 'hottestItems', /^TABLE DUE#/)),
  );
  figures.push(
    { name: `model ${CAMPAIGN}: import + hold at the measured local rate`, value: hours(CAMPAIGN / m.importRate), unit: 'h' },
    { name: `model ${CAMPAIGN}: import rate the busiest partition allows (${importCeiling.family})`, value: importCeiling.rate, unit: 'recipients/s' },
    { name: `model ${CAMPAIGN}: release of every held invitation at the measured local rate (release-due's timeout: ${m.releaseTimeoutSeconds} s)`, value: releaseSeconds, unit: 's' },
  );

  const send = m.stages.send;
  const answer = m.stages.answer;
  const sendMsPerInvitation = sum([...send.functions.values()].map((f) => f.ms));
  const answerMsPerInvitation = sum([...answer.functions.values()].map((f) => f.ms));
  for (const rate of EMAIL_RATES) {
    const seconds = CAMPAIGN / rate.perSecond;
    const concurrency = rate.perSecond * (sendMsPerInvitation / 1000) + rate.perSecond * (answerMsPerInvitation / 1000);
    const running = [
      { stage: send, rate: rate.perSecond },
      { stage: answer, rate: rate.perSecond },
    ];
    const hot = busiest(running, 'hottest');
    const hotItem = busiest(running, 'hottestItems');
    const duration = seconds >= 86_400 ? `${fmt(seconds / 86_400)} days` : seconds >= 3600 ? `${fmt(hours(seconds))} h` : `${fmt(seconds / 60)} min`;
    row(`send + answer, ${rate.label}`, `${fmt(rate.perSecond, 0)}/s`, duration, fmt(concurrency), hotCell(hot), hotCell(hotItem));
    figures.push(
      { name: `model ${CAMPAIGN}: sending at ${rate.label}`, value: hours(seconds), unit: 'h' },
      { name: `model ${CAMPAIGN}: Lambda concurrency while sending and answering at ${rate.label}`, value: concurrency, unit: 'instances' },
      { name: `model ${CAMPAIGN}: busiest partition key at ${rate.label} (${hot.family})`, value: hot.wcu, unit: 'WCU/s' },
      { name: `model ${CAMPAIGN}: busiest item at ${rate.label} (${hotItem.family})`, value: hotItem.wcu, unit: 'WCU/s' },
    );
  }
  const senderMsPerInvitation = send.functions.get('sendInvitation')?.ms ?? 0;
  if (senderMsPerInvitation > 0) {
    figures.push({
      name: `model ${CAMPAIGN}: e-mails/s that send-invitation's maximum concurrency (${m.senderMaxConcurrency}) allows at the measured time per send`,
      value: m.senderMaxConcurrency / (senderMsPerInvitation / 1000),
      unit: 'e-mails/s',
    });
  }
  for (const rate of SMS_RATES) {
    const days = CAMPAIGN / (rate.perSecond * SMS_WINDOW_HOURS * 3600);
    row(`send (SMS), ${rate.label}`, `${fmt(rate.perSecond, 0)}/s, ${SMS_WINDOW_HOURS} h a day`, `${fmt(days)} days`, fmt(rate.perSecond * (sendMsPerInvitation / 1000), 2), '', '');
    figures.push({ name: `model ${CAMPAIGN}: sending by SMS at ${rate.label} inside the ${SMS_WINDOW_HOURS} h window`, value: days, unit: 'days' });
  }
  // Answer units are per invitation sent; per answer they are 1 / answerShare times as many.
  const answersAtLimit = busiest([{ stage: answer, rate: 1 / m.answerShare }], 'hottest');
  figures.push({
    name: `model ${CAMPAIGN}: answers/s at which the busiest answer partition key (${answersAtLimit.family}) reaches 1,000 WCU/s`,
    value: answersAtLimit.wcu > 0 ? PARTITION_LIMIT_WCU / answersAtLimit.wcu : Number.POSITIVE_INFINITY,
    unit: 'answers/s',
  });

  lines.push('', 'Write units per invitation on the busiest partition key of each family, and (in brackets) on its busiest item, as measured', '');
  lines.push('| key family | import + hold | release + send | answers |', '| --- | --- | --- | --- |');
  const families = new Set(stages.flatMap((s) => [...s.hottest.keys()]));
  const units = (x: number | undefined) => (x === undefined ? '' : x < 0.0005 ? '<0.001' : fmt(x, 3));
  const cell = (s: StageMeasure, family: string) => {
    const partition = s.hottest.get(family)?.units;
    if (partition === undefined) return '';
    const item = s.hottestItems.get(family)?.units;
    return item === undefined ? units(partition) : `${units(partition)} (${units(item)})`;
  };
  for (const family of [...families].sort()) row(family, cell(m.stages.import, family), cell(send, family), cell(answer, family));

  lines.push('', `Cost of ${CAMPAIGN.toLocaleString('en-US')} invitations (us-east-1 list prices, on demand, arm64)`, '');
  lines.push('| part | USD |', '| --- | --- |');
  for (const [part, usd] of Object.entries(dollars)) row(part, fmt(usd, 2));
  row('total', fmt(total, 2));
  figures.push(
    ...Object.entries(dollars).map(([part, usd]) => ({ name: `model ${CAMPAIGN}: cost, ${part}`, value: usd, unit: 'USD' })),
    { name: `model ${CAMPAIGN}: cost, total`, value: total, unit: 'USD' },
  );
  return { figures, table: lines.join('\n') };
}

/** The import's busiest partition key and the import rate at which it would reach the partition limit. */
const ceilingOf = (stage: StageMeasure) => {
  const { family, wcu } = busiest([{ stage, rate: 1 }], 'hottest');
  return { family, rate: wcu > 0 ? PARTITION_LIMIT_WCU / wcu : Number.POSITIVE_INFINITY };
};

const hotCell = (hot: { family: string; wcu: number }) =>
  hot.family === '' ? '' : `${fmt(hot.wcu, 0)}${hot.wcu > PARTITION_LIMIT_WCU ? ' (over 1,000)' : ''} on ${hot.family.replace(/^TABLE /, '')}`;

/**
 * The busiest partition key (or item) family when stages run side by side at these rates, in
 * write units per second. A family's busiest key is taken to be the same one in every stage.
 */
const busiest = (running: readonly { stage: StageMeasure; rate: number }[], which: 'hottest' | 'hottestItems', only = /./) => {
  const byFamily = new Map<string, number>();
  for (const { stage, rate } of running) {
    for (const [family, hot] of stage[which]) if (only.test(family)) byFamily.set(family, (byFamily.get(family) ?? 0) + hot.units * rate);
  }
  const [family, wcu] = [...byFamily].reduce<[string, number]>((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  return { family, wcu };
};
