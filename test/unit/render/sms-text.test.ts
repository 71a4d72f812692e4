import { describe, expect, it } from 'vitest';
import type { Locale } from '#shared/core/vocabulary';
import { smsMessages } from '#shared/render/sms-messages';
import {
  followUpSms,
  helpSms,
  invitationSms,
  nonGsm7Characters,
  repromptSms,
  segmentsOf,
  startSms,
  stopSms,
  thanksSms,
  type SmsCampaign,
} from '#shared/render/sms-text';

describe('segmentsOf', () => {
  it.each([
    // case, text, encoding, segments, characters
    ['empty', '', 'GSM-7', 0, 0],
    ['plain ASCII', 'Hello World', 'GSM-7', 1, 11],
    ['160 GSM characters fill one segment', 'a'.repeat(160), 'GSM-7', 1, 160],
    ['161 need two (153 + 8)', 'a'.repeat(161), 'GSM-7', 2, 161],
    ['306 fill two', 'a'.repeat(306), 'GSM-7', 2, 306],
    ['307 need three', 'a'.repeat(307), 'GSM-7', 3, 307],
    ['an extension character counts two', '€', 'GSM-7', 1, 2],
    ['80 extension characters fill one segment', '{'.repeat(80), 'GSM-7', 1, 160],
    ['81 need two, 76 per segment: an escape is never split', '{'.repeat(81), 'GSM-7', 2, 162],
    ['153 characters where the 153rd is escaped spill one over', `${'a'.repeat(152)}€${'a'.repeat(10)}`, 'GSM-7', 2, 164],
    ['GSM letters beyond ASCII stay GSM-7', 'Çà é ñ ü ß Ø Δ Ω ¿¡ £¥§', 'GSM-7', 1, 23],
    ['Cyrillic is UCS-2', 'Привет', 'UCS-2', 1, 6],
    ['70 UCS-2 characters fill one segment', 'я'.repeat(70), 'UCS-2', 1, 70],
    ['71 need two (67 + 4)', 'я'.repeat(71), 'UCS-2', 2, 71],
    ['134 fill two', 'я'.repeat(134), 'UCS-2', 2, 134],
    ['135 need three', 'я'.repeat(135), 'UCS-2', 3, 135],
    ['one character outside GSM makes all of it UCS-2', `${'a'.repeat(69)}’`, 'UCS-2', 1, 70],
    ['an emoji counts two', '😀', 'UCS-2', 1, 2],
    ['35 emoji fill one segment', '😀'.repeat(35), 'UCS-2', 1, 70],
    ['36 need two, 33 per segment: a pair is never split', '😀'.repeat(36), 'UCS-2', 2, 72],
    ['67 emoji need three, not two', '😀'.repeat(67), 'UCS-2', 3, 134],
    ['a flag (two code points) is never split: 65 + 🇷🇺 does not fit 67', `${'я'.repeat(65)}🇷🇺${'я'.repeat(65)}`, 'UCS-2', 3, 134],
    ['a grave accent is not GSM', '`', 'UCS-2', 1, 1],
  ] as const)('%s', (_, text, encoding, segments, characters) => {
    expect(segmentsOf(text)).toEqual({ encoding, segments, characters });
  });

  it('counts every character of the GSM basic table as one, and of its extension table as two', () => {
    const basic =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    const extension = '\f^{}\\[~]|€';
    expect([...basic]).toHaveLength(127);
    expect(segmentsOf(basic)).toMatchObject({ encoding: 'GSM-7', characters: 127 });
    expect(segmentsOf(extension)).toMatchObject({ encoding: 'GSM-7', characters: 20 });
  });

  it.each(['ç', 'ê', 'á', 'ó', '“', '–', '—', '…', '\u00a0', '\t'])('sends %j as UCS-2', (char) => {
    expect(segmentsOf(`Hello ${char}`).encoding).toBe('UCS-2');
  });

  it('names the characters that force UCS-2, once each', () => {
    expect(nonGsm7Characters('Zoë’s Café – Zoë’s')).toEqual(['ë', '’', '–']);
    expect(nonGsm7Characters('Acme Coffee')).toEqual([]);
  });
});

describe('survey texts', () => {
  // A typical brand of 20 characters.
  const en: SmsCampaign = { brand: 'Acme Coffee Roasters', locale: 'en' };
  const ru: SmsCampaign = { brand: 'Acme Coffee Roasters', locale: 'ru' };

  const everyText = (campaign: SmsCampaign) => ({
    invitation: invitationSms(campaign),
    reminder: invitationSms(campaign, { reminder: true }),
    reprompt: repromptSms(campaign),
    followUp: followUpSms(campaign),
    thanks: thanksSms(campaign),
    help: helpSms(campaign),
    stop: stopSms(campaign),
    start: startSms(campaign),
  });

  it('GIVEN the standard English invitation and a 20-character brand THEN it is one GSM-7 segment', () => {
    const text = invitationSms(en);
    expect(text).toBe(
      'Acme Coffee Roasters: How likely are you to recommend us to a friend or colleague? Reply 0 (not likely) to 10 (very likely). Reply STOP to opt out.',
    );
    expect(segmentsOf(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it.each(Object.entries(everyText(en)))('the English %s text is one GSM-7 segment', (_, text) => {
    expect(segmentsOf(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it.each(Object.entries(everyText(ru)))('the Russian %s text takes at most two UCS-2 segments', (_, text) => {
    expect(segmentsOf(text).segments).toBeLessThanOrEqual(2);
  });

  it('keeps the English invitation to one segment for brands of up to 33 characters (23 in a reminder)', () => {
    const invitation = (length: number, reminder = false) => invitationSms({ brand: 'B'.repeat(length), locale: 'en' }, { reminder });
    expect(segmentsOf(invitation(33)).segments).toBe(1);
    expect(segmentsOf(invitation(34)).segments).toBe(2);
    expect(segmentsOf(invitation(23, true)).segments).toBe(1);
    expect(segmentsOf(invitation(24, true)).segments).toBe(2);
  });

  it.each<Locale>(['en', 'ru'])('every %s text starts with the brand', (locale) => {
    for (const text of Object.values(everyText({ brand: 'Acme', locale }))) expect(text.startsWith('Acme: ')).toBe(true);
  });

  it.each<[Locale, string]>([
    ['en', 'STOP'],
    ['ru', 'СТОП'],
  ])('the %s invitation names the 0–10 scale and how to opt out (%s)', (locale, stopWord) => {
    const text = invitationSms({ brand: 'Acme', locale });
    expect(text).toMatch(/\b0\b[^0-9]*\b10\b/);
    expect(text).toContain(stopWord);
  });

  it('GIVEN a custom question THEN it replaces the standard one, with {brand} filled in', () => {
    const text = invitationSms({ ...en, brand: 'Acme', question: 'Would you recommend {brand} to a colleague?' });
    expect(text).toBe('Acme: Would you recommend Acme to a colleague? Reply 0 (not likely) to 10 (very likely). Reply STOP to opt out.');
  });

  it('GIVEN a reminder THEN the invitation says so after the brand', () => {
    expect(invitationSms({ brand: 'Acme', locale: 'en' }, { reminder: true })).toMatch(/^Acme: Reminder: How likely/);
    expect(invitationSms({ brand: 'Acme', locale: 'ru' }, { reminder: true })).toMatch(/^Acme: Напоминание: Насколько/);
  });

  it('GIVEN a score THEN the follow-up thanks and asks the standard or the custom question', () => {
    expect(followUpSms({ brand: 'Acme', locale: 'en' })).toBe('Acme: Thank you! What is the main reason for your score?');
    expect(followUpSms({ brand: 'Acme', locale: 'ru' })).toBe('Acme: Спасибо! Какова главная причина вашей оценки?');
    expect(followUpSms({ brand: 'Acme', locale: 'en', followUpQuestion: 'What should {brand} improve?' })).toBe(
      'Acme: Thank you! What should Acme improve?',
    );
  });

  it('GIVEN a support contact THEN the HELP answer ends with it', () => {
    expect(helpSms({ brand: 'Acme', locale: 'en' }, '+1 206 555 0199')).toMatch(/Reply STOP to opt out, START to opt back in\. Support: \+1 206 555 0199$/);
    expect(helpSms({ brand: 'Acme', locale: 'ru' }, 'help@acme.example')).toMatch(/Поддержка: help@acme\.example$/);
    expect(helpSms({ brand: 'Acme', locale: 'en' })).not.toContain('Support');
  });

  it('tells how to come back after STOP, and how to leave after START', () => {
    expect(stopSms(en)).toContain('START');
    expect(startSms(en)).toContain('STOP');
    expect(stopSms(ru)).toContain('СТАРТ');
    expect(startSms(ru)).toContain('СТОП');
  });

  it('takes a brand literally, even one that looks like a replacement pattern or a placeholder', () => {
    expect(thanksSms({ brand: "A$&B $' {support}", locale: 'en' })).toBe("A$&B $' {support}: Thank you for your feedback!");
    expect(helpSms({ brand: 'Acme', locale: 'en' }, '$& {brand}')).toMatch(/Support: \$& \{brand\}$/);
  });

  it('has the same texts in every locale', () => {
    expect(Object.keys(smsMessages.ru).sort()).toEqual(Object.keys(smsMessages.en).sort());
    for (const locale of Object.keys(smsMessages) as Locale[]) {
      for (const [name, value] of Object.entries(smsMessages[locale])) expect(value, `${locale}.${name}`).not.toBe('');
    }
  });
});
