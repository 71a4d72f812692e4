import { describe, expect, it } from 'vitest';
import { CampaignInput } from '#shared/contract/campaigns';
import { PageQuery } from '#shared/contract/fields';
import { RecipientInput, RecipientsInput } from '#shared/contract/recipients';
import { AnswerInput, LinkScore } from '#shared/contract/responses';
import { ScoreQuery } from '#shared/contract/scores';

const campaign = { name: 'Q4', brand: 'Acme', channel: 'email' };
const messageOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

describe('an answer score', () => {
  it.each([0, 7, 10, '0', '7', '10'])('accepts %j as a score', (score) => {
    expect(AnswerInput.parse({ score })).toEqual({ score: Number(score) });
  });

  it.each([
    ['an empty form field', ''],
    ['a space', ' '],
    ['a tab', '\t'],
    ['null', null],
    ['false', false],
    ['true', true],
    ['an empty array', []],
    ['an array', [8]],
    ['hexadecimal', '0x0A'],
    ['an exponent', '1e1'],
    ['a leading zero', '07'],
    ['padding', ' 7 '],
    ['a sign', '+7'],
    ['a fraction', '7.0'],
    ['a fractional number', 7.5],
    ['eleven', 11],
    ['a negative number', -1],
    ['a number word', 'seven'],
    ['an object', { valueOf: 7 }],
  ])('refuses %s', (_, score) => {
    expect(AnswerInput.safeParse({ score }).success).toBe(false);
  });

  it('refuses an answer without a score', () => {
    expect(AnswerInput.safeParse({ comment: 'hi' }).success).toBe(false);
  });

  it('keeps line breaks in a comment', () => {
    expect(AnswerInput.parse({ score: '3', comment: 'slow\r\ndelivery' })).toEqual({ score: 3, comment: 'slow\r\ndelivery' });
  });
});

describe('the preselected score of a survey link', () => {
  it.each([
    ['0', 0],
    ['10', 10],
  ])('preselects %s', (given, expected) => {
    expect(LinkScore.parse(given)).toBe(expected);
  });

  it.each(['', ' ', '0x0A', '1e1', '07', '11', '-1', '7,8', 'x'])('preselects nothing for %j', (given) => {
    expect(LinkScore.parse(given)).toBeUndefined();
  });
});

describe('a page query', () => {
  it('defaults the page size and reads a decimal limit', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 50 });
    expect(PageQuery.parse({ limit: '25' })).toEqual({ limit: 25 });
  });

  it.each(['', ' ', '0x10', '1e1', '010', '10.0', '0', '101'])('refuses the limit %j', (limit) => {
    expect(PageQuery.safeParse({ limit }).success).toBe(false);
  });
});

describe('text that can reach an e-mail or alert subject', () => {
  it.each(['name', 'brand', 'question', 'followUpQuestion'])('refuses a line break in the campaign %s, naming it', (field) => {
    const result = CampaignInput.safeParse({ ...campaign, [field]: 'Acme\r\nBcc: x@example.com' });
    expect(result.success).toBe(false);
    expect(messageOf(result)).toMatch(new RegExp(`^${field}: .*control characters`));
  });

  it.each(['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\t'])('refuses the control character %j in a brand', (c) => {
    expect(CampaignInput.safeParse({ ...campaign, brand: `Ac${c}me` }).success).toBe(false);
  });

  it('keeps letters, punctuation and emoji of any script', () => {
    expect(CampaignInput.parse({ ...campaign, brand: 'Ромашка & Co. 🌼' }).brand).toBe('Ромашка & Co. 🌼');
  });

  it.each(['name', 'externalId'])('refuses a line break in a recipient %s, naming it', (field) => {
    const result = RecipientInput.safeParse({ email: 'a@example.com', [field]: 'Ann\nBcc: x@example.com' });
    expect(result.success).toBe(false);
    expect(messageOf(result)).toMatch(new RegExp(`^${field}: .*control characters`));
  });

  it('refuses a control character in an attribute value', () => {
    expect(RecipientInput.safeParse({ email: 'a@example.com', attributes: { plan: 'pro\u0000' } }).success).toBe(false);
  });
});

describe('segment and attribute names', () => {
  const reserved = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString', '__proto__'];

  it.each(reserved)('refuses the segment %s at campaign creation, saying why', (name) => {
    const result = CampaignInput.safeParse({ ...campaign, segments: ['plan', name] });
    expect(result.success).toBe(false);
    expect(messageOf(result)).toMatch(/segments\.1: .*reserved/);
  });

  it.each(reserved)('refuses the recipient attribute %s, saying why', (name) => {
    const body = JSON.parse(`{"recipients":[{"email":"a@example.com","attributes":{"plan":"pro","${name}":"x"}}]}`) as unknown;
    const result = RecipientsInput.safeParse(body);
    expect(result.success).toBe(false);
    expect(messageOf(result)).toMatch(/reserved/);
  });

  it('refuses a reserved name as the segment of a score query', () => {
    expect(ScoreQuery.safeParse({ segment: 'constructor' }).success).toBe(false);
  });

  it('accepts ordinary names that merely contain a reserved word', () => {
    expect(CampaignInput.parse({ ...campaign, segments: ['constructorType', 'plan'] }).segments).toEqual(['constructorType', 'plan']);
  });
});
