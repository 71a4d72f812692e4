import { describe, expect, it } from 'vitest';
import { closedPage, surveyPage, thankYouPage, unsubscribedPage, unsubscribePage } from '#shared/render/pages';

const base = { locale: 'en' as const, brand: 'Acme', action: '/s/tok', answered: false };

describe('survey page', () => {
  it('preselects the score from the link and posts to itself', () => {
    const page = surveyPage({ ...base, selected: 7 });
    expect(page).toContain('<form method="post" action="/s/tok">');
    expect(page.match(/ required checked/g)).toHaveLength(1);
    expect(page).toContain('value="7" required checked');
  });

  it('never submits by itself: no script at all', () => {
    expect(surveyPage(base)).not.toMatch(/<script|onload|http-equiv="refresh"/i);
  });

  it('escapes a stored comment', () => {
    expect(surveyPage({ ...base, comment: '</textarea><script>x</script>' })).toContain('&lt;/textarea&gt;&lt;script&gt;');
  });

  it('labels every score for screen readers with a fieldset legend', () => {
    const page = surveyPage(base);
    expect(page).toContain('<legend>How likely are you to recommend Acme to a friend or colleague?</legend>');
    expect(page.match(/<label><input type="radio"/g)).toHaveLength(11);
  });
});

describe('a score preselected from the e-mail', () => {
  it('says, in the reader language, that nothing is saved until Send', () => {
    expect(surveyPage({ ...base, selected: 8, fromLink: true })).toContain(
      '<p class="notice" role="status">You picked 8. Your answer is saved only when you press “Send my answer”.</p>',
    );
    expect(surveyPage({ ...base, locale: 'ru', selected: 8, fromLink: true })).toContain(
      'Вы выбрали 8. Ответ сохранится, только когда вы нажмёте «Отправить ответ».',
    );
  });

  it('says nothing of the kind when the page was opened without a score', () => {
    expect(surveyPage({ ...base, selected: 8, answered: true })).not.toContain('class="notice"');
  });
});

describe('branding on the pages', () => {
  const acme = { brand: 'Acme', brandColor: '#ffd400', logoUrl: 'https://acme.example/logo.png', postalAddress: 'Acme Ltd\nSpringfield', privacyUrl: 'https://acme.example/privacy' };

  it('shows the logo, the address and the privacy policy on the survey, thank-you and unsubscribe pages', () => {
    for (const page of [surveyPage({ ...base, ...acme }), thankYouPage('en', acme), unsubscribePage('en', acme, '/u/tok'), unsubscribedPage('en', acme)]) {
      expect(page).toContain('<img src="https://acme.example/logo.png" alt="Acme" height="40">');
      expect(page).toContain('Acme Ltd, Springfield');
      expect(page).toContain('href="https://acme.example/privacy"');
    }
  });

  it('puts black text on a light brand colour', () => {
    expect(surveyPage({ ...base, ...acme })).toContain('--accent:#ffd400;--on-accent:#000000');
  });

  it('draws scale borders at 3:1 or more against white', () => {
    expect(surveyPage(base)).toContain('border:1px solid #6b7280');
  });
});

describe('unsubscribe page', () => {
  it('asks for a button press instead of acting on the GET', () => {
    const page = unsubscribePage('en', { brand: 'Acme' }, '/u/tok');
    expect(page).toContain('<form method="post" action="/u/tok">');
    expect(page).toContain('<button type="submit">');
  });
});

describe('closed survey page', () => {
  it('says the survey has closed, in the campaign language, with nothing to submit', () => {
    const en = closedPage('en', { brand: 'Acme' });
    const ru = closedPage('ru', { brand: 'Акме' });
    expect(en).toContain('<h1>This survey has closed.</h1>');
    expect(ru).toContain('lang="ru"');
    expect(ru).toContain('<h1>Этот опрос завершён.</h1>');
    expect(ru).toContain('Акме больше не принимает ответы');
    for (const page of [en, ru]) expect(page).not.toMatch(/<form|<script/i);
  });

  it('escapes the brand', () => {
    expect(closedPage('en', { brand: '<b>Acme</b>' })).toContain('&lt;b&gt;Acme&lt;/b&gt;');
  });
});
