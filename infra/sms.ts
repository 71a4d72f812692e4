import { Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { OperationsAlarms } from '#infra/alarms';

export interface SmsMessagingProps {
  /** Where End User Messaging two-way SMS publishes each inbound message. */
  readonly inboundTopic: ITopic;
  /** The key that encrypts `inboundTopic`; End User Messaging must be allowed to use it to publish. */
  readonly inboundTopicKey: IKey;
  /**
   * The account's monthly SMS spend limit in USD, when the operators set one. It is an account
   * setting (SNS SetSMSAttributes MonthlySpendLimit), set once outside the stack; the stack
   * alarms when this month's SMS spend reaches 80% of it.
   */
  readonly monthlySpendLimitUsd?: number;
  readonly alarms: OperationsAlarms;
}

/** Share of the monthly SMS spend limit at which the operators hear about it. */
const spendAlarmShare = 0.8;

/**
 * Survey SMS through SNS: End User Messaging may publish inbound SMS to the inbound topic, the
 * senders may publish to phone numbers, and the month's SMS spend is watched.
 */
export class SmsMessaging extends Construct {
  constructor(scope: Construct, id: string, props: SmsMessagingProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const endUserMessaging = new iam.ServicePrincipal('sms-voice.amazonaws.com');
    // The confused-deputy guard End User Messaging documents: only this account's numbers and pools.
    const onBehalfOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:sms-voice:${region}:${account}:*` },
    };

    // The enforceSSL policy replaces SNS's default topic policy, so End User Messaging is let in here.
    props.inboundTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTwoWaySmsToPublishInboundMessages',
        principals: [endUserMessaging],
        actions: ['sns:Publish'],
        resources: [props.inboundTopic.topicArn],
        conditions: onBehalfOfThisAccount,
      }),
    );
    props.inboundTopicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTwoWaySmsToPublishToEncryptedTopic',
        principals: [endUserMessaging],
        // What SNS needs from a publisher to an encrypted topic. In a key policy "*" is this key.
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: onBehalfOfThisAccount,
      }),
    );

    if (props.monthlySpendLimitUsd !== undefined) {
      const threshold = Math.round(props.monthlySpendLimitUsd * spendAlarmShare * 100) / 100;
      const alarm = new Metric({
        namespace: 'AWS/SNS',
        metricName: 'SMSMonthToDateSpentUSD',
        statistic: Stats.MAXIMUM,
        period: Duration.minutes(5),
      }).createAlarm(this, 'MonthlySpendAlarm', {
        alarmDescription:
          `npsloop: this month's SMS spend reached $${threshold}, ${spendAlarmShare * 100}% of the $${props.monthlySpendLimitUsd} ` +
          'monthly limit; at the limit SNS stops sending SMS until the month ends or the limit is raised',
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // SNS reports the metric only once SMS were sent this month; none sent is within budget.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(props.alarms.topic));
    }
  }

  /**
   * SNS Publish to a phone number names no resource, so AWS accepts it only on Resource "*", and
   * no SNS condition key tells a phone number from a topic. The "*" is therefore paired with a
   * Deny on every SNS ARN (topics and endpoints): what remains is publishing to phone numbers.
   * That Deny would also cover the grantee's own topics, so a role that publishes to topics
   * cannot also get this grant (the stack refuses such wiring).
   */
  grantSendToPhoneNumbers(grantee: iam.IGrantable): void {
    const { partition } = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'SendSmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SmsGrantCoversNoTopicOrEndpoint',
        effect: iam.Effect.DENY,
        actions: ['sns:Publish'],
        resources: [`arn:${partition}:sns:*:*:*`],
      }),
    );
  }
}
