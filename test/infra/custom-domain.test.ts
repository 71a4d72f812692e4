import { Match } from 'aws-cdk-lib/assertions';
import type { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { env, functions } from '#shared/contract/wiring';
import { fastApp, synthStack } from '#test/infra/synth';

/** The console, the API and the survey links on the company's own domain (context `customDomain`), on CloudFront. */

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const senders = Object.entries(functions).filter(([, f]) => f.uses.sendsEmail);
const distributionConfig = (template: ReturnType<typeof synthStack>['template']) =>
  Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

describe('a custom domain in a Route 53 zone the stack may write', () => {
  const { stack, template } = synthStack({ customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE, hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const distributionId = stack.getLogicalId(stack.web.distribution.node.defaultChild as CfnDistribution);

  it('is an alternate name of the distribution, with the us-east-1 certificate, SNI and TLS 1.2', () => {
    expect(distributionConfig(template)).toMatchObject({
      Aliases: ['surveys.acme.example'],
      ViewerCertificate: { AcmCertificateArn: CERTIFICATE, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    });
    // The certificate is the operator's; CloudFront reads it from us-east-1, where this stack may not be.
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('writes A and AAAA alias records to the distribution in the zone', () => {
    for (const Type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'surveys.acme.example.',
        Type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] } }),
      });
    }
  });

  it('puts the e-mail links, the console and its sign-in callback on the domain', () => {
    expect(senders.length).toBeGreaterThan(0);
    for (const [, f] of senders) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(f.entry),
        Environment: { Variables: Match.objectLike({ [env.publicBaseUrl]: 'https://surveys.acme.example' }) },
      });
    }
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://surveys.acme.example/console/'],
      LogoutURLs: ['https://surveys.acme.example/console/'],
    });
    template.hasOutput('ConsoleUrl', { Value: 'https://surveys.acme.example/console/' });
  });
});

describe('publicBaseUrl beside a custom domain', () => {
  it('wins: something else (another CDN) fronts the stack', () => {
    const { template } = synthStack({ customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE, publicBaseUrl: 'https://cdn.acme.example' });
    const [, sender] = senders[0] ?? [];
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp(sender?.entry ?? ''),
      Environment: { Variables: Match.objectLike({ [env.publicBaseUrl]: 'https://cdn.acme.example' }) },
    });
  });
});

describe('a custom domain whose DNS the operator keeps', () => {
  it('writes no DNS, and prints the distribution name to point a CNAME at', () => {
    const { stack, template } = synthStack({ customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE });
    expect(distributionConfig(template).Aliases).toEqual(['surveys.acme.example']);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasOutput('CustomDomainDnsTarget', {
      Value: { 'Fn::GetAtt': [stack.getLogicalId(stack.web.distribution.node.defaultChild as CfnDistribution), 'DomainName'] },
      Description: Match.stringLikeRegexp('CNAME for surveys\\.acme\\.example'),
    });
  });
});

describe('cdk-nag', () => {
  it.each([
    ['a certificate', {}],
    ['a certificate and a hosted zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
  ])('passes the gate with %s', (_, context) => {
    const { app } = fastApp({ customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE, ...context });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('custom domain settings', () => {
  it.each([
    [{ customDomain: 'surveys.acme.example' }, /customDomain: needs certificateArn, an ACM certificate for it in us-east-1/],
    [{ customDomain: 'surveys.acme.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, /customDomain: needs certificateArn/],
    [{ certificateArn: CERTIFICATE }, /certificateArn: is only used with customDomain/],
    [
      { customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1') },
      /certificateArn: must be a certificate in us-east-1 \(CloudFront reads certificates only from there\)/,
    ],
    [
      { customDomain: 'surveys.acme.example', certificateArn: CERTIFICATE, hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'other.example' },
      /hostedZoneName: surveys\.acme\.example is not inside other\.example/,
    ],
    [{ customDomain: 'https://surveys.acme.example', certificateArn: CERTIFICATE }, /customDomain: a host name/],
    [{ customDomain: 'surveys.acme.example', certificateArn: 'arn:aws:iam::123456789012:role/x' }, /certificateArn: an ACM certificate ARN/],
  ])('refuses %j, naming the setting', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});
