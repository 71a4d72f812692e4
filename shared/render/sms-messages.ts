import type { Locale } from '#shared/core/vocabulary';

/**
 * Every SMS the survey sends, per locale. `{brand}` is replaced by the campaign's brand and
 * `{support}` by the support contact. English texts use only GSM-7 characters (no curly quotes,
 * no dashes other than "-"): one character outside it makes the whole message UCS-2, and a
 * segment then holds 70 characters instead of 160. Russian is UCS-2 anyway; its texts are kept
 * short because each segment is billed (with a 20-character brand, none takes more than two).
 */
export interface SmsMessages {
  /** The NPS question; the brand is already named at the start of the message. */
  readonly question: string;
  /** How to answer, after the question. */
  readonly scale: string;
  /** How to opt out, closing the invitation (carriers require it in the first message). */
  readonly optOut: string;
  readonly reminder: string;
  /** After a reply that gave no single score. */
  readonly reprompt: string;
  /** Before the follow-up question, once the score is recorded. */
  readonly scoreThanks: string;
  readonly followUpQuestion: string;
  /** After the comment. */
  readonly thanks: string;
  /** The answer to HELP: what this is, how to answer, how to opt out. */
  readonly help: string;
  readonly support: string;
  /** The confirmation of STOP. */
  readonly stopped: string;
  /** The confirmation of START. */
  readonly started: string;
}

export const smsMessages: Record<Locale, SmsMessages> = {
  en: {
    question: 'How likely are you to recommend us to a friend or colleague?',
    scale: 'Reply 0 (not likely) to 10 (very likely).',
    optOut: 'Reply STOP to opt out.',
    reminder: 'Reminder: ',
    reprompt: 'Sorry, we did not get that. Please reply with one number from 0 to 10.',
    scoreThanks: 'Thank you!',
    followUpQuestion: 'What is the main reason for your score?',
    thanks: 'Thank you for your feedback!',
    help: 'Customer survey. Reply with a number from 0 to 10 to answer. Reply STOP to opt out, START to opt back in.',
    support: 'Support: {support}',
    stopped: 'You are unsubscribed and will get no more surveys. Reply START to opt back in.',
    started: 'You are subscribed to surveys again. Reply STOP to opt out.',
  },
  ru: {
    question: 'Насколько вероятно, что вы порекомендуете нас другу или коллеге?',
    scale: 'Пришлите число 0–10.',
    optOut: 'Отписка: СТОП',
    reminder: 'Напоминание: ',
    reprompt: 'Не удалось распознать ответ. Пожалуйста, пришлите одно число от 0 до 10.',
    scoreThanks: 'Спасибо!',
    followUpQuestion: 'Какова главная причина вашей оценки?',
    thanks: 'Спасибо за ваш отзыв!',
    help: 'Опрос клиентов. Чтобы ответить, пришлите число от 0 до 10. Отписка: СТОП, подписаться снова: СТАРТ.',
    support: 'Поддержка: {support}',
    stopped: 'Вы отписаны и больше не получите опросов. Подписаться снова: СТАРТ.',
    started: 'Вы снова подписаны на опросы. Отписка: СТОП',
  },
};
