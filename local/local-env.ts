import { randomBytes } from 'node:crypto';
import { env, queues, serviceName, topics, type QueueName, type TopicName } from '#shared/contract/wiring';
import { localCredentials } from './services/local-credentials.ts';
import { typedEntries } from './typed-entries.ts';

/**
 * The environment the handlers see locally. They read only what the stack would give them in
 * AWS: the SDK's standard per-service endpoint variables point every client at the local
 * services, and the app variables named in shared/contract/wiring.ts carry the resources. Handler
 * code therefore has no local branches.
 */

export const localRegion = 'us-east-1';
export const localDefaultApiKey = 'local-dev-key';
export const localTableName = 'npsloop';
/** Sets the local console accounts' password, as NPSLOOP_API_KEY sets the API key. */
export const localPasswordEnv = 'NPSLOOP_LOCAL_PASSWORD';
/** The emulator has no configuration sets; senders name one as on AWS, and SES events carry it as a tag. */
export const localConfigurationSetName = 'npsloop';
/** The two-way number SMS go out from and replies come back to, unless SMS_ORIGINATION_NUMBER names one. */
export const localOriginationNumber = '+18005550100';

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
  readonly sns: string;
  readonly ses: string;
}

export interface LocalResources {
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  readonly topicArns: Readonly<Record<TopicName, string>>;
  readonly apiKey: string;
  readonly publicBaseUrl: string;
  /** The local OIDC server: the ID tokens the API accepts, and where the console is. */
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly consoleUrl: string };
}

export function localEnv(endpoints: LocalEndpoints, resources: LocalResources): Record<string, string> {
  const variables: Record<string, string> = {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    [env.tableName]: localTableName,
    // A fresh secret per run unless one is given, so tokens from an old run stop working.
    [env.tokenSecret]: process.env[env.tokenSecret] ?? randomBytes(32).toString('base64url'),
    [env.apiKey]: resources.apiKey,
    [env.publicBaseUrl]: resources.publicBaseUrl,
    [env.oidcIssuer]: resources.oidc.issuer,
    [env.oidcClientId]: resources.oidc.clientId,
    [env.consoleUrl]: resources.oidc.consoleUrl,
    [env.senderEmail]: process.env[env.senderEmail] ?? 'surveys@npsloop.local',
    [env.sesConfigurationSet]: localConfigurationSetName,
    // The SES emulator has no sending quota, so locally mail may go out fast; set EMAIL_SEND_RATE
    // to try an account's real rate (14/s once SES production access is granted, 1/s in the sandbox).
    [env.emailSendRate]: process.env[env.emailSendRate] ?? '100',
    [env.smsOriginationNumber]: process.env[env.smsOriginationNumber] || localOriginationNumber,
    // The SMS outbox has no carrier behind it; set SMS_SEND_RATE=1 to feel a long code's real pace.
    [env.smsSendRate]: process.env[env.smsSendRate] ?? '20',
    // Alerts link to their case in the console when its address is given (CONSOLE_URL=http://localhost:3000/console/).
    ...(process.env[env.consoleUrl] ? { [env.consoleUrl]: process.env[env.consoleUrl] } : {}),
    // What Lambda tells an on-demand function, so Powertools flags the first invocation a cold start.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    // Powertools, as the stack sets it (the namespace is the stack's default).
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: serviceName,
    // Nothing reads EMF locally, so the metric lines would only crowd the terminal;
    // POWERTOOLS_METRICS_DISABLED=false prints them.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  };
  // On AWS each concurrent sender sandbox has its own rate limiter, so the stack divides the
  // rate by the queue's concurrency. Locally one loaded handler module (one limiter) serves every
  // concurrent batch, so the whole rate belongs to it.
  variables[env.senderConcurrency] = '1';
  for (const [name, declaration] of typedEntries(queues)) variables[declaration.urlEnv] = resources.queueUrls[name];
  for (const [name, declaration] of typedEntries(topics)) variables[declaration.arnEnv] = resources.topicArns[name];
  return variables;
}

/**
 * Applies the local environment to this process, where the handlers run. Variables that would
 * send a handler to real AWS (a session token, secret ARNs meant for Secrets Manager) go.
 */
export function applyLocalEnv(variables: Readonly<Record<string, string>>): void {
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', env.tokenSecretArn, env.apiKeySecretArn]) delete process.env[name];
  Object.assign(process.env, variables);
}
