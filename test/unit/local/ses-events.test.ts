import { describe, expect, it } from 'vitest';
import { sesEventRecord, SimulatedSesEvent, type SentMail } from '#local/ses/ses-events-route';
import { SesEvent, suppressionsOf } from '#shared/app/suppression';

const mail: SentMail = {
  messageId: '0100018c-sent',
  timestamp: '2026-03-01T10:00:00.000Z',
  source: 'Acme Surveys <surveys@acme.example>',
  destination: ['ann@example.com'],
  subject: 'How likely are you to recommend Acme?',
};
const context = { region: 'us-east-1', configurationSetName: 'npsloop', now: new Date('2026-03-01T10:05:00.000Z') };
const simulated = (input: unknown) => SimulatedSesEvent.parse(input);

describe('simulated SES events (POST /local/ses/events)', () => {
  it('publishes a permanent bounce as SES does for a configuration set event destination', () => {
    const record = sesEventRecord(simulated({ type: 'Bounce', email: 'ann@example.com' }), mail, context);
    expect(record).toEqual({
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'ann@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: '2026-03-01T10:05:00.000Z',
        feedbackId: expect.stringMatching(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/),
        reportingMTA: expect.any(String),
      },
      mail: {
        timestamp: '2026-03-01T10:00:00.000Z',
        source: 'Acme Surveys <surveys@acme.example>',
        sourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/surveys@acme.example',
        sendingAccountId: '000000000000',
        messageId: '0100018c-sent',
        destination: ['ann@example.com'],
        headersTruncated: false,
        headers: [
          { name: 'From', value: 'Acme Surveys <surveys@acme.example>' },
          { name: 'To', value: 'ann@example.com' },
          { name: 'Subject', value: 'How likely are you to recommend Acme?' },
        ],
        commonHeaders: {
          from: ['Acme Surveys <surveys@acme.example>'],
          to: ['ann@example.com'],
          messageId: '0100018c-sent',
          subject: 'How likely are you to recommend Acme?',
        },
        tags: {
          'ses:configuration-set': ['npsloop'],
          'ses:source-ip': ['127.0.0.1'],
          'ses:from-domain': ['acme.example'],
          'ses:caller-identity': ['local'],
        },
      },
    });
  });

  it('publishes a complaint with its feedback report fields', () => {
    const record = sesEventRecord(simulated({ type: 'Complaint', email: 'ann@example.com' }), mail, context);
    expect(record).toMatchObject({
      eventType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: 'ann@example.com' }],
        timestamp: '2026-03-01T10:05:00.000Z',
        feedbackId: expect.any(String),
        complaintFeedbackType: 'abuse',
      },
      mail: { messageId: '0100018c-sent' },
    });
    expect(record).not.toHaveProperty('bounce');
  });

  it.each([
    [{ type: 'Bounce', email: 'ann@example.com' }, ['ann@example.com']],
    [{ type: 'Bounce', email: 'ann@example.com', bounceType: 'Transient' }, []],
    [{ type: 'Complaint', email: 'Ann@Example.com' }, ['ann@example.com']],
  ])('reads, as the SES event handler does, %j → suppresses %j', (input, suppressed) => {
    const record = sesEventRecord(simulated(input), mail, context);
    expect(suppressionsOf(SesEvent.parse(JSON.parse(JSON.stringify(record)))).map((s) => s.email)).toEqual(suppressed);
  });

  it.each([
    ['an unknown type', { type: 'Delivery', email: 'ann@example.com' }],
    ['a bad address', { type: 'Bounce', email: 'ann' }],
    ['no address', { type: 'Complaint' }],
    ['a bounce type on a complaint', { type: 'Complaint', email: 'ann@example.com', bounceType: 'Permanent' }],
    ['an unknown bounce type', { type: 'Bounce', email: 'ann@example.com', bounceType: 'Soft' }],
    ['extra fields', { type: 'Bounce', email: 'ann@example.com', reason: 'x' }],
  ])('refuses %s', (_, input) => {
    expect(SimulatedSesEvent.safeParse(input).success).toBe(false);
  });
});
