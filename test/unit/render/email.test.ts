import { describe, expect, it } from 'vitest';
import { renderInvitationEmail } from '#shared/render/email';

const input = {
  brand: 'Acme <Shop>',
  locale: 'en' as const,
  name: 'Ann',
  surveyUrl: 'https://nps.example.com/s/tok.en',
  unsubscribeUrl: 'https://nps.example.com/u/tok.en',
};

describe('invitation e-mail', () => {
  it('has 11 distinct score links, 0 to 10, in HTML and text', () => {
    const email = renderInvitationEmail(input);
    const htmlLinks = [...email.html.matchAll(/href="([^"]+\?score=\d+)"/g)].map((m) => m[1]);
    const textLinks = [...email.text.matchAll(/(https:\/\/\S+\?score=\d+)/g)].map((m) => m[1]);
    const expected = Array.from({ length: 11 }, (_, s) => `${input.surveyUrl}?score=${s}`);
    expect(htmlLinks).toEqual(expected);
    expect(textLinks).toEqual(expected);
  });

  it('carries RFC 8058 one-click unsubscribe headers and a visible link', () => {
    const email = renderInvitationEmail(input);
    expect(email.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
    expect(email.html).toContain(`href="${input.unsubscribeUrl}"`);
    expect(email.text).toContain(input.unsubscribeUrl);
  });

  it('escapes the brand in HTML and names it in the question', () => {
    const email = renderInvitationEmail(input);
    expect(email.html).toContain('Acme &lt;Shop&gt;');
    expect(email.html).not.toContain('Acme <Shop>');
    expect(email.text).toContain('How likely are you to recommend Acme <Shop> to a friend or colleague?');
  });

  it('speaks the recipient locale', () => {
    const email = renderInvitationEmail({ ...input, locale: 'ru' });
    expect(email.text).toContain('Насколько вероятно, что вы порекомендуете');
    expect(email.subject).toContain('Acme <Shop>');
  });

  it('asks a custom question when the campaign has one', () => {
    expect(renderInvitationEmail({ ...input, question: 'Would you recommend {brand} support?' }).text).toContain(
      'Would you recommend Acme <Shop> support?',
    );
  });
});

describe('reminder e-mail', () => {
  it('keeps the subject on one line whatever the brand holds', () => {
    const { subject } = renderInvitationEmail({ ...input, brand: 'Acme\r\nBcc: x@example.com' });
    expect(subject).toBe('Quick question from Acme Bcc: x@example.com');
  });

  it('says it is a reminder in the subject, in the recipient locale', () => {
    expect(renderInvitationEmail({ ...input, reminder: true }).subject).toBe('Reminder: Quick question from Acme <Shop>');
    expect(renderInvitationEmail({ ...input, locale: 'ru', reminder: true }).subject).toMatch(/^Напоминание: /);
  });
});
