import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** Encrypts the alarm topic; CloudWatch cannot publish to a topic under the AWS-managed SNS key. */
  readonly key: IKey;
  readonly email?: string;
}

/** Every alarm looks at five-minute periods: long enough to ignore a blip, short enough to act on. */
const period = Duration.minutes(5);

/**
 * The API's 5xx alarm: the share of requests answered 5xx in a period, once the period has
 * at least `minimumRequests` (one failed request at 3 a.m. is a function-error alarm, not 100%).
 * A share rather than a count, because what counts as "many" 5xx depends on the traffic; the
 * contract promises no 5xx for anything a client sends, so 1% is already a bug in production.
 */
export const apiServerErrorAlarm = { percent: 1, minimumRequests: 10 } as const;

/**
 * The stream consumer's IteratorAge, the age of the newest record it has read: above a minute,
 * scores and detractor alerts ("within seconds") are late, and a stuck shard only grows it.
 */
export const iteratorAgeAlarmMs = 60_000;

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

  /** Sends the alarm's state changes to the operators' topic. */
  private notify(alarm: Alarm): Alarm {
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }

  /**
   * Alarms on any error of the function in a period: a throw, a timeout or a failed init.
   * Batch consumers report a record's failure as a partial batch response, which is not an
   * error, so an error is a bug or an outage, never one bad message.
   */
  onFunctionErrors(scope: Construct, id: string, fn: IFunction, name: string): Alarm {
    return this.notify(
      fn.metricErrors({ period, statistic: Stats.SUM }).createAlarm(scope, id, {
        alarmDescription: `npsloop ${name}: the function failed (threw, timed out or could not start); see its log group`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when Lambda turns invocations of the function away for want of concurrency: HTTP
   * callers get an error, event sources wait. The account's concurrency is shared by every
   * function, so one function's flood shows up as another's throttles.
   */
  onFunctionThrottles(scope: Construct, id: string, fn: IFunction, name: string): Alarm {
    return this.notify(
      fn.metricThrottles({ period, statistic: Stats.SUM }).createAlarm(scope, id, {
        alarmDescription: `npsloop ${name}: Lambda throttled invocations (no concurrency left in the account or the function)`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms when the stream consumer falls behind the table's stream (see iteratorAgeAlarmMs). */
  onIteratorAge(scope: Construct, id: string, fn: IFunction, name: string): Alarm {
    return this.notify(
      fn.metric('IteratorAge', { period, statistic: Stats.MAXIMUM }).createAlarm(scope, id, {
        alarmDescription: `npsloop ${name}: it is more than ${iteratorAgeAlarmMs / 1000} s behind the table stream; scores and detractor alerts are late`,
        threshold: iteratorAgeAlarmMs,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No invocations, no datapoint: nothing is waiting on the stream.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms on the share of API requests answered 5xx (see apiServerErrorAlarm). */
  onApiServerErrors(scope: Construct, id: string, stage: HttpStage): Alarm {
    const { percent, minimumRequests } = apiServerErrorAlarm;
    const rate = new MathExpression({
      expression: `IF(requests >= ${minimumRequests}, 100 * errors / requests, 0)`,
      usingMetrics: {
        errors: stage.metricServerError({ period, statistic: Stats.SUM }),
        requests: stage.metricCount({ period, statistic: Stats.SUM }),
      },
      period,
      label: 'API 5xx, % of requests',
    });
    return this.notify(
      rate.createAlarm(scope, id, {
        alarmDescription: `npsloop API: ${percent}% or more of the requests in ${period.toMinutes()} minutes were answered 5xx`,
        threshold: percent,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when API Gateway throttles a route (429). HTTP APIs publish 429s only inside `4xx`,
   * beside every forged link's 404 and every bad input's 400, so the access log's status is
   * counted instead; route limits sit far above real traffic, so one 429 is worth a look.
   */
  onApiThrottles(scope: Construct, id: string, accessLogs: ILogGroup): Alarm {
    const throttled = new MetricFilter(scope, `${id}Filter`, {
      logGroup: accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: 'npsloop',
      metricName: 'ThrottledRequests',
      metricValue: '1',
    });
    return this.notify(
      throttled.metric({ period, statistic: Stats.SUM }).createAlarm(scope, id, {
        alarmDescription: 'npsloop API: API Gateway throttled requests (429); customers or admin callers were turned away by a route limit',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
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
    return this.notify(alarm);
  }
}
