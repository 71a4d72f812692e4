import { describe, expect, it } from 'vitest';
import { closedPage, surveyPage, unsubscribePage } from '#shared/pages';

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
