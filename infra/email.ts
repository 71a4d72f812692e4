import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, ConfigurationSetTlsPolicy, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailSendingProps {
  /** The From address; SES accepts it when the address or its domain is a verified identity. */
  readonly senderEmail: string;
}

/** Survey e-mail through SES v2: a configuration set, and the one permission to send with it. */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Invitations carry a token that answers the survey: never send them in clear text.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      // Never mail an address that bounced or complained again, from any campaign.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
  }

  /**
   * SES has no L2 grant, so this is the statement one would have: `ses:SendEmail` on the
   * sender's identities (address, and domain for domain-verified senders) and the
   * configuration set, with the From address pinned.
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const identity = (name: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const domain = this.senderEmail.slice(this.senderEmail.lastIndexOf('@') + 1);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [
        identity(this.senderEmail),
        identity(domain),
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        }),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
    });
  }
}
