import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseReply, type Reply, type UnclearReason } from '#shared/core/sms-replies';
import type { Locale } from '#shared/core/vocabulary';

type Expected =
  | { readonly kind: 'score'; readonly score: number }
  | { readonly kind: 'unclear'; readonly reason: UnclearReason }
  | { readonly kind: 'text' }
  | { readonly kind: 'stop' | 'start' | 'help' };

const score = (value: number): Expected => ({ kind: 'score', score: value });
const unclear = (reason: UnclearReason): Expected => ({ kind: 'unclear', reason });
const text: Expected = { kind: 'text' };
const stop: Expected = { kind: 'stop' };
const start: Expected = { kind: 'start' };
const help: Expected = { kind: 'help' };

/** Unclear replies and free text carry the reply itself, trimmed. */
const reply = (expected: Expected, input: string): Reply =>
  expected.kind === 'unclear' || expected.kind === 'text' ? { ...expected, text: input.trim() } : expected;

describe('parseReply', () => {
  // Real-world replies to "How likely are you to recommend us…? Reply 0 (not likely) to 10 (very likely)."
  const replies: readonly (readonly [input: string, locale: Locale, expected: Expected])[] = [
    // A score, however it is written.
    ['9', 'en', score(9)],
    [' 9 ', 'en', score(9)],
    ['9/10', 'en', score(9)],
    ['10!', 'en', score(10)],
    ["I'd say 8", 'en', score(8)],
    ['I’d say 8', 'en', score(8)],
    ['nine', 'en', score(9)],
    ['Nine.', 'en', score(9)],
    ['10 - great', 'en', score(10)],
    ['8 out of 10', 'en', score(8)],
    ['9.0', 'en', score(9)],
    ['0', 'en', score(0)],
    ['zero', 'en', score(0)],
    ['9️⃣', 'en', score(9)],
    ['🔟', 'en', score(10)],
    ['1️⃣0️⃣', 'en', score(10)],
    ['１０', 'en', score(10)],
    ['10/10 would recommend', 'en', score(10)],
    ['Ten out of ten', 'en', score(10)],
    ['a solid 7', 'en', score(7)],
    ['7. Delivery was late', 'en', score(7)],
    ["I'd give you a 9 because the staff were so helpful", 'en', score(9)],
    ['Customer since 2019, 9', 'en', score(9)],
    ['Waited 2 weeks, still a 6', 'en', score(6)],
    ['Score: 5', 'en', score(5)],
    ['10 10 10', 'en', score(10)],
    ['10 from me. My 2 kids love it too', 'en', score(10)],
    ['start was slow but 8', 'en', score(8)],
    ['help desk was great, 9', 'en', score(9)],
    ['never stop improving, 10', 'en', score(10)],
    ['девять', 'ru', score(9)],
    ['Девять!', 'ru', score(9)],
    ['восемь из десяти', 'ru', score(8)],
    ['10 баллов', 'ru', score(10)],
    ['на 7', 'ru', score(7)],
    ['десять', 'ru', score(10)],
    ['Ноль', 'ru', score(0)],
    ['Ставлю 9', 'ru', score(9)],
    ['Оценка: 8 из 10', 'ru', score(8)],
    ['на десяточку', 'ru', score(10)],
    ['твёрдая восьмёрка', 'ru', score(8)],
    ['9,0', 'ru', score(9)],
    ['Пять, доставка опоздала', 'ru', score(5)],
    ['nine', 'ru', score(9)],
    ['девять', 'en', score(9)],
    // Trying to give a score, but not one valid score.
    ['7 or 8', 'en', unclear('several-numbers')],
    ['7-8', 'en', unclear('several-numbers')],
    ['7 - 8', 'en', unclear('several-numbers')],
    ['between 6 and 7', 'en', unclear('several-numbers')],
    ['seven or eight', 'en', unclear('several-numbers')],
    ["I'd give it a 9, maybe a 10", 'en', unclear('several-numbers')],
    ['9,8', 'en', unclear('several-numbers')],
    ['7.5 or 8', 'en', unclear('several-numbers')],
    ['maybe', 'en', unclear('hedge')],
    ['Not sure...', 'en', unclear('hedge')],
    ["I don't know", 'en', unclear('hedge')],
    // Putting the answer off is no answer either, and no comment.
    ['maybe later', 'en', unclear('hedge')],
    ['Not now', 'en', unclear('hedge')],
    ['может позже', 'ru', unclear('hedge')],
    ['', 'en', unclear('empty')],
    ['   ', 'en', unclear('empty')],
    ['?!', 'en', unclear('empty')],
    ['11', 'en', unclear('out-of-range')],
    ['100', 'en', unclear('out-of-range')],
    ['-1', 'en', unclear('out-of-range')],
    ['11/10!!!', 'en', unclear('out-of-range')],
    ['8.5', 'en', unclear('fraction')],
    ['9/100', 'en', unclear('other-scale')],
    ['4 out of 5', 'en', unclear('other-scale')],
    ['5 stars', 'en', unclear('other-scale')],
    ['7 или 8', 'ru', unclear('several-numbers')],
    ['семь-восемь', 'ru', unclear('several-numbers')],
    ['от 7 до 8', 'ru', unclear('several-numbers')],
    ['не знаю', 'ru', unclear('hedge')],
    ['Может быть', 'ru', unclear('hedge')],
    ['8,5', 'ru', unclear('fraction')],
    ['5 звезд', 'ru', unclear('other-scale')],
    // Words and no score: free text.
    ['Great service', 'en', text],
    ['yes', 'en', text],
    ['I waited 2 weeks for delivery', 'en', text],
    ['one of the best shops in town', 'en', text],
    ['no one answered my call', 'en', text],
    ['Call me at 9:30', 'en', text],
    ['100%', 'en', text],
    ['👍', 'en', text],
    ['Всё отлично, спасибо', 'ru', text],
    ['Да', 'ru', text],
    // Keywords.
    ['STOP', 'en', stop],
    ['stop.', 'en', stop],
    ['Stop texting me', 'en', stop],
    ['0. Stop texting me!', 'en', stop],
    ['STOPALL', 'en', stop],
    ['Unsubscribe', 'en', stop],
    ['How do I unsubscribe?', 'en', stop],
    ['cancel', 'en', stop],
    ['END', 'en', stop],
    ['Quit', 'en', stop],
    ['opt out', 'en', stop],
    ['Opt-Out', 'en', stop],
    ['Remove me from your list', 'en', stop],
    ['please stop', 'en', stop],
    ['ARRET', 'en', stop],
    ['СТОП', 'ru', stop],
    ['стоп!', 'ru', stop],
    ['Отписаться', 'ru', stop],
    ['хочу отписаться', 'ru', stop],
    ['STOP', 'ru', stop],
    ['СТОП', 'en', stop],
    ["don't stop", 'en', text],
    ['START', 'en', start],
    ['Unstop', 'en', start],
    ['start please', 'en', start],
    ['СТАРТ', 'ru', start],
    ['HELP', 'en', help],
    ['help?', 'en', help],
    ['Info', 'en', help],
    ['ПОМОЩЬ', 'ru', help],
    ['Справка', 'ru', help],
  ];

  it.each(replies)('%j (%s) → %o', (input, locale, expected) => {
    expect(parseReply(input, locale)).toEqual(reply(expected, input));
  });

  it('tells "no score here" (text) from "no single score" (unclear), both carrying the reply', () => {
    // GIVEN a reply in words only, and one with two candidate scores
    const words = parseReply('  The courier was rude ', 'en');
    const ambiguous = parseReply('7 or 8, the courier was rude', 'en');
    // THEN the first is text for the comment, the second asks for a re-prompt
    expect(words).toEqual({ kind: 'text', text: 'The courier was rude' });
    expect(ambiguous).toEqual({ kind: 'unclear', reason: 'several-numbers', text: '7 or 8, the courier was rude' });
  });

  it('opts out before reading a score in the same reply', () => {
    expect(parseReply('10 but stop now', 'en')).toEqual({ kind: 'stop' });
    expect(parseReply('0 СТОП', 'ru')).toEqual({ kind: 'stop' });
  });

  it('reads a decimal comma only in Russian', () => {
    expect(parseReply('9,0', 'ru')).toEqual({ kind: 'score', score: 9 });
    expect(parseReply('9,0', 'en')).toMatchObject({ kind: 'unclear', reason: 'several-numbers' });
  });

  describe('properties', () => {
    const locale = fc.constantFrom<Locale>('en', 'ru');

    it('reads every score from 0 to 10 written in digits, alone or out of 10', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10 }), locale, fc.constantFrom('', '!', '.', ' ', '/10', ' out of 10', ' из 10'), (n, loc, suffix) => {
          expect(parseReply(`${n}${suffix}`, loc)).toEqual({ kind: 'score', score: n });
        }),
      );
    });

    it('never reads a number above 10 as a score', () => {
      fc.assert(
        fc.property(fc.integer({ min: 11, max: 1_000_000 }), locale, (n, loc) => {
          expect(parseReply(String(n), loc)).toMatchObject({ kind: 'unclear', reason: 'out-of-range' });
        }),
      );
    });

    it('never throws, and any score it reads is a whole number from 0 to 10', () => {
      const pieces = fc.constantFrom(
        '7', '10', '0', '11', '-', '/', ' ', 'or', 'out of', 'из', 'nine', 'девять', 'stop', '.', ',', '9️⃣', '🔟', '😀',
        'maybe', ':', '%', '$', 'one', 'ни', 'weeks', 'stars', '\n', '２',
      );
      const replyText = fc.oneof(fc.string({ maxLength: 60 }), fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')));
      fc.assert(
        fc.property(replyText, locale, (input, loc) => {
          const result = parseReply(input, loc);
          if (result.kind === 'score') {
            expect(Number.isInteger(result.score)).toBe(true);
            expect(result.score).toBeGreaterThanOrEqual(0);
            expect(result.score).toBeLessThanOrEqual(10);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
