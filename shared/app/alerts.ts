/**
 * The managers' alerts on the SNS topic. SNS refuses a Subject with line breaks or control
 * characters, or of 100 characters or more, and a message attribute with an empty value; a
 * refused alert would be retried into the dead-letter queue. So the publisher makes what it
 * sends acceptable itself, whatever a campaign or recipient was created with.
 */
import { PublishCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { sns } from '#shared/aws/clients';
import { requireEnv } from '#shared/aws/config';
import { count } from '#shared/aws/metrics';
import { asOneLine } from '#shared/core/control-characters';
import type { FollowupItem } from '#shared/table/items';
import { env, topics } from '#shared/contract/wiring';
import { alertEmailText, alertSmsText, type AlertFacts } from '#shared/render/alert-text';

export type AlertType = 'detractor' | 'overdue';

const SUBJECT_MAX_CHARACTERS = 99;

/** One line, under SNS's limit, cut between characters (never inside a surrogate pair). */
const alertSubject = (type: AlertType, score: number, campaignName: string): string => {
  const what = type === 'overdue' ? `Overdue follow-up (${score}/10)` : `Detractor (${score}/10)`;
  const name = asOneLine(campaignName);
  const subject = name === '' ? what : `${what} in ${name}`;
  return [...subject].slice(0, SUBJECT_MAX_CHARACTERS).join('').trimEnd();
};

/** String attributes without control characters; an attribute whose value would be empty is left out. */
const stringAttributes = (entries: readonly (readonly [string, string])[]): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    entries.flatMap(([name, value]) => {
      const clean = asOneLine(value);
      return clean === '' ? [] : [[name, { DataType: 'String', StringValue: clean }]];
    }),
  );

/** The case in the managers' console (its hash route), when CONSOLE_URL says where the console is; else none. */
export const caseLink = (followupId: string): string | undefined => {
  const consoleUrl = process.env[env.consoleUrl]?.trim();
  return consoleUrl ? `${consoleUrl}#/cases/${encodeURIComponent(followupId)}` : undefined;
};

/**
 * Publishes the alert with a message for each kind of subscriber (MessageStructure `json`): the
 * JSON document for queues, functions and webhooks (`default`, `sqs`, `lambda`, `http(s)`,
 * `email-json`), a readable e-mail for `email`, and a short text for `sms`.
 */
export const publishAlert = async (item: FollowupItem, campaignName: string, type: AlertType = 'detractor'): Promise<void> => {
  const caseUrl = caseLink(item.id);
  const document = JSON.stringify({
    type,
    followupId: item.id,
    campaignId: item.campaignId,
    campaignName,
    score: item.score,
    comment: item.comment,
    dueAt: item.dueAt,
    segments: item.segments,
    // A manager reading the alert opens the case in one click.
    caseUrl,
  });
  const facts: AlertFacts = {
    type,
    score: item.score,
    campaignName: asOneLine(campaignName),
    ...(item.comment ? { comment: item.comment } : {}),
    segments: item.segments,
    dueAt: item.dueAt,
    ...(caseUrl ? { caseUrl } : {}),
  };
  await sns.send(
    new PublishCommand({
      TopicArn: requireEnv(topics.alerts.arnEnv),
      Subject: alertSubject(type, item.score, campaignName),
      MessageStructure: 'json',
      Message: JSON.stringify({ default: document, email: alertEmailText(facts), sms: alertSmsText(facts) }),
      // Attributes let each manager's subscription filter (by campaign, score or segment value).
      MessageAttributes: {
        ...stringAttributes([
          ['alertId', `${type}:${item.id}`],
          ['type', type],
          ['campaignId', item.campaignId],
          ...Object.entries(item.segments).map(([k, v]) => [`segment.${k}`, v] as const),
        ]),
        score: { DataType: 'Number', StringValue: String(item.score) },
      },
    }),
  );
  count('AlertsPublished');
};
