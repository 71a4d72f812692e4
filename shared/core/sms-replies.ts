import type { Locale } from '#shared/core/vocabulary';

/**
 * Reading an SMS reply to the survey. People answer in their own words ("9", "9/10", "nine",
 * "девять!", "10 - great"), so the parser is tolerant, but never guesses: a reply that could be
 * two scores is `unclear`, and the caller re-prompts once.
 *
 * - `score`: the reply gives one score from 0 to 10.
 * - `stop` / `start` / `help`: the carrier keywords (and their Russian forms).
 * - `unclear`: the reply tries to give a score but no single valid one can be read from it
 *   (`reason` says why; never logged with the text).
 * - `text`: words without any number: not a score, possibly the comment (the caller knows
 *   which question was asked last).
 */
export type UnclearReason =
  /** Nothing but spaces and punctuation. */
  | 'empty'
  /** "maybe", "not sure", "не знаю", "maybe later": an answer that declines to pick a number. */
  | 'hedge'
  /** Two different numbers offered as alternatives or a range: "7 or 8", "7-8", "between 6 and 7". */
  | 'several-numbers'
  /** A score on another scale: "9/100", "4 out of 5", "5 stars". */
  | 'other-scale'
  /** A fraction: "8.5". */
  | 'fraction'
  /** A whole number outside 0–10: "11", "100", "-1". */
  | 'out-of-range';

export type Reply =
  | { readonly kind: 'score'; readonly score: number }
  | { readonly kind: 'stop' }
  | { readonly kind: 'start' }
  | { readonly kind: 'help' }
  | { readonly kind: 'unclear'; readonly reason: UnclearReason; readonly text: string }
  | { readonly kind: 'text'; readonly text: string };

const SCORE_MIN = 0;
const SCORE_MAX = 10;
const SCALE = 10;

// ---------------------------------------------------------------------------------------------
// Keywords. AWS End User Messaging opts a number out on ARRET, CANCEL, END, OPT-OUT, OPTOUT, QUIT,
// REMOVE, STOP, TD, UNSUBSCRIBE, and back in on START or UNSTOP; with self-managed opt-outs
// those messages reach us, so the same words (and the Russian ones) must work here too.

/** Opt-out words that count when the reply starts with them ("Cancel", "Remove me"). */
const STOP_FIRST = new Set([
  'stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'remove', 'arret', 'td', 'revoke',
  'стоп', 'отписаться', 'отписка', 'отпишите', 'отпишись',
]);
/** Opt-out words that count anywhere in the reply ("0. Stop texting me"), unless negated. */
const STOP_ANYWHERE = new Set([
  'stop', 'stopall', 'unsubscribe', 'optout', 'стоп', 'отписаться', 'отписка', 'отпишите', 'отпишись',
]);
const NEGATIONS = new Set([
  'not', 'never', "don't", 'dont', "didn't", "won't", "can't", "doesn't", 'non', 'не', 'нон',
]);
/** Words that may stand around a keyword without changing it: "please stop", "HELP please". */
const COURTESY = new Set(['please', 'pls', 'plz', 'ok', 'okay', 'just', 'пожалуйста', 'плиз', 'ок']);
const START_WORDS = new Set(['start', 'unstop', 'старт']);
const HELP_WORDS = new Set(['help', 'info', 'помощь', 'справка']);
/**
 * Replies that decline to pick a number. "yes" is not among them, nor a START keyword: a "yes"
 * to "how likely are you to recommend us" is an answer in words, and opting back in must be
 * asked for explicitly.
 */
const HEDGES = new Set([
  'maybe', 'perhaps', 'possibly', 'probably', 'not sure', 'unsure', 'idk', "i don't know", 'i dont know', "don't know",
  'dont know', 'dunno', 'no idea', 'hard to say', 'depends', 'it depends', "can't say", 'cant say', 'hmm', 'hm',
  'может', 'может быть', 'возможно', 'наверное', 'не знаю', 'хз', 'сложно сказать', 'трудно сказать',
  'затрудняюсь ответить', 'не уверен', 'не уверена', 'посмотрим', 'хм',
]);

/** Putting the answer off, alone or after a hedge ("later", "maybe later", "может позже"). */
const DEFERRALS = ['later', 'not now', 'another time', 'позже', 'потом', 'не сейчас'];

/** A reply that declines to pick a number: a hedge, a deferral, or a hedge then a deferral. */
const isHedge = (words: readonly string[]): boolean => {
  const phrase = words.join(' ');
  const deferral = DEFERRALS.find((d) => phrase === d || phrase.endsWith(` ${d}`));
  const rest = deferral === undefined ? phrase : phrase.slice(0, phrase.length - deferral.length).trimEnd();
  return HEDGES.has(rest) || (deferral !== undefined && rest === '');
};

// ---------------------------------------------------------------------------------------------
// Numbers in words, in every supported language whatever the campaign's locale (people answer a
// Russian text in English and the other way round). Russian: the cardinal and its genitive
// ("из десяти"), and the school-grade nouns ("девятка", "на десяточку").

const EN_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const RU_NUMBERS: readonly (readonly string[])[] = [
  ['ноль', 'нуль', 'ноля', 'нуля'],
  ['один', 'одна', 'одно', 'одного', 'одной', 'единица', 'единицу', 'единицы', 'единичка', 'единичку'],
  ['два', 'две', 'двух'],
  ['три', 'трех'],
  ['четыре', 'четырех'],
  ['пять', 'пяти'],
  ['шесть', 'шести'],
  ['семь', 'семи'],
  ['восемь', 'восьми'],
  ['девять', 'девяти'],
  ['десять', 'десяти'],
];
/** School-grade nouns, plain and affectionate: "девятка", "на десяточку". */
const RU_GRADES: readonly (readonly [stem: string, value: number])[] = [
  ['двойк', 2], ['двоечк', 2], ['тройк', 3], ['троечк', 3], ['четверк', 4], ['четверочк', 4], ['пятерк', 5],
  ['пятерочк', 5], ['шестерк', 6], ['шестерочк', 6], ['семерк', 7], ['семерочк', 7], ['восьмерк', 8],
  ['восьмерочк', 8], ['девятк', 9], ['девяточк', 9], ['десятк', 10], ['десяточк', 10],
];
const RU_GRADE_ENDINGS = ['а', 'у', 'и', 'е'];

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ...EN_NUMBERS.map((word, value) => [word, value] as const),
  ...RU_NUMBERS.flatMap((forms, value) => forms.map((word) => [word, value] as const)),
  ...RU_GRADES.flatMap(([stem, value]) => RU_GRADE_ENDINGS.map((ending) => [stem + ending, value] as const)),
]);

/** "one" and "один" are pronouns as often as numbers: "no one", "the one", "one of", "ни один". */
const ONE_WORDS = new Set(['one', 'один', 'одна', 'одно', 'одного', 'одной']);
const NOT_ONE_BEFORE = new Set(['no', 'any', 'every', 'some', 'the', 'this', 'that', 'each', 'which', 'another', 'ни']);
const NOT_ONE_AFTER = new Set(['of', 'more', 'thing', 'day', 'time', 'из']);

/** A number followed by one of these counts something else: "2 weeks", "9 am", "3 раза". */
const QUANTITY_UNITS = new Set([
  'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'h', 'hr', 'hrs', 'hour', 'hours', 'day',
  'days', 'week', 'weeks', 'wk', 'wks', 'month', 'months', 'year', 'years', 'yr', 'yrs', 'time', 'times', 'x', 'am',
  'pm', "o'clock", 'k', 'people', 'persons', 'dollars', 'bucks', 'usd', 'eur', 'euros', 'pounds', 'rub', 'orders',
  'calls', 'emails', 'messages', 'texts',
  'сек', 'секунд', 'секунды', 'секунду', 'мин', 'минут', 'минуты', 'минуту', 'ч', 'час', 'часа', 'часов', 'день',
  'дня', 'дней', 'дн', 'сутки', 'суток', 'неделю', 'недели', 'недель', 'нед', 'месяц', 'месяца', 'месяцев', 'мес',
  'год', 'года', 'лет', 'раз', 'раза', 'человек', 'руб', 'рубля', 'рублей', 'р', 'тыс', 'утра', 'вечера', 'ночи',
  'заказ', 'заказа', 'заказов',
]);
/** Ordinals are not scores: "1st", "10th", and, after a hyphen, "1-й", "2-го". */
const EN_ORDINAL_ENDINGS = new Set(['st', 'nd', 'rd', 'th']);
const RU_ORDINAL_ENDINGS = new Set(['й', 'я', 'е', 'го', 'ого', 'ый', 'ой', 'ая', 'ое', 'ий', 'ья', 'ье']);
/** Signs that make the number after them an amount or a rank: "$9", "#1", "№3". */
const SIGNS_BEFORE_QUANTITY = new Set(['$', '€', '£', '₽', '¥', '#', '№']);
/** A score given in stars is on a five-star scale, whatever the number. */
const STARS = new Set([
  'star', 'stars', 'звезда', 'звезды', 'звезд', 'звездочка', 'звездочки', 'звездочек', '⭐', '★', '🌟',
]);

/** Between two numbers, these make them alternatives or a range: "7 or 8", "between 6 and 7". */
const ALTERNATIVE_WORDS = new Set([
  'or', 'to', 'and', 'a', 'an', 'maybe', 'perhaps', 'possibly', 'probably', 'even', 'either', 'no', 'like',
  'about', 'say',
  'или', 'до', 'и', 'а', 'либо', 'может', 'быть', 'то', 'ли', 'даже', 'наверное', 'возможно', 'нет',
]);
/** Between two numbers, these make the second the scale of the first: "8 out of 10", "8 из 10". */
const OUT_OF_WORDS = [['out', 'of'], ['outta'], ['of'], ['из']] as const;

// ---------------------------------------------------------------------------------------------

interface WordToken {
  readonly kind: 'word';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}
interface SignToken {
  readonly kind: 'sign';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}
interface NumberToken {
  readonly kind: 'number';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly value: number;
  readonly spelled: boolean;
}
type Token = WordToken | SignToken | NumberToken;

/** A number that may be the score, with its scale when the reply gave one ("8/10" → scale 10). */
interface Candidate {
  readonly value: number;
  readonly scale: number | undefined;
  readonly stars: boolean;
  readonly spelled: boolean;
  /** Token positions it spans, to look at what stands between two candidates. */
  readonly first: number;
  readonly last: number;
}

const normalize = (raw: string): string =>
  raw
    .normalize('NFKC')
    .replace(/\u{1F51F}/gu, ' 10 ')
    .replace(/([0-9])\uFE0F?\u20E3/gu, '$1')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replaceAll('−', '-');

const tokenize = (text: string, locale: Locale): Token[] => {
  // A decimal comma is Russian; in English "9,8" is a list of two numbers.
  const pattern =
    locale === 'ru'
      ? /(\d+(?:[.,]\d+)?)|(\p{L}+(?:['’]\p{L}+)*)|([^\s\p{L}\d])/gu
      : /(\d+(?:\.\d+)?)|(\p{L}+(?:['’]\p{L}+)*)|([^\s\p{L}\d])/gu;
  const tokens: Token[] = [];
  for (const match of text.matchAll(pattern)) {
    const [all, digits, word] = match;
    const start = match.index;
    const end = start + all.length;
    if (digits !== undefined) {
      tokens.push({ kind: 'number', text: digits, start, end, value: Number(digits.replace(',', '.')), spelled: false });
    } else if (word !== undefined) {
      const normalized = word.replace('’', "'");
      const value = NUMBER_WORDS.get(normalized);
      tokens.push(
        value === undefined
          ? { kind: 'word', text: normalized, start, end }
          : { kind: 'number', text: normalized, start, end, value, spelled: true },
      );
    } else {
      tokens.push({ kind: 'sign', text: all, start, end });
    }
  }
  return tokens;
};

const wordsOf = (tokens: readonly Token[]): string[] => tokens.filter((t) => t.kind !== 'sign').map((t) => t.text);

const isStop = (tokens: readonly Token[]): boolean => {
  const words = wordsOf(tokens).filter((word) => !COURTESY.has(word));
  // "opt out" / "opt-out" are written as two words.
  const joined = words.map((word, i) => (word === 'opt' && words[i + 1] === 'out' ? 'optout' : word));
  if (joined[0] !== undefined && STOP_FIRST.has(joined[0])) return true;
  return joined.some((word, i) => STOP_ANYWHERE.has(word) && !NEGATIONS.has(joined[i - 1] ?? ''));
};

/** The reply is exactly one of `keywords`, give or take punctuation and a "please". */
const isOnly = (tokens: readonly Token[], keywords: ReadonlySet<string>): boolean => {
  const words = wordsOf(tokens).filter((word) => !COURTESY.has(word));
  return words.length === 1 && keywords.has(words[0] ?? '');
};

const touching = (a: Token | undefined, b: Token | undefined): boolean =>
  a !== undefined && b !== undefined && a.end === b.start;

/** Whether the number at token i counts something other than a score. */
const isQuantity = (tokens: readonly Token[], i: number): boolean => {
  const [before2, before, token, after, after2] = [-2, -1, 0, 1, 2].map((d) => tokens[i + d]);
  if (after?.kind === 'word' && QUANTITY_UNITS.has(after.text)) return true;
  if (touching(token, after) && (after?.text === '%' || EN_ORDINAL_ENDINGS.has(after?.text ?? ''))) return true;
  const hyphenated = after?.text === '-' && touching(token, after) && touching(after, after2);
  if (hyphenated && RU_ORDINAL_ENDINGS.has(after2?.text ?? '')) return true;
  if (touching(before, token) && SIGNS_BEFORE_QUANTITY.has(before?.text ?? '')) return true;
  // A time of day: "9:30".
  if (after?.text === ':' && touching(token, after) && touching(after, after2) && after2?.kind === 'number') return true;
  if (before?.text === ':' && touching(before2, before) && touching(before, token) && before2?.kind === 'number') return true;
  if (token?.kind === 'number' && token.spelled && ONE_WORDS.has(token.text)) {
    return NOT_ONE_BEFORE.has(before?.text ?? '') || NOT_ONE_AFTER.has(after?.text ?? '');
  }
  return false;
};

/** Reads "N/M", "N out of M", "N из M" starting at token i: the position of M, or undefined. */
const scaleAfter = (tokens: readonly Token[], i: number): number | undefined => {
  if (tokens[i + 1]?.text === '/' && tokens[i + 2]?.kind === 'number') return i + 2;
  for (const words of OUT_OF_WORDS) {
    const matches = words.every((word, k) => tokens[i + 1 + k]?.text === word);
    if (matches && tokens[i + 1 + words.length]?.kind === 'number') return i + 1 + words.length;
  }
  return undefined;
};

const candidatesOf = (tokens: readonly Token[]): Candidate[] => {
  const candidates: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'number') continue;
    const scaleAt = scaleAfter(tokens, i);
    const scaleToken = scaleAt === undefined ? undefined : tokens[scaleAt];
    if (scaleAt === undefined && isQuantity(tokens, i)) continue;
    const last = scaleAt ?? i;
    const unit = tokens[last + 1];
    const stars = STARS.has(unit?.text ?? '');
    // "-1" is negative; "7-8" is a range.
    const negative = tokens[i - 1]?.text === '-' && touching(tokens[i - 1], token) && tokens[i - 2]?.kind !== 'number';
    candidates.push({
      value: negative ? -token.value : token.value,
      scale: scaleToken?.kind === 'number' ? scaleToken.value : undefined,
      stars,
      spelled: token.spelled,
      first: negative ? i - 1 : i,
      last,
    });
    i = last;
  }
  // Digits win over words: in "two words: 10" the score is 10.
  return candidates.some((c) => !c.spelled) ? candidates.filter((c) => !c.spelled) : candidates;
};

const problemOf = (candidate: Candidate): UnclearReason | undefined => {
  if (candidate.stars || (candidate.scale !== undefined && candidate.scale !== SCALE)) return 'other-scale';
  if (!Number.isInteger(candidate.value)) return 'fraction';
  if (candidate.value < SCORE_MIN || candidate.value > SCORE_MAX) return 'out-of-range';
  return undefined;
};

/**
 * Whether `other` is offered as another score beside `score`: it could be a score itself (in
 * "2019, 9" the year is no rival), differs, and only signs and alternative words stand between
 * the two ("7 or 8", "7-8", "9, 8").
 */
const isRival = (tokens: readonly Token[], score: Candidate, other: Candidate | undefined): boolean => {
  if (!other || other.value === score.value || other.value < SCORE_MIN || other.value > SCORE_MAX) return false;
  const [a, b] = other.first < score.first ? [other, score] : [score, other];
  return tokens.slice(a.last + 1, b.first).every((t) => t.kind === 'sign' || ALTERNATIVE_WORDS.has(t.text));
};

const unclear = (reason: UnclearReason, text: string): Reply => ({ kind: 'unclear', reason, text });

/**
 * Reads an SMS reply. Opt-out comes before everything: a STOP anywhere in the reply (unless
 * negated: "never stop") or an opt-out word at its start opts out, because ignoring one is
 * worse than losing one survey. START and HELP count only as the whole reply. Otherwise the
 * first valid number from 0 to 10 is the score ("10 - great", "I'd say 8", "8 out of 10",
 * "девять", "9️⃣"; "9.0" is 9), unless another number is offered beside it as an alternative
 * ("7 or 8", "7-8", "7.5 or 8"); the reply is unclear then, and when none of its numbers is a
 * valid score ("11", "-1", "8.5", "9/100", "5 stars"). Numbers that count something else
 * ("2 weeks", "9am", "100%") are not scores, and numbers in words count only when the reply
 * has no digits.
 */
export const parseReply = (raw: string, locale: Locale): Reply => {
  const text = raw.trim();
  const tokens = tokenize(normalize(text), locale);
  if (isStop(tokens)) return { kind: 'stop' };
  if (isOnly(tokens, START_WORDS)) return { kind: 'start' };
  if (isOnly(tokens, HELP_WORDS)) return { kind: 'help' };

  const candidates = candidatesOf(tokens);
  if (candidates.length === 0) {
    const words = wordsOf(tokens);
    if (isHedge(words)) return unclear('hedge', text);
    if (words.length === 0 && !/\p{Extended_Pictographic}/u.test(text)) return unclear('empty', text);
    return { kind: 'text', text };
  }
  const problems = candidates.map(problemOf);
  const index = problems.indexOf(undefined);
  const score = candidates[index];
  if (!score) return unclear(problems[0] ?? 'out-of-range', text);
  if (isRival(tokens, score, candidates[index - 1]) || isRival(tokens, score, candidates[index + 1])) {
    return unclear('several-numbers', text);
  }
  return { kind: 'score', score: score.value };
};
