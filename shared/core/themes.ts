/**
 * Comment themes, pure: what a theme is, and the tagger that finds themes in a comment, in
 * English and Russian. The rules, in the order they apply:
 *
 * 1. Text is lower-cased, `ё` is read as `е`, a letter typed three times or more counts once
 *    ("sloooow"), and a word mixing Latin and Cyrillic look-alikes ("дocтавка" with a Latin o) is
 *    read in its main alphabet.
 * 2. Each word is stemmed in its own language, read from its alphabet (Cyrillic → Russian, Latin →
 *    English, with natural's Porter stemmers), so a mixed comment ("приложение crashes") matches both
 *    lists. The comment's language is the alphabet most of its letters use, and the campaign's
 *    locale when it has no letters.
 * 3. A keyword matches a word with the same stem; a keyword word ending in `*` matches every word
 *    starting with it; a phrase matches its words in a row.
 * 4. Misspellings: a word of 7 letters or more also matches a keyword one typing slip away (a
 *    letter missing, extra or wrong, or two letters swapped), a word of 10 or more two slips away,
 *    and a word whose first letters are one slip from a `*` keyword of 7 letters or more matches it.
 *    The first letter must be as typed. Shorter words must match exactly: many short words are one
 *    slip from another real word ("change" and "charge", "waited" and "waiter").
 * 5. Negation: a theme is what the customer talks about, not whether they liked it, so "not
 *    expensive" and "не долго" still mention price and delivery: the score carries the verdict.
 *    Negation glued to the word is split off first, so "недорого", "unfriendly" and "inconvenient"
 *    match "дорого", "friendly" and "convenient".
 */
import damerauLevenshtein from 'damerau-levenshtein';
import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import russianStemmer from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import type { Locale } from '#shared/core/vocabulary';
import type { Theme, ThemeId } from '#shared/core/theme-set';

export { Keyword, MAX_THEMES, Theme, ThemeId } from '#shared/core/theme-set';

type Stem = (word: string) => string;
const stemmers: Record<Locale, Stem> = { en: (w) => englishStemmer.stem(w), ru: (w) => russianStemmer.stem(w) };

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
/** Latin letters that look like Cyrillic ones, each way round. */
const LATIN_TO_CYRILLIC: Record<string, string> = { a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в' };
const CYRILLIC_TO_LATIN = Object.fromEntries(Object.entries(LATIN_TO_CYRILLIC).map(([l, c]) => [c, l]));

const count = (word: string, script: RegExp) => [...word].filter((ch) => script.test(ch)).length;

/** A word in one alphabet, with look-alike letters of the other read as its own. */
const oneAlphabet = (word: string): string => {
  const cyrillic = count(word, CYRILLIC);
  const latin = count(word, LATIN);
  if (cyrillic === 0 || latin === 0) return word;
  const map = cyrillic >= latin ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
  return [...word].map((ch) => map[ch] ?? ch).join('');
};

const languageOfWord = (word: string, fallback: Locale): Locale => {
  if (CYRILLIC.test(word)) return 'ru';
  if (LATIN.test(word)) return 'en';
  return fallback;
};

/** Contractions whose negation is glued on: "didn't" and "didnt" read as "did not". */
const ENGLISH_CONTRACTION = /^(.+?)n'?t$/;
const ENGLISH_CONTRACTED: Record<string, string> = Object.fromEntries(
  ['do', 'does', 'did', 'is', 'was', 'were', 'are', 'could', 'would', 'should', 'have', 'has', 'had'].map((w) => [w, w]).concat([['ca', 'can'], ['wo', 'will']]),
);

/** Negation prefixes split off a word that does not match as it stands. */
const NEGATION_PREFIXES: Record<Locale, readonly string[]> = { en: ['un', 'in', 'im', 'dis', 'non'], ru: ['не', 'без'] };

/** Normalizes a comment into words: lower case, `ё` as `е`, long letter runs cut, one alphabet per word. */
export const wordsOf = (text: string): string[] =>
  (text.normalize('NFKC').toLowerCase().replaceAll('ё', 'е').match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [])
    .map((w) => oneAlphabet(w.replaceAll('’', "'").replace(/(\p{L})\1{2,}/gu, '$1')))
    .flatMap((w) => {
      const base = ENGLISH_CONTRACTION.exec(w)?.[1];
      const word = base !== undefined && Object.hasOwn(ENGLISH_CONTRACTED, base) ? ENGLISH_CONTRACTED[base] : undefined;
      return word ? [word, 'not'] : [w.replace(/'s$/, '')];
    });

/** The language most of a comment's letters are written in; `fallback` when it has none. */
export const detectLanguage = (text: string, fallback: Locale): Locale => {
  const cyrillic = count(text, CYRILLIC);
  const latin = count(text, LATIN);
  if (cyrillic === 0 && latin === 0) return fallback;
  return cyrillic >= latin ? 'ru' : 'en';
};

interface KeywordPart {
  readonly word: string;
  readonly stem: string;
  readonly prefix: boolean;
}

interface CompiledKeyword {
  readonly theme: ThemeId;
  readonly keyword: string;
  readonly parts: readonly KeywordPart[];
}

/** How far a word may be from a keyword, in typing slips, for its length. */
const slipsAllowed = (length: number): number => (length >= 10 ? 2 : length >= 7 ? 1 : 0);

interface Word {
  readonly word: string;
  /** The word's stem, and the stems of what is left when a negation prefix is split off. */
  readonly stems: readonly string[];
  readonly forms: readonly string[];
}

/** Typing slips between two words: a letter missing, extra, wrong, or two letters swapped. */
const distance = (a: string, b: string): number => damerauLevenshtein(a, b).steps;

const sameStart = (a: string, b: string): boolean => a[0] === b[0];

const partMatches = (part: KeywordPart, word: Word): boolean => {
  if (part.prefix) {
    if (word.forms.some((f) => f.startsWith(part.word))) return true;
    // A misspelt start: the word's first letters, one shorter to one longer, one slip away.
    const n = part.word.length;
    return n >= 7 && sameStart(word.word, part.word) && [n - 1, n, n + 1].some((k) => word.word.length >= k && distance(word.word.slice(0, k), part.word) <= 1);
  }
  if (word.stems.includes(part.stem)) return true;
  const slips = slipsAllowed(Math.min(part.word.length, word.word.length));
  return slips > 0 && sameStart(word.word, part.word) && Math.abs(word.word.length - part.word.length) <= slips && distance(word.word, part.word) <= slips;
};

/** Why a theme was found: the keyword and the words of the comment that matched it. */
export interface Evidence {
  readonly theme: ThemeId;
  readonly keyword: string;
  readonly words: string;
}

export interface Tagging {
  readonly language: Locale;
  readonly themes: ThemeId[];
  readonly evidence: Evidence[];
}

export interface Tagger {
  tag(comment: string | undefined, locale: Locale): Tagging;
}

/**
 * A tagger for a set of themes: its keywords stemmed once, then matched against each comment.
 * Themes come back in the order the set lists them, each at most once.
 */
export const compileTagger = (themes: readonly Theme[]): Tagger => {
  const compiled: Record<Locale, CompiledKeyword[]> = { en: [], ru: [] };
  for (const theme of themes) {
    for (const language of ['en', 'ru'] as const) {
      for (const keyword of theme.keywords[language]) {
        const parts = keyword.split(/\s+/).flatMap((token) => {
          const words = wordsOf(token.replace(/\*$/, ''));
          return words.map((word, i) => {
            const prefix = i === words.length - 1 && token.endsWith('*');
            return { word, stem: prefix ? word : stemmers[languageOfWord(word, language)](word), prefix };
          });
        });
        if (parts.length > 0) compiled[language].push({ theme: theme.id, keyword, parts });
      }
    }
  }
  const order = themes.map((t) => t.id);
  // Every way a word can match (same stem, a prefix, a slip) keeps its first letter, so each word
  // is tried only against the keywords starting with the first letter of one of its forms.
  const byFirstLetter: Record<Locale, Map<string, CompiledKeyword[]>> = { en: new Map(), ru: new Map() };
  for (const language of ['en', 'ru'] as const) {
    for (const keyword of compiled[language]) {
      const first = keyword.parts[0]?.word[0] ?? '';
      byFirstLetter[language].set(first, [...(byFirstLetter[language].get(first) ?? []), keyword]);
    }
  }

  return {
    tag(comment, locale) {
      const text = comment ?? '';
      const language = detectLanguage(text, locale);
      const words: (Word & { language: Locale })[] = wordsOf(text).map((word) => {
        const wordLanguage = languageOfWord(word, language);
        const stem = stemmers[wordLanguage];
        const negated = NEGATION_PREFIXES[wordLanguage].filter((p) => word.length - p.length >= 4 && word.startsWith(p)).map((p) => word.slice(p.length));
        const forms = [word, ...negated];
        return { word, forms, stems: forms.map(stem), language: wordLanguage };
      });
      const found = new Set<ThemeId>();
      const evidence: Evidence[] = [];
      for (let i = 0; i < words.length; i++) {
        const first = words[i];
        if (!first) continue;
        const candidates = new Set(first.forms.flatMap((f) => byFirstLetter[first.language].get(f[0] ?? '') ?? []));
        for (const keyword of candidates) {
          if (found.has(keyword.theme)) continue;
          const matches = keyword.parts.every((part, j) => {
            const word = words[i + j];
            return word !== undefined && partMatches(part, word);
          });
          if (!matches) continue;
          found.add(keyword.theme);
          evidence.push({ theme: keyword.theme, keyword: keyword.keyword, words: words.slice(i, i + keyword.parts.length).map((w) => w.word).join(' ') });
        }
      }
      return { language, themes: order.filter((id) => found.has(id)), evidence };
    },
  };
};
