/**
 * The survey and unsubscribe links on the company's own domain (e.g. `surveys.acme.com`): an
 * API Gateway custom domain mapped to the HTTP API's stage. A link on the sender's own domain
 * reads as theirs; the default `*.execute-api.amazonaws.com` looks like phishing to customers.
 *
 * Either the stack owns the DNS (a Route 53 hosted zone: it issues a DNS-validated ACM
 * certificate and writes the A/AAAA alias records) or the operator does (an ACM certificate ARN
 * in the stack's Region: the stack prints the target to point a CNAME at).
 */
import { CfnOutput } from 'aws-cdk-lib';
import { ApiMapping, DomainName, EndpointType, type HttpApi, type HttpStage, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface CustomDomainProps {
  readonly domainName: string;
  /** An ACM certificate for domainName in the stack's Region; the operator points DNS at the output. */
  readonly certificateArn?: string | undefined;
  /** A Route 53 hosted zone that holds domainName; the stack issues the certificate and writes the records. */
  readonly hostedZone?: { readonly id: string; readonly name: string } | undefined;
  readonly api: HttpApi;
  readonly stage: HttpStage;
}

export class CustomDomain extends Construct {
  /** The base of survey and unsubscribe links on this domain. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const zone = props.hostedZone
      ? HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name })
      : undefined;
    let certificate;
    if (props.certificateArn) certificate = Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn);
    else if (zone) certificate = new Certificate(this, 'Certificate', { domainName: props.domainName, validation: CertificateValidation.fromDns(zone) });
    else throw new Error('customDomain needs certificateArn or hostedZoneId');
    const domain = new DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate,
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    // The whole API is mapped (one HTTP API, one stage); admin routes there still need their key.
    new ApiMapping(this, 'Mapping', { api: props.api, domainName: domain, stage: props.stage });
    if (zone) {
      const target = RecordTarget.fromAlias(new ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId));
      new ARecord(this, 'AliasA', { zone, recordName: props.domainName, target });
      new AaaaRecord(this, 'AliasAaaa', { zone, recordName: props.domainName, target });
    }
    const dnsTarget = new CfnOutput(this, 'DnsTarget', {
      value: domain.regionalDomainName,
      description: zone
        ? `${props.domainName} is an alias of this name in the hosted zone (written by the stack)`
        : `Point a CNAME for ${props.domainName} at this name`,
    });
    // A fixed name, as the deploy guide in the README spells it (a nested id would get a hash suffix).
    dnsTarget.overrideLogicalId('CustomDomainDnsTarget');
    this.url = `https://${props.domainName}`;
  }
}
