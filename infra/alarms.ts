import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** Encrypts the alarm topic; CloudWatch cannot publish to a topic under the AWS-managed SNS key. */
  readonly key: IKey;
  readonly email?: string;
}

/** Where operational alarms go: an encrypted SNS topic, optionally mailed to the operators. */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    this.topic = new Topic(this, 'Topic', { displayName: 'npsloop alarms', masterKey: props.key, enforceSSL: true });

    // The enforceSSL policy replaces SNS's default topic policy, so CloudWatch must be let in
    // explicitly; the conditions keep it to this account's alarms (confused-deputy guard).
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': account },
        },
      }),
    );
    // What AWS documents for alarms on an encrypted topic: the service uses the key to publish.
    props.key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');

    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /**
   * Alarms as soon as one message is visible in `queue`. Used on queues that only fill with work
   * that failed for good (dead letters, failed stream records), so any message needs a human.
   */
  onAnyMessage(scope: Construct, id: string, queue: IQueue, description: string): Alarm {
    const alarm = queue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM })
      .createAlarm(scope, id, {
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // An empty queue publishes no datapoints; that is the healthy state, not "unknown".
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
