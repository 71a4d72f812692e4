import { env, queues, serviceName, topics } from '#shared/contract/wiring';

/**
 * Placeholder configuration for loading a handler bundle outside Lambda (the benchmark, the
 * bundle smoke test): handlers may read configuration at import, and nothing here is ever called.
 * Secrets are given directly (the local-runtime form) so nothing reaches for Secrets Manager.
 */
export const placeholderHandlerEnvironment = (): Record<string, string> => ({
  [env.tableName]: 'placeholder-table',
  [env.tokenSecret]: 'placeholder-token-secret-0123456789abcdef0123456789',
  [env.apiKey]: 'placeholder-api-key',
  [env.publicBaseUrl]: 'https://placeholder.example.com/',
  [env.senderEmail]: 'surveys@example.com',
  ...Object.fromEntries(Object.values(queues).map((q) => [q.urlEnv, 'https://sqs.us-east-1.amazonaws.com/000000000000/placeholder'])),
  ...Object.fromEntries(Object.values(topics).map((t) => [t.arnEnv, 'arn:aws:sns:us-east-1:000000000000:placeholder'])),
  POWERTOOLS_SERVICE_NAME: serviceName,
  POWERTOOLS_METRICS_NAMESPACE: serviceName,
  LOG_LEVEL: 'INFO',
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
});
