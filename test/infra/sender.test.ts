import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { env, functions } from '#shared/contract/wiring';
import { fastApp, synthStack } from '#test/infra/synth';

/** The sender of survey e-mail: a domain identity the stack creates (senderDomain), or one the user verified (senderEmail). */

const ZONE = 'Z0123456789ABCDEFGHIJ';
const senders = Object.entries(functions).filter(([, f]) => f.uses.sendsEmail);
/** Context without the tests' default senderEmail, as a deploy with only `-c senderDomain=` runs. */
const domainOnly = (context: Record<string, unknown>) => ({ senderEmail: undefined, ...context });

describe('a senderDomain without a hosted zone', () => {
  const { template } = synthStack(domainOnly({ senderDomain: 'acme.example' }));

  it('creates the SES domain identity with Easy DKIM', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'acme.example',
      // No BYODKIM key: SES generates and rotates the DKIM key itself.
      DkimSigningAttributes: Match.absent(),
    });
  });

  it('outputs the three DKIM CNAME records for the user to add at their DNS provider', () => {
    for (const n of [1, 2, 3]) {
      template.hasOutput(`SenderDkimRecord${n}`, {
        Value: { 'Fn::Join': [' ', [{ 'Fn::GetAtt': [Match.anyValue(), `DkimDNSTokenName${n}`] }, 'CNAME', { 'Fn::GetAtt': [Match.anyValue(), `DkimDNSTokenValue${n}`] }]] },
      });
    }
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('sends from surveys@<senderDomain>, and may send from that address only', () => {
    for (const [, f] of senders) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(f.entry),
        Environment: { Variables: Match.objectLike({ [env.senderEmail]: 'surveys@acme.example' }) },
      });
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ses:SendEmail', Condition: { StringEquals: { 'ses:FromAddress': 'surveys@acme.example' } } }),
        ]),
      },
    });
  });
});

describe('a senderDomain in a Route 53 zone the stack may write', () => {
  it('writes the three DKIM CNAMEs in the zone and outputs none', () => {
    // GIVEN / WHEN a sender subdomain of the zone
    const { template } = synthStack(domainOnly({ senderDomain: 'mail.acme.example', hostedZoneId: ZONE, hostedZoneName: 'acme.example' }));
    // THEN
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'mail.acme.example' });
    template.resourceCountIs('AWS::Route53::RecordSet', 3);
    for (const n of [1, 2, 3]) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: ZONE,
        Type: 'CNAME',
        Name: { 'Fn::GetAtt': [Match.anyValue(), `DkimDNSTokenName${n}`] },
        ResourceRecords: [{ 'Fn::GetAtt': [Match.anyValue(), `DkimDNSTokenValue${n}`] }],
      });
    }
    expect(Object.keys(template.findOutputs('SenderDkimRecord*'))).toEqual([]);
  });

  it('takes the zone to be the senderDomain itself when hostedZoneName is not given', () => {
    const { template } = synthStack(domainOnly({ senderDomain: 'acme.example', hostedZoneId: ZONE }));
    template.resourceCountIs('AWS::Route53::RecordSet', 3);
  });

  it('passes the cdk-nag checks', () => {
    const { app } = fastApp(domainOnly({ senderDomain: 'acme.example', hostedZoneId: ZONE }));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a senderEmail the user verified in SES', () => {
  it('creates no identity: the address or its domain is the user\'s to verify', () => {
    const { template } = synthStack({ senderEmail: 'nps@acme.example' });
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(Object.keys(template.findOutputs('SenderDkimRecord*'))).toEqual([]);
  });

  it('may name another address at the senderDomain', () => {
    const { template } = synthStack({ senderDomain: 'acme.example', senderEmail: 'nps@acme.example' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [env.senderEmail]: 'nps@acme.example' }) },
    });
  });
});

describe('no sender', () => {
  it('refuses the synth, and so the deploy, naming both ways to give one', () => {
    // GIVEN cdk.json's context alone, as `cdk deploy` without -c runs
    // WHEN / THEN
    expect(() => synthStack({ senderEmail: undefined })).toThrow(/no sender: add -c senderDomain=.* or -c senderEmail=/);
  });

  it('refuses a senderEmail outside the senderDomain, which the identity would not cover', () => {
    expect(() => synthStack({ senderDomain: 'acme.example', senderEmail: 'nps@other.example' })).toThrow(/senderEmail: must be an address at senderDomain acme\.example/);
  });

  it('refuses a hosted zone that does not hold the senderDomain', () => {
    expect(() => synthStack(domainOnly({ senderDomain: 'acme.example', hostedZoneId: ZONE, hostedZoneName: 'other.example' }))).toThrow(
      /senderDomain: acme\.example is not inside other\.example/,
    );
  });
});
