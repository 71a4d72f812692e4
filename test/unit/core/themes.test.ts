import { describe, expect, it } from 'vitest';
import { defaultThemes } from '#shared/core/default-themes';
import { compileTagger, detectLanguage, wordsOf, type Theme } from '#shared/core/themes';
import { evaluate } from '../../../bench/themes.ts';
import { labelledComments } from '#test/fixtures/themes/labelled';

const theme = (id: string, en: string[], ru: string[] = []): Theme => ({ id, name: { en: id, ru: id }, keywords: { en, ru } });
const tagger = compileTagger([
  theme('delivery', ['delivery', 'courier', 'on time'], ['доставка', 'курьер*']),
  theme('price', ['expensive', 'price'], ['дорого', 'цена']),
  theme('staff', ['friendly', 'convenient'], ['вежливый']),
  theme('billing', ['charge'], []),
]);
const tags = (comment: string, locale: 'en' | 'ru' = 'en') => tagger.tag(comment, locale).themes;

describe('the comment tagger', () => {
  it('matches a keyword in any inflection, through its stem', () => {
    expect(tags('deliveries were fine')).toEqual(['delivery']);
    expect(tags('доставкой недоволен', 'ru')).toEqual(['delivery']);
    expect(tags('цены выросли', 'ru')).toEqual(['price']);
  });

  it('matches every word starting with a keyword that ends in *', () => {
    expect(tags('курьеры опоздали', 'ru')).toEqual(['delivery']);
  });

  it('matches a phrase only with its words in a row', () => {
    expect(tags('came on time')).toEqual(['delivery']);
    expect(tags('on the wrong time')).toEqual([]);
  });

  it('forgives one typing slip in a long word, a swap included', () => {
    expect(tags('delivrey was quick')).toEqual(['delivery']);
    expect(tags('expencive')).toEqual(['price']);
  });

  it('matches short words exactly: one slip there is usually another word', () => {
    expect(tags('they will change it')).toEqual([]);
  });

  it('keeps a theme when the word is negated: not expensive is still about price', () => {
    expect(tags('not expensive at all')).toEqual(['price']);
    expect(tags('не дорого', 'ru')).toEqual(['price']);
  });

  it('splits negation glued to a word', () => {
    expect(tags('недорого', 'ru')).toEqual(['price']);
    expect(tags('unfriendly people')).toEqual(['staff']);
    expect(tags('inconvenient')).toEqual(['staff']);
    expect(tags('невежливый курьер', 'ru')).toEqual(['delivery', 'staff']);
  });

  it('reads each word in its own alphabet, so a mixed comment matches both lists', () => {
    expect(tags('курьер super friendly', 'en')).toEqual(['delivery', 'staff']);
  });

  it('reads Latin look-alikes inside a Cyrillic word as Cyrillic', () => {
    expect(tags('дocтавка', 'ru')).toEqual(['delivery']);
  });

  it('counts a letter typed three times or more once', () => {
    expect(tags('sooo expensiiive')).toEqual(['price']);
  });

  it('lists each theme once, in the order of the theme set, with the keywords that found it', () => {
    const tagging = tagger.tag('price price, the courier and the price', 'en');
    expect(tagging.themes).toEqual(['delivery', 'price']);
    expect(tagging.evidence.map((e) => `${e.theme}:${e.words}`)).toContain('delivery:courier');
  });

  it('finds nothing in a comment without keywords, or in none', () => {
    expect(tags('great, thanks')).toEqual([]);
    expect(tags('')).toEqual([]);
  });

  it('reads the language from the letters, and the campaign locale when there are none', () => {
    expect(detectLanguage('доставка', 'en')).toBe('ru');
    expect(detectLanguage('delivery', 'ru')).toBe('en');
    expect(detectLanguage('10/10 👍', 'ru')).toBe('ru');
  });

  it('splits contractions into the word and not', () => {
    expect(wordsOf("didn't")).toEqual(['did', 'not']);
    expect(wordsOf('wasnt')).toEqual(['was', 'not']);
  });
});

describe('the default themes on the labelled comments', () => {
  it.each(['en', 'ru'] as const)('reach macro-F1 of 0.8 or more in %s', (language) => {
    expect(evaluate(defaultThemes, language, labelledComments(language)).macroF1).toBeGreaterThanOrEqual(0.8);
  });

  it.each(['en', 'ru'] as const)('reach macro-F1 of 0.8 or more in %s on comments never used to write them', (language) => {
    expect(evaluate(defaultThemes, language, labelledComments(language, 'holdout')).macroF1).toBeGreaterThanOrEqual(0.8);
  });

  it.each(['en', 'ru'] as const)('have at least 150 labelled comments in %s', (language) => {
    expect(labelledComments(language).length).toBeGreaterThanOrEqual(150);
  });
});

describe('a theme set', () => {
  it('passes the API validation in its default form', async () => {
    const { ThemeSetInput } = await import('#shared/contract/themes');
    expect(ThemeSetInput.safeParse({ themes: defaultThemes }).success).toBe(true);
  });

  it.each(['a*', 'deli*very', 'two  spaces', 'six words in one long phrase', 'emoji 👍'])('refuses the keyword %j', async (keyword) => {
    const { Keyword } = await import('#shared/contract/themes');
    expect(Keyword.safeParse(keyword).success).toBe(false);
  });

  it('matches a phrase whose words each end in *', () => {
    const phrase = compileTagger([theme('support', [], ['служб* поддержк*'])]);
    expect(phrase.tag('службы поддержки нет', 'ru').themes).toEqual(['support']);
  });
});
