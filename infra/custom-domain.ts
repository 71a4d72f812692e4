/**
 * The console, the API and the survey and unsubscribe links on the company's own domain (e.g.
 * `surveys.acme.com`), as an alternate name of the CloudFront distribution. A link on the sender's
 * own domain reads as theirs; `*.cloudfront.net` looks like phishing to customers.
 *
 * CloudFront reads certificates only from ACM in us-east-1, and a CloudFormation stack creates
 * resources only in its own Region, so the operator brings the certificate (`certificateArn`, in
 * us-east-1). Either the stack owns the DNS (a Route 53 hosted zone: it writes the A/AAAA alias
 * records) or the operator does (the stack prints the name to point a CNAME at).
 */
import { CfnOutput } from 'aws-cdk-lib';
import { Certificate, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface CustomDomainProps {
  readonly domainName: string;
  /** An ACM certificate for domainName in us-east-1. */
  readonly certificateArn: string;
  /** A Route 53 hosted zone that holds domainName: the stack writes the alias records. */
  readonly hostedZone?: { readonly id: string; readonly name: string } | undefined;
}

export class CustomDomain extends Construct {
  readonly domainName: string;
  readonly certificate: ICertificate;
  private readonly props: CustomDomainProps;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    this.props = props;
    this.domainName = props.domainName;
    this.certificate = Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn);
  }

  /** Points the domain at the distribution: alias records in the hosted zone, else an output to CNAME to. */
  pointAt(distribution: Distribution): void {
    const { hostedZone, domainName } = this.props;
    if (hostedZone) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: hostedZone.id, zoneName: hostedZone.name });
      const target = RecordTarget.fromAlias(new CloudFrontTarget(distribution));
      new ARecord(this, 'AliasA', { zone, recordName: domainName, target });
      new AaaaRecord(this, 'AliasAaaa', { zone, recordName: domainName, target });
    }
    const dnsTarget = new CfnOutput(this, 'DnsTarget', {
      value: distribution.distributionDomainName,
      description: hostedZone
        ? `${domainName} is an alias of this name in the hosted zone (written by the stack)`
        : `Point a CNAME for ${domainName} at this name`,
    });
    // A fixed name, as the deploy guide in the README spells it (a nested id would get a hash suffix).
    dnsTarget.overrideLogicalId('CustomDomainDnsTarget');
  }
}
