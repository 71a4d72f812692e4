import { describe, expect, it } from 'vitest';
import { dictionaries, preferredLocale, translate, translateCount } from '../../../console/src/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the console's texts", () => {
  it('has every key in English and in Russian, none empty', () => {
    // GIVEN both dictionaries
    const en = Object.keys(dictionaries.en).sort();
    const ru = Object.keys(dictionaries.ru).sort();
    // THEN they name the same texts, and each says something
    expect(ru).toEqual(en);
    for (const locale of ['en', 'ru'] as const) for (const [key, text] of Object.entries(dictionaries[locale])) expect(text.trim(), `${locale} ${key}`).not.toBe('');
  });

  it('fills the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(dictionaries.en)) {
      expect(placeholders(dictionaries.ru[key as keyof typeof dictionaries.en]), key).toEqual(placeholders(text));
    }
  });

  it('is written in Cyrillic in Russian wherever English has words', () => {
    // Product names, units and the channel names are the same in both.
    const same = new Set(['app.name', 'overview.nps', 'overview.none', 'channel.email', 'channel.sms', 'timeline.by']);
    for (const [key, text] of Object.entries(dictionaries.ru)) if (!same.has(key)) expect(text, key).toMatch(/[а-яё]/i);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'overview.answers', { count: '12' })).toBe('12 answers');
    expect(translate('ru', 'signedInAs', { email: 'a@example.com' })).toBe('Вы вошли как a@example.com');
    expect(translate('en', 'signedInAs')).toBe('Signed in as {email}');
  });
});

describe('counts', () => {
  it('says one answer, and two answers, in English', () => {
    expect(translateCount('en', 'overview.answers', 1)).toBe('1 answer');
    expect(translateCount('en', 'overview.answers', 2)).toBe('2 answers');
    expect(translateCount('en', 'overview.answers', 0)).toBe('0 answers');
  });

  it('keeps a formatted count when one is given', () => {
    expect(translateCount('en', 'overview.answers', 1234, { count: '1,234' })).toBe('1,234 answers');
  });

  it('has a plural form for every singular one', () => {
    for (const key of Object.keys(dictionaries.en).filter((k) => k.endsWith('.one'))) expect(Object.keys(dictionaries.en), key).toContain(key.slice(0, -4));
  });
});

describe('which language the console speaks', () => {
  it('follows the browser when nobody chose', () => {
    expect(preferredLocale(null, ['ru-RU', 'en-US'])).toBe('ru');
    expect(preferredLocale(null, ['de-DE', 'en-GB'])).toBe('en');
  });

  it('falls back to English for a browser language it does not speak', () => {
    expect(preferredLocale(null, ['de-DE', 'fr'])).toBe('en');
    expect(preferredLocale(null, [])).toBe('en');
  });

  it('keeps the choice made with the switch over the browser', () => {
    expect(preferredLocale('en', ['ru-RU'])).toBe('en');
    expect(preferredLocale('ru', ['en-US'])).toBe('ru');
  });

  it('ignores a remembered choice it does not know', () => {
    expect(preferredLocale('klingon', ['ru'])).toBe('ru');
  });
});
