import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  type DkimRecord,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface EmailSendingProps {
  /** The From address; SES accepts it when the address or its domain is a verified identity. */
  readonly senderEmail: string;
  /** A domain whose SES identity (Easy DKIM) the stack creates; without one, senderEmail's identity is the user's. */
  readonly senderDomain?: string;
  /** A Route 53 zone holding senderDomain: the stack writes the DKIM CNAMEs there. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
  /** Where SES publishes bounces and complaints: the configuration set's event destination. */
  readonly feedbackTopic: ITopic;
  /** The key that encrypts `feedbackTopic`; SES must be allowed to use it to publish. */
  readonly feedbackTopicKey: IKey;
}

/**
 * SES feedback that says "do not mail this address again". Rejects (SES refused a message
 * carrying a virus) say nothing about the address, so they are not published.
 */
const feedbackEvents = [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT];

/**
 * Survey e-mail through SES v2: the sender's domain identity when the stack owns it, a
 * configuration set whose bounces and complaints are published to the feedback topic, and the
 * one permission to send with it.
 */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly senderEmail: string;
  /** The domain identity, when senderDomain is set; it verifies once its DKIM records resolve. */
  readonly senderIdentity: EmailIdentity | undefined;
  /** The DKIM CNAMEs the user must add at their DNS provider; empty when the stack writes them to Route 53. */
  readonly dkimRecordsToAdd: readonly DkimRecord[];

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    const zone = props.hostedZone
      ? PublicHostedZone.fromPublicHostedZoneAttributes(this, 'SenderZone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name })
      : undefined;
    // Easy DKIM (the default): SES signs with a 2048-bit key it rotates itself. An identity with a
    // hosted zone gets its three CNAMEs written there by CDK; Identity.publicHostedZone would name
    // the zone itself as the identity, so a sender subdomain of the zone is spelled out instead.
    this.senderIdentity = props.senderDomain
      ? new EmailIdentity(this, 'SenderIdentity', {
          identity: zone ? { value: props.senderDomain, hostedZone: zone } : Identity.domain(props.senderDomain),
        })
      : undefined;
    this.dkimRecordsToAdd = this.senderIdentity && !zone ? this.senderIdentity.dkimRecords : [];
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Invitations carry a token that answers the survey: never send them in clear text.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      // Never mail an address that bounced or complained again, from any campaign.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    // CDK adds the topic policy statement (ses.amazonaws.com may publish, for this account's
    // configuration set only); the key policy is ours to add.
    this.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.snsTopic(props.feedbackTopic),
      events: feedbackEvents,
    });
    const { account } = Stack.of(this);
    props.feedbackTopicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToPublishFeedbackToEncryptedTopic',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        // What SNS needs from a publisher to an encrypted topic. In a key policy "*" is this key.
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        // The confused-deputy guard: only on behalf of this account's configuration set.
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': this.configurationSetArn },
        },
      }),
    );
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
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
      resourceArns: [identity(this.senderEmail), identity(domain), this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
    });
  }
}
