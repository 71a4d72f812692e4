/**
 * The words of a manager's alert, for the people who subscribe to the alerts topic by e-mail or
 * SMS. SNS sends each protocol its own message (MessageStructure `json`): a readable e-mail, a
 * short SMS, and the JSON document for queues, functions and webhooks (shared/app/alerts.ts).
 * Managers' alerts are in English: a subscription has no language of its own.
 */
import { segmentsOf } from '#shared/render/sms-text';

export interface AlertFacts {
  readonly type: 'detractor' | 'overdue';
  readonly score: number;
  readonly campaignName: string;
  readonly comment?: string;
  readonly segments: Readonly<Record<string, string>>;
  readonly dueAt: string;
  /** The case in the console, when the stack knows where the console is. */
  readonly caseUrl?: string;
}

/** "Tue, 1 Dec 2026, 14:30 UTC": a manager reads the due time at a glance, with no time zone left to guess. */
const when = (iso: string): string => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const text = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    hourCycle: 'h23',
  }).format(at);
  return `${text} UTC`;
};

const campaign = (name: string) => (name.trim() === '' ? 'a campaign' : `“${name.trim()}”`);

/** The e-mail body: what happened, the customer's words, where the case stands, and the way to it. */
export const alertEmailText = (facts: AlertFacts): string => {
  const lines = [
    facts.type === 'overdue'
      ? `A follow-up case is overdue: a customer scored ${facts.score} out of 10 in ${campaign(facts.campaignName)}, and nobody has closed the case yet.`
      : `A customer scored ${facts.score} out of 10 in ${campaign(facts.campaignName)}. A follow-up case is open for them.`,
    '',
  ];
  const comment = facts.comment?.trim();
  lines.push(comment ? `Their comment:\n“${comment}”` : 'They left no comment.', '');
  const segments = Object.entries(facts.segments);
  if (segments.length > 0) lines.push(`Segments: ${segments.map(([name, value]) => `${name} = ${value}`).join(', ')}`);
  lines.push(`${facts.type === 'overdue' ? 'Was due' : 'Follow up by'}: ${when(facts.dueAt)}`, '');
  lines.push(facts.caseUrl ? `Open the case: ${facts.caseUrl}` : 'Open the case in the npsloop console, under Inbox.', '');
  lines.push('You get this e-mail because you subscribed to npsloop’s detractor alerts.');
  return lines.join('\n');
};

/** The most an alert SMS may take: two GSM-7 segments (or four UCS-2 ones, for a comment in Cyrillic). */
const SMS_MAX_SEGMENTS = 2;

/**
 * The SMS: the score, the campaign, as much of the comment as fits in two segments, and the
 * link. The comment is cut between characters the reader sees, with an ellipsis.
 */
export const alertSmsText = (facts: AlertFacts): string => {
  const head = `${facts.type === 'overdue' ? 'Overdue case' : 'Detractor'} ${facts.score}/10 in ${facts.campaignName.trim() || 'a campaign'}`;
  const tail = facts.caseUrl ? ` ${facts.caseUrl}` : '';
  const compose = (comment: string) => `${head}${comment ? `: "${comment}"` : '.'}${tail}`;
  const comment = (facts.comment ?? '').replace(/\s+/g, ' ').trim();
  const fits = (text: string) => segmentsOf(text).segments <= SMS_MAX_SEGMENTS;
  if (fits(compose(comment))) return compose(comment);
  const characters = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(comment)].map((s) => s.segment);
  const cut = (keep: number) => `${characters.slice(0, keep).join('').trimEnd()}…`;
  // The longest beginning of the comment that still fits (more characters never take fewer segments).
  let [low, high] = [0, characters.length - 1];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(compose(cut(middle)))) low = middle;
    else high = middle - 1;
  }
  return low > 0 ? compose(cut(low)) : compose('');
};
