import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alertEmailText, alertSmsText, type AlertFacts } from '#shared/render/alert-text';
import { segmentsOf } from '#shared/render/sms-text';

const facts = (overrides: Partial<AlertFacts> = {}): AlertFacts => ({
  type: 'detractor',
  score: 2,
  campaignName: 'Spring survey',
  comment: 'Delivery took two weeks.',
  segments: { plan: 'pro', region: 'eu' },
  dueAt: '2026-12-02T14:30:00.000Z',
  caseUrl: 'https://acme.example.com/console/#/cases/01KB0000000000000000000001',
  ...overrides,
});

describe("a manager's alert e-mail", () => {
  it('says what happened, quotes the customer, shows the segments and the due time, and links to the case', () => {
    expect(alertEmailText(facts())).toBe(
      [
        'A customer scored 2 out of 10 in “Spring survey”. A follow-up case is open for them.',
        '',
        'Their comment:',
        '“Delivery took two weeks.”',
        '',
        'Segments: plan = pro, region = eu',
        'Follow up by: Wed, 2 Dec 2026, 14:30 UTC',
        '',
        'Open the case: https://acme.example.com/console/#/cases/01KB0000000000000000000001',
        '',
        'You get this e-mail because you subscribed to npsloop’s detractor alerts.',
      ].join('\n'),
    );
  });

  it('says an overdue case was due, and copes with no comment, no segments and no console link', () => {
    const text = alertEmailText(facts({ type: 'overdue', comment: undefined, segments: {}, caseUrl: undefined }));
    expect(text).toContain('A follow-up case is overdue: a customer scored 2 out of 10 in “Spring survey”');
    expect(text).toContain('They left no comment.');
    expect(text).toContain('Was due: Wed, 2 Dec 2026, 14:30 UTC');
    expect(text).toContain('Open the case in the npsloop console, under Inbox.');
    expect(text).not.toContain('Segments:');
  });
});

describe("a manager's alert SMS", () => {
  it('fits score, campaign, comment and link in one message when they are short', () => {
    expect(alertSmsText(facts())).toBe('Detractor 2/10 in Spring survey: "Delivery took two weeks." https://acme.example.com/console/#/cases/01KB0000000000000000000001');
  });

  it('cuts a long comment with an ellipsis so the text stays within two segments, link intact', () => {
    const text = alertSmsText(facts({ comment: 'The parcel was late again and nobody answered the phone. '.repeat(20) }));
    expect(segmentsOf(text).segments).toBeLessThanOrEqual(2);
    expect(text).toMatch(/…" https:\/\/acme\.example\.com\/console\/#\/cases\/01KB0000000000000000000001$/);
  });

  it('never goes over two segments nor splits a character, whatever the comment (Cyrillic, emoji)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('а', 'b', '😀', '👍🏽', ' ', 'é', '€'), maxLength: 400 }), (comment) => {
        const text = alertSmsText(facts({ comment }));
        expect(text.isWellFormed()).toBe(true);
        if (segmentsOf(alertSmsText(facts({ comment: '' }))).segments <= 2) expect(segmentsOf(text).segments).toBeLessThanOrEqual(2);
      }),
    );
  });
});
