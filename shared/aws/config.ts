import { z } from 'zod';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { env } from '#shared/contract/wiring';

/** Reads a required env var once; a missing one is a deployment bug, so it throws at init. */
export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
};

let secretsClient: SecretsManagerClient | undefined;
const secretCache = new Map<string, Promise<string>>();

/**
 * A secret is given either directly (`NAME`, for the local runtime and tests) or as a Secrets
 * Manager ARN (`NAME_ARN`, set by the stack). It is fetched once per cold start and cached.
 */
const secret = (directEnv: string, arnEnv: string): Promise<string> => {
  const direct = process.env[directEnv];
  if (direct) return Promise.resolve(direct);
  const arn = requireEnv(arnEnv);
  let cached = secretCache.get(arn);
  if (!cached) {
    secretsClient ??= new SecretsManagerClient({});
    cached = secretsClient.send(new GetSecretValueCommand({ SecretId: arn })).then((out) => {
      if (!out.SecretString) throw new Error(`Secret ${arnEnv} has no string value`);
      return out.SecretString;
    });
    cached.catch(() => secretCache.delete(arn));
    secretCache.set(arn, cached);
  }
  return cached;
};

export const tokenSecret = (): Promise<string> => secret(env.tokenSecret, env.tokenSecretArn);
export const apiKey = (): Promise<string> => secret(env.apiKey, env.apiKeySecretArn);

export const tableName = (): string => requireEnv(env.tableName);
export const publicBaseUrl = (): string => requireEnv(env.publicBaseUrl).replace(/\/+$/, '');
export const senderEmail = (): string => requireEnv(env.senderEmail);

const ExpiryDays = z.coerce.number().int().positive().default(90);
let expiryDays: number | undefined;

/**
 * Days a survey link stays open after its invitation went out (SURVEY_EXPIRY_DAYS, default 90),
 * read once; a value that is not a positive whole number is a deployment bug and throws.
 */
export const surveyExpiryDays = (): number => {
  if (expiryDays === undefined) {
    const raw = process.env[env.surveyExpiryDays];
    const parsed = ExpiryDays.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) throw new Error(`${env.surveyExpiryDays} must be a positive whole number of days`);
    expiryDays = parsed.data;
  }
  return expiryDays;
};
