import { describe, expect, it } from 'vitest';
import { compileFilter } from '#local/event-filter';
import { functions } from '#shared/contract/wiring';

const responseRecord = (sk: string, eventName = 'INSERT') => ({
  eventName,
  dynamodb: { Keys: { PK: { S: 'INVITATION#1' }, SK: { S: sk } } },
});

describe('local event filter (Lambda FilterCriteria, exact values)', () => {
  it('passes records whose leaf equals an allowed value', () => {
    const passes = compileFilter([{ dynamodb: { Keys: { SK: { S: ['RESPONSE'] } } } }]);
    expect(passes(responseRecord('RESPONSE'))).toBe(true);
    expect(passes(responseRecord('INVITATION'))).toBe(false);
  });

  it('requires every field of a pattern', () => {
    const passes = compileFilter([{ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { SK: { S: ['RESPONSE'] } } } }]);
    expect(passes(responseRecord('RESPONSE', 'MODIFY'))).toBe(true);
    expect(passes(responseRecord('RESPONSE', 'REMOVE'))).toBe(false);
  });

  it('passes a record that matches any one of several patterns', () => {
    const passes = compileFilter([{ eventName: ['REMOVE'] }, { dynamodb: { Keys: { SK: { S: ['RESPONSE'] } } } }]);
    expect(passes(responseRecord('INVITATION', 'REMOVE'))).toBe(true);
    expect(passes(responseRecord('INVITATION', 'INSERT'))).toBe(false);
  });

  it('does not pass a record that lacks the field', () => {
    const passes = compileFilter([{ dynamodb: { NewImage: { score: { N: ['3'] } } } }]);
    expect(passes(responseRecord('RESPONSE'))).toBe(false);
    expect(passes('not an object')).toBe(false);
  });

  it('matches an array field when any element is allowed', () => {
    const passes = compileFilter([{ tags: ['vip'] }]);
    expect(passes({ tags: ['new', 'vip'] })).toBe(true);
    expect(passes({ tags: ['new'] })).toBe(false);
  });

  it('compares values strictly: the string "5" is not the number 5, null is not a missing field', () => {
    expect(compileFilter([{ n: [5] }])({ n: '5' })).toBe(false);
    expect(compileFilter([{ n: [null] }])({ n: null })).toBe(true);
    expect(compileFilter([{ n: [null] }])({})).toBe(false);
  });

  it('passes everything without patterns', () => {
    expect(compileFilter([])({ anything: true })).toBe(true);
  });

  it.each([
    ['prefix', { SK: [{ prefix: 'RESP' }] }],
    ['numeric', { score: [{ numeric: ['<', 7] }] }],
    ['an empty value list', { SK: [] }],
    ['a bare value', { SK: 'RESPONSE' }],
  ])('rejects a %s filter it cannot evaluate exactly', (_, pattern) => {
    expect(() => compileFilter([pattern])).toThrow(/Unsupported filter pattern #0/);
  });

  it('accepts every filter the wiring declares', () => {
    for (const { source } of Object.values(functions)) {
      if (source.kind === 'stream') expect(() => compileFilter(source.filterPatterns)).not.toThrow();
    }
  });
});
