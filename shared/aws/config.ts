import * as z from 'zod/mini';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { env } from '#shared/contract/wiring';

/** Reads a required env var once; a missing one is a deployment bug, so it throws at init. */
export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
};

/** How long a secret read from Secrets Manager is reused: a rotated value is in use within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A secret is given either directly (`NAME`: the local runtime and tests, which have no Secrets
 * Manager) or as a Secrets Manager ARN (`NAME_ARN`, set by the stack). The ARN is read with
 * Powertools Parameters, which keeps the value for SECRET_MAX_AGE_SECONDS and then reads it
 * again, so a rotated key takes effect without a redeploy.
 */
const secret = async (directEnv: string, arnEnv: string): Promise<string> => {
  const direct = process.env[directEnv];
  if (direct) return direct;
  const value = await getSecret(requireEnv(arnEnv), { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new Error(`Secret ${arnEnv} has no string value`);
  return value;
};

export const tokenSecret = (): Promise<string> => secret(env.tokenSecret, env.tokenSecretArn);
export const apiKey = (): Promise<string> => secret(env.apiKey, env.apiKeySecretArn);

export const tableName = (): string => requireEnv(env.tableName);
export const publicBaseUrl = (): string => requireEnv(env.publicBaseUrl).replace(/\/+$/, '');
export const senderEmail = (): string => requireEnv(env.senderEmail);

const ExpiryDays = z._default(z.coerce.number().check(z.int(), z.positive()), 90);
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

/**
 * The identity provider whose ID tokens the admin API accepts (OIDC_ISSUER, OIDC_CLIENT_ID), or
 * undefined when neither is set and only the API key signs in. One without the other is a
 * deployment bug and throws.
 */
export const identityProvider = (): { issuer: string; clientId: string } | undefined => {
  const issuer = process.env[env.oidcIssuer] ?? '';
  const clientId = process.env[env.oidcClientId] ?? '';
  if (issuer === '' && clientId === '') return undefined;
  return { issuer: requireEnv(env.oidcIssuer), clientId: requireEnv(env.oidcClientId) };
};
