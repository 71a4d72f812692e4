import { describe, expect, it } from 'vitest';
import { renderReplyEmail, replySms } from '#shared/render/reply';

/** A manager's reply as the customer receives it. */
describe('renderReplyEmail', () => {
  it('greets the customer, carries the text as written and escapes it in the HTML', () => {
    const mail = renderReplyEmail({ brand: 'Acme', locale: 'en', name: 'Dana', text: 'Sorry <b>really</b>.\n\nCall us.' });
    expect(mail.subject).toBe('About your feedback to Acme');
    expect(mail.text).toContain('Hello Dana,\n\nSorry <b>really</b>.\n\nCall us.');
    expect(mail.html).toContain('Sorry &lt;b&gt;really&lt;/b&gt;.');
    expect(mail.html).not.toContain('<b>really');
  });

  it('speaks Russian for a Russian campaign', () => {
    const mail = renderReplyEmail({ brand: 'Acme', locale: 'ru', text: 'Извините' });
    expect(mail.subject).toBe('О вашем отзыве для Acme');
    expect(mail.text).toMatch(/^Здравствуйте!/);
  });

  it('keeps the subject on one line whatever the brand holds', () => {
    expect(renderReplyEmail({ brand: 'A\r\nBcc: x', locale: 'en', text: 't' }).subject).not.toMatch(/[\r\n]/);
  });
});

describe('replySms', () => {
  it('starts with the brand', () => {
    expect(replySms('Acme', 'Sorry about the delay.')).toBe('Acme: Sorry about the delay.');
  });
});
