import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { publishAlert } from '#shared/app/alerts';
import type { FollowupItem } from '#shared/table/items';

const sns = mockClient(SNSClient);

const followup = (overrides: Partial<FollowupItem> = {}): FollowupItem => ({
  id: '01KB0000000000000000000001',
  campaignId: '01KB0000000000000000000000',
  invitationId: 'inv',
  score: 3,
  status: 'open',
  dueAt: '2026-12-03T10:00:00.000Z',
  contact: {},
  segments: { plan: 'pro' },
  notes: [],
  createdAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  process.env.ALERTS_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:alerts';
});

/** The JSON document queues, functions and webhooks receive: the structured message's `default`. */
const document = (): Record<string, unknown> => JSON.parse(JSON.parse(published().Message ?? '{}').default ?? '{}');

const published = (): PublishCommandInput => {
  const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
  if (!input) throw new Error('nothing was published');
  return input;
};

/** What SNS accepts as a Subject: UTF-8 text without line breaks or control characters, under 100 characters. */
const expectValidSubject = (subject: string | undefined) => {
  expect(subject).toBeDefined();
  expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
  expect([...(subject ?? '')].length).toBeLessThan(100);
  expect((subject ?? '').isWellFormed()).toBe(true);
};

describe('the manager alert publisher', () => {
  it('puts a campaign name with line breaks and control characters on one clean subject line', async () => {
    await publishAlert(followup(), 'Q4\r\nBcc: x@example.com\u0000\u001b[31m');

    const { Subject } = published();
    expectValidSubject(Subject);
    expect(Subject).toBe('Detractor (3/10) in Q4 Bcc: x@example.com [31m');
  });

  it('keeps a long subject under 100 characters without splitting a character', async () => {
    await publishAlert(followup(), '🌼'.repeat(120), 'overdue');

    const { Subject } = published();
    expectValidSubject(Subject);
    expect(Subject).toMatch(/^Overdue follow-up \(3\/10\) in 🌼+$/u);
  });

  it('still names the alert when the campaign name is nothing but control characters', async () => {
    await publishAlert(followup(), '\r\n\t');

    expect(published().Subject).toBe('Detractor (3/10)');
  });

  it('drops message attributes whose value would be empty, keeping the others', async () => {
    await publishAlert(followup({ segments: { plan: '', region: 'eu', tier: '\u0000\u0007' } }), 'Q4');

    const attributes = published().MessageAttributes ?? {};
    expect(Object.keys(attributes).sort()).toEqual(['alertId', 'campaignId', 'score', 'segment.region', 'type']);
    for (const value of Object.values(attributes)) expect(value.StringValue).not.toBe('');
  });

  it('cleans control characters out of segment attribute values', async () => {
    await publishAlert(followup({ segments: { plan: 'pro\r\nplus' } }), 'Q4');

    expect(published().MessageAttributes?.['segment.plan']).toEqual({ DataType: 'String', StringValue: 'pro plus' });
  });

  it('keeps the full details, line breaks included, in the message body', async () => {
    await publishAlert(followup({ comment: 'slow\r\ndelivery' }), 'Q4\nnext');

    expect(document()).toMatchObject({ campaignName: 'Q4\nnext', comment: 'slow\r\ndelivery' });
  });

  it("links straight to the case in the console (its hash route) when CONSOLE_URL is set", async () => {
    process.env.CONSOLE_URL = 'https://console.example.com/';
    try {
      await publishAlert(followup(), 'Q4');
    } finally {
      delete process.env.CONSOLE_URL;
    }

    expect(document().caseUrl).toBe('https://console.example.com/#/cases/01KB0000000000000000000001');
  });

  it('carries no link without CONSOLE_URL', async () => {
    delete process.env.CONSOLE_URL;
    await publishAlert(followup(), 'Q4');

    expect(document()).not.toHaveProperty('caseUrl');
  });

  it('gives e-mail and SMS subscribers readable words and everyone else the JSON document', async () => {
    process.env.CONSOLE_URL = 'https://console.example.com/';
    try {
      await publishAlert(followup({ comment: 'Courier never came' }), 'Q4 survey');
    } finally {
      delete process.env.CONSOLE_URL;
    }

    const input = published();
    expect(input.MessageStructure).toBe('json');
    const structure = JSON.parse(input.Message ?? '{}');
    expect(Object.keys(structure).sort()).toEqual(['default', 'email', 'sms']);
    expect(structure.email).toContain('A customer scored 3 out of 10 in “Q4 survey”');
    expect(structure.email).toContain('“Courier never came”');
    expect(structure.email).toContain('Open the case: https://console.example.com/#/cases/01KB0000000000000000000001');
    expect(structure.email).not.toMatch(/[{}]/);
    expect(structure.sms).toBe('Detractor 3/10 in Q4 survey: "Courier never came" https://console.example.com/#/cases/01KB0000000000000000000001');
  });
});
