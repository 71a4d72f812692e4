import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localEnv } from '#local/local-env';
import { env, serviceName, topics } from '#shared/contract/wiring';

const endpoints = { dynamodb: 'http://ddb', sqs: 'http://sqs', sns: 'http://sns', ses: 'http://ses' };
const resources = {
  queueUrls: { invitations: 'http://sqs/q/invitations', followups: 'http://sqs/q/followups' },
  topicArns: { alerts: 'arn:alerts', sesEvents: 'arn:ses-events', smsInbound: 'arn:sms-inbound' },
  apiKey: 'key',
  publicBaseUrl: 'http://localhost:3000',
  oidc: { issuer: 'http://localhost:3000/oidc', clientId: 'npsloop-console', consoleUrl: 'http://localhost:3000/console/' },
};

describe('the local environment of the handlers', () => {
  // The integration suite's runtime, started in the same `vitest run`, sets CONSOLE_URL for the
  // whole process tree; these cases are about localEnv's own defaults.
  beforeEach(() => vi.stubEnv('CONSOLE_URL', ''));
  afterEach(() => vi.unstubAllEnvs());

  it('points the API at the local OIDC server and the console', () => {
    // A runtime started earlier in this worker may have left its own CONSOLE_URL in process.env.
    vi.stubEnv(env.consoleUrl, undefined);
    expect(localEnv(endpoints, resources)).toMatchObject({
      [env.oidcIssuer]: 'http://localhost:3000/oidc',
      [env.oidcClientId]: 'npsloop-console',
      [env.consoleUrl]: 'http://localhost:3000/console/',
    });
  });

  it('names every declared topic, the SES feedback topic included', () => {
    const variables = localEnv(endpoints, resources);
    expect(variables[topics.sesEvents.arnEnv]).toBe('arn:ses-events');
    expect(variables[topics.alerts.arnEnv]).toBe('arn:alerts');
    expect(variables[topics.smsInbound.arnEnv]).toBe('arn:sms-inbound');
  });

  it('lets e-mail go out fast against the SES emulator, unless a rate is given', () => {
    vi.stubEnv(env.emailSendRate, undefined);
    expect(localEnv(endpoints, resources)[env.emailSendRate]).toBe('100');
    vi.stubEnv(env.emailSendRate, '1');
    expect(localEnv(endpoints, resources)[env.emailSendRate]).toBe('1');
  });

  it('sends SMS from the local two-way number at 20 a second, unless told otherwise', () => {
    vi.stubEnv(env.smsOriginationNumber, undefined);
    vi.stubEnv(env.smsSendRate, undefined);
    expect(localEnv(endpoints, resources)).toMatchObject({ [env.smsOriginationNumber]: '+18005550100', [env.smsSendRate]: '20' });
    vi.stubEnv(env.smsOriginationNumber, '+447700900123');
    vi.stubEnv(env.smsSendRate, '1');
    expect(localEnv(endpoints, resources)).toMatchObject({ [env.smsOriginationNumber]: '+447700900123', [env.smsSendRate]: '1' });
  });

  it('is on-demand Lambda to Powertools, names the service and metrics namespace as the stack does, and keeps EMF metric lines off the terminal unless asked', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    expect(localEnv(endpoints, resources)).toMatchObject({
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_METRICS_NAMESPACE: serviceName,
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    expect(localEnv(endpoints, resources).POWERTOOLS_METRICS_DISABLED).toBe('false');
  });

  it('gives the whole send rate to the one in-process sender, whose single limiter serves every batch', () => {
    expect(localEnv(endpoints, resources)[env.senderConcurrency]).toBe('1');
  });
});
