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

describe('the scale in the e-mail', () => {
  it('is 11 links to 11 distinct scores, each with the survey token', () => {
    // GIVEN a branded invitation
    const email = renderInvitationEmail({ ...input, brandColor: '#0f766e', postalAddress: 'Acme Ltd\nSpringfield' });
    // WHEN its score links are read
    const links = [...email.html.matchAll(/href="([^"]*\?score=[^"]*)"/g)].map((m) => new URL(m[1]?.replaceAll('&amp;', '&') ?? ''));
    // THEN there are 11, for 0 to 10, every one on the survey token's path
    expect(links).toHaveLength(11);
    expect(links.map((u) => u.searchParams.get('score'))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(new Set(links.map((u) => u.pathname))).toEqual(new Set(['/s/tok.en']));
  });

  it('looks the same for every score: no red, amber or green categories', () => {
    const { html } = renderInvitationEmail(input);
    const cells = [...html.matchAll(/<a href="[^"]*\?score=\d+"[^>]*style="([^"]*)"/g)].map((m) => m[1]);
    expect(cells).toHaveLength(11);
    expect(new Set(cells).size).toBe(1);
    expect(html).not.toMatch(/#d9534f|#f0ad4e|#5cb85c/i);
  });

  it('keeps the end labels in cells of their own, in both languages', () => {
    expect(renderInvitationEmail(input).html).toMatch(/>0&nbsp;=&nbsp;Not at all likely<\/td>\s*<td[^>]*>10&nbsp;=&nbsp;Extremely likely<\/td>/);
    expect(renderInvitationEmail({ ...input, locale: 'ru' }).html).toMatch(/>0&nbsp;=&nbsp;Совсем маловероятно<\/td>\s*<td[^>]*>10&nbsp;=&nbsp;Очень вероятно<\/td>/);
  });
});

describe('the footer', () => {
  const branded = { ...input, brand: 'Acme', senderName: 'Acme Support', postalAddress: 'Acme Ltd\n10 Market St\nSpringfield', privacyUrl: 'https://acme.example/privacy' };

  it('says why the mail came, where the sender is, and how to stop, in HTML and text', () => {
    const email = renderInvitationEmail(branded);
    expect(email.html).toContain('You get this e-mail because you are a customer of Acme.');
    expect(email.html).toContain('Acme Ltd<br>10 Market St<br>Springfield');
    expect(email.html).toContain(`Don&#39;t want these surveys? <a href="${input.unsubscribeUrl}"`);
    expect(email.html).not.toMatch(/Unsubscribe:\s*<a[^>]*>Unsubscribe/);
    expect(email.html).toContain('href="https://acme.example/privacy"');
  });

  it('shows the logo at a fixed height with the brand as its alt text', () => {
    const { html } = renderInvitationEmail({ ...branded, logoUrl: 'https://acme.example/logo.png' });
    expect(html).toMatch(/<img src="https:\/\/acme\.example\/logo\.png" alt="Acme" height="40"/);
  });
});

describe('the text part', () => {
  it('reads as a short letter: greeting, question, one numbered link a line, then the footer', () => {
    // GIVEN
    const { text } = renderInvitationEmail({ ...input, brand: 'Acme', postalAddress: 'Acme Ltd\nSpringfield' });
    // THEN
    expect(text.split('\n')).toEqual([
      'Hi Ann,',
      '',
      'How likely are you to recommend Acme to a friend or colleague?',
      '',
      'Click a number to answer: (0 = Not at all likely, 10 = Extremely likely)',
      ...Array.from({ length: 11 }, (_, s) => `${String(s).padStart(2)}: ${input.surveyUrl}?score=${s}`),
      '',
      '-- ',
      'You get this e-mail because you are a customer of Acme.',
      'Acme Ltd',
      'Springfield',
      `Don't want these surveys? Unsubscribe: ${input.unsubscribeUrl}`,
    ]);
  });

  it('holds no markup or entities', () => {
    const { text } = renderInvitationEmail({ ...input, brand: 'Acme', locale: 'ru', postalAddress: 'ООО «Акме»\nМосква' });
    expect(text).not.toMatch(/<[a-z/]|&[a-z]+;|&#/i);
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
