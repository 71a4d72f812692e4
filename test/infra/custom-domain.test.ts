import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { env, functions } from '#shared/contract/wiring';
import { fastApp, synthStack } from '#test/infra/synth';

/** Survey and unsubscribe links on the company's own domain (context `customDomain`). */

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const senders = Object.entries(functions).filter(([, f]) => f.uses.sendsEmail);

describe('a custom domain in a Route 53 zone the stack may write', () => {
  const { template } = synthStack({ customDomain: 'surveys.acme.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });

  it('issues a DNS-validated certificate and maps the API on the domain with TLS 1.2', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'surveys.acme.example',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'surveys.acme.example', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'surveys.acme.example',
      DomainNameConfigurations: [Match.objectLike({ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' })],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });

  it('writes A and AAAA alias records for it in the zone', () => {
    for (const Type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'surveys.acme.example.', Type, HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    }
  });

  it('puts the e-mail links on the domain', () => {
    expect(senders.length).toBeGreaterThan(0);
    for (const [, f] of senders) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(f.entry),
        Environment: { Variables: Match.objectLike({ [env.publicBaseUrl]: 'https://surveys.acme.example' }) },
      });
    }
  });
});

describe('publicBaseUrl beside a custom domain', () => {
  it('wins: something else (a CDN) fronts the API', () => {
    const { template } = synthStack({ customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE, publicBaseUrl: 'https://cdn.acme.example' });
    const [, sender] = senders[0] ?? [];
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp(sender?.entry ?? ''),
      Environment: { Variables: Match.objectLike({ [env.publicBaseUrl]: 'https://cdn.acme.example' }) },
    });
  });
});

describe('a custom domain with a certificate the operator brings', () => {
  it('uses the certificate, writes no DNS, and prints the CNAME target', () => {
    const { template } = synthStack({ customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE })],
    });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(Object.values(template.findOutputs('*')).some((o) => /CNAME for surveys\.acme\.example/.test(String(o.Description)))).toBe(true);
  });

});

describe('cdk-nag', () => {
  it.each([
    ['a certificate', { certificateArn: CERTIFICATE }],
    ['a hosted zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
  ])('passes the gate with %s', (_, context) => {
    const { app } = fastApp({ customDomain: 'surveys.acme.example', ...context });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('custom domain settings', () => {
  it.each([
    [{ customDomain: 'surveys.acme.example' }, /customDomain: needs certificateArn or hostedZoneId/],
    [{ certificateArn: CERTIFICATE }, /certificateArn: is only used with customDomain/],
    [{ customDomain: 'surveys.acme.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'other.example' }, /hostedZoneName: surveys\.acme\.example is not inside other\.example/],
    [{ customDomain: 'https://surveys.acme.example', certificateArn: CERTIFICATE }, /customDomain: a host name/],
    [{ customDomain: 'surveys.acme.example', certificateArn: 'arn:aws:iam::123456789012:role/x' }, /certificateArn: an ACM certificate ARN/],
  ])('refuses %j, naming the setting', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});
