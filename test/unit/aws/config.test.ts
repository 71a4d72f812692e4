import { afterEach, describe, expect, it, vi } from 'vitest';

/** Config is read once per cold start, so each case loads a fresh copy of the module. */
const load = async (value: string | undefined) => {
  vi.resetModules();
  if (value === undefined) delete process.env.SURVEY_EXPIRY_DAYS;
  else process.env.SURVEY_EXPIRY_DAYS = value;
  return import('#shared/aws/config');
};

afterEach(() => {
  delete process.env.SURVEY_EXPIRY_DAYS;
});

describe('survey link expiry setting', () => {
  it('is 90 days unless set', async () => {
    expect((await load(undefined)).surveyExpiryDays()).toBe(90);
    expect((await load('')).surveyExpiryDays()).toBe(90);
  });

  it('reads SURVEY_EXPIRY_DAYS', async () => {
    expect((await load('30')).surveyExpiryDays()).toBe(30);
  });

  it.each(['0', '-1', '1.5', 'ninety'])('refuses %j, naming the variable', async (value) => {
    const config = await load(value);
    expect(() => config.surveyExpiryDays()).toThrow(/SURVEY_EXPIRY_DAYS/);
  });
});
