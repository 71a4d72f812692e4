import type { Locale } from '#shared/core/vocabulary';

/** Every customer-facing string, per locale. `{brand}` is replaced by the campaign's brand. */
export interface Messages {
  readonly question: string;
  readonly subject: string;
  readonly greeting: (name?: string) => string;
  readonly notLikely: string;
  readonly veryLikely: string;
  readonly commentLabel: string;
  readonly submit: string;
  readonly thanks: string;
  readonly thanksDetail: string;
  readonly notFound: string;
  readonly notFoundDetail: string;
  readonly closed: string;
  readonly closedDetail: string;
  readonly invalidAnswer: string;
  readonly unsubscribe: string;
  readonly unsubscribeText: string;
  readonly pickScore: string;
  readonly changeAnswer: string;
  readonly unsubscribeQuestion: string;
  readonly unsubscribeButton: string;
  readonly unsubscribed: string;
  readonly reminderPrefix: string;
  /** Why this mail came: the sender explanation bulk-sender rules ask for. */
  readonly whyThisEmail: string;
  readonly privacy: string;
  /** Shown when a score came preselected from an e-mail link: nothing is saved until Send. */
  readonly savedOnlyOnSend: (score: number) => string;
  /** The scale's hint for screen readers and the text part: what the ends mean. */
  readonly scaleEnds: string;
}

export const messages: Record<Locale, Messages> = {
  en: {
    question: 'How likely are you to recommend {brand} to a friend or colleague?',
    subject: 'Quick question from {brand}',
    greeting: (name) => (name ? `Hi ${name},` : 'Hi,'),
    notLikely: 'Not at all likely',
    veryLikely: 'Extremely likely',
    commentLabel: 'What is the main reason for your score? (optional)',
    submit: 'Send my answer',
    thanks: 'Thank you!',
    thanksDetail: 'Your answer has been recorded. You can change it any time from the same link.',
    notFound: 'This survey link is not valid or has expired.',
    notFoundDetail: 'If you followed a link from an e-mail, please try the link in the most recent one.',
    closed: 'This survey has closed.',
    closedDetail: 'Thank you for your interest. {brand} no longer collects answers to this survey.',
    invalidAnswer: 'Please choose a score from 0 to 10.',
    unsubscribe: 'Unsubscribe',
    unsubscribeText: "Don't want these surveys?",
    pickScore: 'Click a number to answer:',
    changeAnswer: 'You already answered; sending again replaces your answer.',
    unsubscribeQuestion: 'Stop receiving surveys from {brand}?',
    unsubscribeButton: 'Unsubscribe me',
    unsubscribed: 'You will not receive surveys from {brand} any more.',
    reminderPrefix: 'Reminder: ',
    whyThisEmail: 'You get this e-mail because you are a customer of {brand}.',
    privacy: 'Privacy policy',
    savedOnlyOnSend: (score) => `You picked ${score}. Your answer is saved only when you press “Send my answer”.`,
    scaleEnds: '0 means not at all likely, 10 means extremely likely.',
  },
  ru: {
    question: 'Насколько вероятно, что вы порекомендуете {brand} другу или коллеге?',
    subject: 'Короткий вопрос от {brand}',
    greeting: (name) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    notLikely: 'Совсем маловероятно',
    veryLikely: 'Очень вероятно',
    commentLabel: 'Какова главная причина вашей оценки? (необязательно)',
    submit: 'Отправить ответ',
    thanks: 'Спасибо!',
    thanksDetail: 'Ваш ответ записан. Изменить его можно по той же ссылке.',
    notFound: 'Ссылка на опрос недействительна или устарела.',
    notFoundDetail: 'Если вы перешли по ссылке из письма, попробуйте ссылку из самого последнего письма.',
    closed: 'Этот опрос завершён.',
    closedDetail: 'Спасибо за интерес. {brand} больше не принимает ответы на этот опрос.',
    invalidAnswer: 'Пожалуйста, выберите оценку от 0 до 10.',
    unsubscribe: 'Отписаться',
    unsubscribeText: 'Не хотите получать такие опросы?',
    pickScore: 'Нажмите на число, чтобы ответить:',
    changeAnswer: 'Вы уже ответили; новый ответ заменит прежний.',
    unsubscribeQuestion: 'Больше не получать опросы от {brand}?',
    unsubscribeButton: 'Отписаться',
    unsubscribed: 'Вы больше не будете получать опросы от {brand}.',
    reminderPrefix: 'Напоминание: ',
    whyThisEmail: 'Вы получили это письмо, потому что вы клиент {brand}.',
    privacy: 'Политика конфиденциальности',
    savedOnlyOnSend: (score) => `Вы выбрали ${score}. Ответ сохранится, только когда вы нажмёте «Отправить ответ».`,
    scaleEnds: '0 — совсем маловероятно, 10 — очень вероятно.',
  },
};

// A replacer function, so a brand like "A$&B" is not read as a replacement pattern.
export const withBrand = (template: string, brand: string): string => template.replaceAll('{brand}', () => brand);

/** The question a campaign asks: its own, or the standard one in the recipient's locale. */
export const questionText = (locale: Locale, brand: string, custom?: string): string =>
  withBrand(custom ?? messages[locale].question, brand);
