import { describe, expect, it } from 'vitest';
import { nextStep } from '#shared/app/conversations';

/** The SMS conversation's rules, one message at a time (crossing messages are serialized before these apply). */
const awaitingScore = { stage: 'awaiting_score' as const, reprompted: false };
const score = (n: number) => ({ kind: 'score' as const, score: n });
const text = (t: string) => ({ kind: 'text' as const, text: t });
const unclear = (t: string) => ({ kind: 'unclear' as const, reason: 'hedge' as const, text: t });

describe('nextStep', () => {
  it('asks once for the number when words come before any score, and keeps the words', () => {
    expect(nextStep(awaitingScore, text('The delivery was slow'), undefined)).toEqual({
      outcome: 'reprompted',
      next: { stage: 'awaiting_score', reprompted: true, pendingText: 'The delivery was slow' },
      send: 'reprompt',
    });
  });

  it('keeps further words without asking again', () => {
    const step = nextStep({ ...awaitingScore, reprompted: true, pendingText: 'Slow' }, text('and late'), undefined);
    expect(step).toEqual({ outcome: 'kept', next: { stage: 'awaiting_score', reprompted: true, pendingText: 'Slow\nand late' } });
  });

  it('re-prompts an unclear reply once, keeping nothing, and then ignores unclear replies', () => {
    expect(nextStep(awaitingScore, unclear('maybe later'), undefined)).toEqual({
      outcome: 'reprompted',
      next: { stage: 'awaiting_score', reprompted: true },
      send: 'reprompt',
    });
    expect(nextStep({ ...awaitingScore, reprompted: true }, unclear('hmm'), undefined)).toEqual({ outcome: 'ignored' });
  });

  it('records the score with the kept words as its comment, and thanks instead of asking for a reason', () => {
    expect(nextStep({ ...awaitingScore, reprompted: true, pendingText: 'Slow' }, score(3), undefined)).toEqual({
      outcome: 'score',
      next: { stage: 'done', reprompted: true },
      answer: { score: 3, comment: 'Slow' },
      send: 'thanks',
    });
  });

  it('records a score that comes alone and asks the follow-up question', () => {
    expect(nextStep(awaitingScore, score(8), undefined)).toEqual({
      outcome: 'score',
      next: { stage: 'awaiting_comment', reprompted: false },
      answer: { score: 8 },
      send: 'followUp',
    });
  });

  it('takes the answer to the follow-up question as the comment, and thanks', () => {
    const step = nextStep({ stage: 'awaiting_comment', reprompted: false }, text('Slow'), { score: 3 });
    expect(step).toEqual({ outcome: 'comment', next: { stage: 'done', reprompted: false }, answer: { score: 3, comment: 'Slow' }, send: 'thanks' });
  });

  it('appends later texts to the comment without texting back', () => {
    const step = nextStep({ stage: 'done', reprompted: false }, unclear('and rude, 2 or 3 times'), { score: 3, comment: 'Slow' });
    expect(step).toEqual({ outcome: 'comment', next: { stage: 'done', reprompted: false }, answer: { score: 3, comment: 'Slow\nand rude, 2 or 3 times' } });
  });

  it('lets a plain number after the score replace the score, keeping the comment', () => {
    expect(nextStep({ stage: 'done', reprompted: false }, score(6), { score: 3, comment: 'Slow' })).toEqual({
      outcome: 'score_changed',
      next: { stage: 'done', reprompted: false },
      answer: { score: 6 },
    });
  });
});
