import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { apiKey, SECRET_MAX_AGE_SECONDS } from '#shared/aws/config';
import { env } from '#shared/contract/wiring';

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

describe('secrets', () => {
  // Powertools keeps its cache for the whole process, so each case reads its own secret.
  let n = 0;
  const secretsManager = mockClient(SecretsManagerClient);
  const given = (value: string) => {
    const arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:api-key-${++n}`;
    vi.stubEnv(env.apiKey, undefined);
    vi.stubEnv(env.apiKeySecretArn, arn);
    secretsManager.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: value });
    return arn;
  };

  beforeEach(() => {
    secretsManager.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T12:00:00Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it(`reads a secret from Secrets Manager once per ${SECRET_MAX_AGE_SECONDS / 60} minutes, so a rotated value is in use within that`, async () => {
    // GIVEN
    const arn = given('key-before');
    // WHEN it is read twice in a row
    expect(await apiKey()).toBe('key-before');
    expect(await apiKey()).toBe('key-before');
    // THEN Secrets Manager was asked once
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    // WHEN the secret rotates and the reuse time passes
    secretsManager.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: 'key-after' });
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await apiKey()).toBe('key-before');
    vi.setSystemTime(Date.now() + 2000);
    // THEN the new value is read
    expect(await apiKey()).toBe('key-after');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('takes a value given directly (the local runtime, tests) without asking Secrets Manager', async () => {
    given('from-secrets-manager');
    vi.stubEnv(env.apiKey, 'given-directly');
    expect(await apiKey()).toBe('given-directly');
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('refuses a secret with no string value, naming the variable', async () => {
    given('');
    await expect(apiKey()).rejects.toThrow(env.apiKeySecretArn);
  });
});
