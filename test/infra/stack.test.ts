import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { type CfnQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundling, lazySdkModules } from '#infra/bundling';
import { rateSchedule } from '#infra/schedule';
import type { NpsloopStack } from '#infra/stack';
import {
  env,
  type FunctionDeclaration,
  type FunctionName,
  functions,
  type QueueName,
  queues,
  table,
  type TopicName,
  topics,
  visibilityTimeoutSeconds,
} from '#shared/contract/wiring';
import {
  actionsOf,
  allIamStatements,
  fastApp,
  logicalId,
  type PolicyStatement,
  resourcesOf,
  roleStatements,
  synthStack,
} from './synth.ts';

const declared = Object.entries(functions) as [FunctionName, FunctionDeclaration][];
const httpRoutes = declared.flatMap(([name, f]) => (f.source.kind === 'http' ? f.source.routes.map((route) => ({ name, route })) : []));
const queueConsumers = declared.flatMap(([name, f]) => (f.source.kind === 'queue' ? [{ name, source: f.source }] : []));
const streamConsumers = declared.flatMap(([name, f]) => (f.source.kind === 'stream' ? [{ name, source: f.source }] : []));
const topicSubscribers = declared.flatMap(([name, f]) => (f.source.kind === 'topic' ? [{ name, source: f.source }] : []));
const scheduled = declared.flatMap(([name, f]) => (f.source.kind === 'schedule' ? [{ name, source: f.source }] : []));
const emailSenders = declared.flatMap(([name, f]) => (f.uses.sendsEmail ? [{ name, source: f.source }] : []));
const smsSenders = declared.flatMap(([name, f]) => (f.uses.sendsSms ? [name] : []));
/** Functions whose send rates are shared by the concurrent instances their queue allows. */
const queueFedSenders = declared.flatMap(([name, f]) =>
  (f.uses.sendsEmail || f.uses.sendsSms) && f.source.kind === 'queue' ? [{ name, source: f.source }] : [],
);
/** The functions that open follow-up cases: the consumers of the follow-up queue. */
const followupOpeners = declared.flatMap(([name, f]) => (f.source.kind === 'queue' && f.source.queue === 'followups' ? [name] : []));
/** The SLA is also what the closed-loop figures measure against (`GET /v1/followups/stats`). */
const slaReaders = [
  ...followupOpeners,
  ...declared.flatMap(([name, f]) => (f.source.kind === 'http' && f.source.routes.includes('GET /v1/followups/stats') ? [name] : [])),
];
const surveyPages = declared.flatMap(([name, f]) => (f.source.kind === 'http' && f.source.routes.includes('GET /s/{token}') ? [name] : []));

/** Actions with no resource-level permissions, which AWS only accepts on Resource "*". */
const actionsThatRequireStar = new Set(['dynamodb:ListStreams']);
/** The Deny that comes with every SMS grant, so its sns:Publish on "*" reaches phone numbers only. */
const deniesPublishToEverySnsArn = (statement: PolicyStatement) =>
  statement.Effect === 'Deny' &&
  JSON.stringify(actionsOf(statement)) === JSON.stringify(['sns:Publish']) &&
  JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] }) &&
  statement.Condition === undefined;

describe('NpsloopStack, synthesized from shared/contract/wiring.ts', () => {
  let stack: NpsloopStack;
  let template: Template;

  // GIVEN the default settings from cdk.json and the tests' sender, WHEN the stack is synthesized (no bundling)
  beforeAll(() => {
    ({ stack, template } = synthStack());
  });

  const functionId = (name: FunctionName) => logicalId(stack, stack.functions[name].node.defaultChild as CfnFunction);
  const roleId = (name: FunctionName) => logicalId(stack, stack.functions[name].executionRole.node.defaultChild as CfnRole);
  const queueArn = (queue: Queue) => stack.resolve(queue.queueArn);
  const topicRef = (name: TopicName) => ({ Ref: logicalId(stack, stack.topics[name].node.defaultChild as CfnTopic) });
  const variablesOf = (name: FunctionName) =>
    template.toJSON().Resources[functionId(name)].Properties.Environment.Variables as Record<string, unknown>;
  /** The queue behind a `Fn::GetAtt [id, Arn]`, checked to alarm the operators on its first message. */
  const expectAlarmedFailureQueue = (arn: unknown) => {
    const queueId = (arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const queue = template.toJSON().Resources[queueId];
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: logicalId(stack, stack.alarms.topic.node.defaultChild as CfnTopic) }],
    });
    return queueId;
  };
  const asyncInvokeConfigOf = (name: FunctionName) => {
    const [config] = Object.values(
      template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { FunctionName: { Ref: functionId(name) } } }),
    );
    expect(config, `async invoke config of ${name}`).toBeDefined();
    return config!.Properties as { MaximumRetryAttempts: number; DestinationConfig: { OnFailure: { Destination: unknown } } };
  };

  describe('table', () => {
    it('has the declared keys, GSI, TTL attribute and stream, on demand with point-in-time recovery', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.indexes.map((index) =>
          Match.objectLike({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ),
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        StreamSpecification: { StreamViewType: table.stream },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('is protected from deletion and retained by default', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('can be thrown away with the stack when retainData=false (dev stacks)', () => {
      // WHEN
      const dev = synthStack({ retainData: 'false' }).template;
      // THEN
      dev.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('HTTP API', () => {
    it.each(httpRoutes)('routes $route to the $name function', ({ name, route }) => {
      const [routeResource] = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: route } }));
      expect(routeResource, `route ${route}`).toBeDefined();
      const integrationId = JSON.stringify(routeResource!.Properties.Target).match(/"Ref":"(\w+)"/)?.[1];
      expect(template.toJSON().Resources[integrationId!].Properties.IntegrationUri).toEqual({
        'Fn::GetAtt': [functionId(name), 'Arn'],
      });
    });

    it('has no route that wiring.ts does not declare', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Route', httpRoutes.length);
    });

    it('logs access as JSON without the path or source IP, and throttles the $default stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId', routeKey: '$context.routeKey' })),
        },
        DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      });
      const format = JSON.stringify(template.findResources('AWS::ApiGatewayV2::Stage'));
      expect(format).not.toMatch(/\$context\.(path|identity\.sourceIp)/);
    });

    const stageOf = (t: Template) => Object.values(t.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: { RouteSettings?: Record<string, unknown>; DefaultRouteSettings?: unknown };
      DependsOn?: string[];
    };

    it('gives each customer route and each /v1 route its own throttle, so neither can starve the other', () => {
      const settings = stageOf(template).Properties.RouteSettings ?? {};
      const expected = Object.fromEntries(
        httpRoutes
          .filter(({ route }) => route !== 'GET /health')
          .map(({ route }) => [
            route,
            route.includes(' /v1/')
              ? { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }
              : { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
          ]),
      );
      expect(Object.keys(expected)).toEqual(expect.arrayContaining(['GET /s/{token}', 'POST /s/{token}', 'GET /u/{token}', 'POST /u/{token}', 'POST /v1/campaigns']));
      expect(settings).toEqual(expected);
      // GET /health keeps the stage default, a monitor's few calls a second.
      expect(stageOf(template).Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    });

    it('creates the stage after the routes its settings name (API Gateway refuses settings for an unknown route)', () => {
      const routeIds = Object.entries(template.findResources('AWS::ApiGatewayV2::Route'))
        .filter(([, route]) => route.Properties.RouteKey !== 'GET /health')
        .map(([id]) => id);
      expect(routeIds.length).toBeGreaterThan(0);
      expect(stageOf(template).DependsOn).toEqual(expect.arrayContaining(routeIds));
    });

    it('takes the route throttles from the context', () => {
      // WHEN
      const custom = synthStack({ publicRateLimit: '500', publicBurstLimit: 1000, adminRateLimit: '5.5', adminBurstLimit: '10' });
      // THEN
      const settings = stageOf(custom.template).Properties.RouteSettings ?? {};
      expect(settings['POST /s/{token}']).toEqual({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
      expect(settings['POST /u/{token}']).toEqual({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
      expect(settings['GET /v1/score']).toEqual({ ThrottlingRateLimit: 5.5, ThrottlingBurstLimit: 10 });
    });

    it('outputs the API URL', () => {
      template.hasOutput('ApiUrl', { Value: Match.anyValue() });
    });
  });

  describe('queues', () => {
    it.each(Object.keys(queues) as QueueName[])('%s has an encrypted, TLS-only queue with a 14-day dead-letter queue', (name) => {
      const work = stack.queues[name];
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: queueArn(work.deadLetters), maxReceiveCount: queues[name].maxReceiveCount },
        VisibilityTimeout: visibilityTimeoutSeconds(name),
      });
      const dlq = template.toJSON().Resources[logicalId(stack, work.deadLetters.node.defaultChild as CfnQueue)];
      expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(stack, work.queue.node.defaultChild as CfnQueue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it.each(queueConsumers)('$source.queue stays invisible for at least 6× the $name timeout', ({ name, source }) => {
      const visibility = template.toJSON().Resources[logicalId(stack, stack.queues[source.queue].queue.node.defaultChild as CfnQueue)]
        .Properties.VisibilityTimeout as number;
      expect(visibility).toBeGreaterThanOrEqual(6 * functions[name].timeoutSeconds);
    });

    it.each(queueConsumers)('$name consumes $source.queue in batches with partial failures', ({ name, source }) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(name) },
        EventSourceArn: queueArn(stack.queues[source.queue].queue),
        BatchSize: source.batchSize,
        MaximumBatchingWindowInSeconds: source.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: source.maxConcurrency ? { MaximumConcurrency: source.maxConcurrency } : Match.absent(),
      });
    });
  });

  describe('table stream', () => {
    it.each(streamConsumers)('$name reads the stream with filters, bounded retries, bisection and a tumbling window', ({ name, source }) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(name) },
        EventSourceArn: stack.resolve(stack.table.tableStreamArn),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: source.batchSize,
        MaximumBatchingWindowInSeconds: source.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: source.filterPatterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
        MaximumRetryAttempts: source.retryAttempts,
        BisectBatchOnFunctionError: source.bisectBatchOnError,
        TumblingWindowInSeconds: source.tumblingWindowSeconds,
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    });

    it.each(streamConsumers)('records $name gives up on land in a queue that raises an alarm', ({ name }) => {
      const [mapping] = Object.values(
        template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: functionId(name) } } }),
      );
      const destination = mapping!.Properties.DestinationConfig.OnFailure.Destination as { 'Fn::GetAtt': [string, string] };
      const failureQueueId = destination['Fn::GetAtt'][0];
      expect(template.toJSON().Resources[failureQueueId].Type).toBe('AWS::SQS::Queue');
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: logicalId(stack, stack.alarms.topic.node.defaultChild as CfnTopic) }],
      });
    });
  });

  describe('alarms', () => {
    it.each(Object.keys(queues) as QueueName[])('the %s dead-letter queue alarms on its first message', (name) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: stack.resolve(stack.queues[name].deadLetters.queueName) }],
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: logicalId(stack, stack.alarms.topic.node.defaultChild as CfnTopic) }],
      });
    });

    const alarmTopic = () => ({ Ref: logicalId(stack, stack.alarms.topic.node.defaultChild as CfnTopic) });

    it.each(declared)('%s alarms the operators on any error in five minutes', (name) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(name) } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic()],
      });
    });

    it.each(declared)('%s alarms the operators when Lambda throttles it', (name) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(name) } }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [alarmTopic()],
      });
    });

    it.each(streamConsumers)('$name alarms the operators when it is a minute behind the table stream', ({ name }) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(name) } }],
        Statistic: 'Maximum',
        Threshold: 60_000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [alarmTopic()],
      });
    });

    it('alarms when 1% or more of the API requests in five minutes are answered 5xx, once there are at least 10', () => {
      const stage = { Name: 'Stage', Value: '$default' };
      const api = { Name: 'ApiId', Value: { Ref: logicalId(stack, stack.api.api.node.defaultChild as CfnApi) } };
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic()],
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'IF(requests >= 10, 100 * errors / requests, 0)', ReturnData: true }),
          Match.objectLike({
            Id: 'errors',
            MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: Match.arrayWith([api, stage]) }, Stat: 'Sum' }),
            ReturnData: false,
          }),
          Match.objectLike({
            Id: 'requests',
            MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: Match.arrayWith([api, stage]) }, Stat: 'Sum' }),
            ReturnData: false,
          }),
        ]),
      });
    });

    it('alarms on any request the API throttles, counted from the 429s in its access log', () => {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: logicalId(stack, stack.api.accessLogs.node.defaultChild as CfnLogGroup) },
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [{ MetricNamespace: 'npsloop', MetricName: 'ThrottledRequests', MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'npsloop',
        MetricName: 'ThrottledRequests',
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [alarmTopic()],
      });
    });

    it('sends every alarm to the alarm topic, which alarmEmail subscribes to', () => {
      // WHEN
      const withEmail = synthStack({ alarmEmail: 'ops@example.com' });
      // THEN
      const topic = { Ref: logicalId(withEmail.stack, withEmail.stack.alarms.topic.node.defaultChild as CfnTopic) };
      const alarms = Object.values(withEmail.template.findResources('AWS::CloudWatch::Alarm'));
      // DLQs and failure queues, plus errors and throttles per function, iterator age, API 5xx and 429.
      expect(alarms.length).toBeGreaterThanOrEqual(2 * declared.length + streamConsumers.length + 2);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
      withEmail.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: topic });
    });

    it('lets only CloudWatch alarms of this account publish to the encrypted alarm topic', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
            }),
          ]),
        },
      });
    });
  });

  describe('topics', () => {
    it('encrypts every topic with the rotated topic key and refuses non-TLS publishing', () => {
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      for (const topic of Object.values(template.findResources('AWS::SNS::Topic'))) {
        expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      }
      template.resourcePropertiesCountIs(
        'AWS::SNS::TopicPolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
        Object.keys(template.findResources('AWS::SNS::Topic')).length,
      );
    });

    it('subscribes alertEmail to detractor alerts and alarmEmail to alarms, only when set', () => {
      template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
      // WHEN
      const withEmails = synthStack({ alertEmail: 'managers@example.com', alarmEmail: 'ops@example.com' });
      // THEN
      const topicRef = (topic: { node: { defaultChild?: unknown } }) => ({
        Ref: logicalId(withEmails.stack, topic.node.defaultChild as CfnTopic),
      });
      withEmails.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'managers@example.com',
        TopicArn: topicRef(withEmails.stack.topics.alerts),
      });
      withEmails.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: topicRef(withEmails.stack.alarms.topic),
      });
    });
  });

  describe('topic subscriptions', () => {
    it.each(topicSubscribers)('$name is subscribed to the $source.topic topic, with a dead-letter queue', ({ name, source }) => {
      const [subscription] = Object.values(
        template.findResources('AWS::SNS::Subscription', {
          Properties: { Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [functionId(name), 'Arn'] }, TopicArn: topicRef(source.topic) },
        }),
      );
      expect(subscription, `subscription of ${name}`).toBeDefined();
      expectAlarmedFailureQueue(subscription!.Properties.RedrivePolicy.deadLetterTargetArn);
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: topicRef(source.topic),
      });
    });

    it.each(topicSubscribers)('$name retries a failed message twice, then parks it in the same alarmed queue', ({ name }) => {
      const config = asyncInvokeConfigOf(name);
      expect(config.MaximumRetryAttempts).toBe(2);
      const [subscription] = Object.values(
        template.findResources('AWS::SNS::Subscription', { Properties: { Endpoint: { 'Fn::GetAtt': [functionId(name), 'Arn'] } } }),
      );
      expect(config.DestinationConfig.OnFailure.Destination).toEqual(subscription!.Properties.RedrivePolicy.deadLetterTargetArn);
    });
  });

  describe('schedules', () => {
    it.each(scheduled)('$name runs every $source.rateSeconds s through an EventBridge rule, with retries and a dead-letter queue', ({ name, source }) => {
      const minutes = source.rateSeconds / 60;
      // Two functions may run at the same rate: the rule is the one that targets this function.
      const rule = Object.values(
        template.findResources('AWS::Events::Rule', {
          Properties: { ScheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})` },
        }),
      ).find((r) => JSON.stringify(r.Properties.Targets?.[0]?.Arn) === JSON.stringify({ 'Fn::GetAtt': [functionId(name), 'Arn'] }));
      expect(rule, `rule of ${name}`).toBeDefined();
      expect(rule!.Properties).toMatchObject({
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: Math.min(source.rateSeconds, 86_400) },
            DeadLetterConfig: { Arn: expect.anything() },
          },
        ],
      });
      expectAlarmedFailureQueue(rule!.Properties.Targets[0].DeadLetterConfig.Arn);
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
    });

    it.each(scheduled)('a failed $name run is not retried (the next run is) and is parked in an alarmed queue', ({ name }) => {
      const config = asyncInvokeConfigOf(name);
      expect(config.MaximumRetryAttempts).toBe(0);
      expectAlarmedFailureQueue(config.DestinationConfig.OnFailure.Destination);
    });

    it('turns a whole number of minutes into a rate expression', () => {
      expect(rateSchedule('fn', 60).expressionString).toBe('rate(1 minute)');
      expect(rateSchedule('fn', 300).expressionString).toBe('rate(5 minutes)');
    });

    it.each([0, 30, 59, 90, 60.5, -60])('refuses a rate of %s s, which EventBridge cannot express', (rateSeconds) => {
      expect(() => rateSchedule('releaseDue', rateSeconds)).toThrow(/releaseDue: a schedule's rateSeconds must be a whole number of minutes, at least 60/);
    });
  });

  describe('SES feedback', () => {
    const configurationSetRef = () => ({ Ref: logicalId(stack, stack.email.configurationSet.node.defaultChild as CfnConfigurationSet) });
    const configurationSetArn = () => stack.resolve(stack.email.configurationSetArn);

    it('publishes bounces and complaints of the configuration set to the sesEvents topic', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: configurationSetRef(),
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: topicRef('sesEvents') },
        },
      });
      template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    });

    it('lets SES publish to the topic only for this account and configuration set', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicRef('sesEvents')],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'ses.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topicRef('sesEvents'),
              Condition: { StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' }, 'AWS:SourceArn': configurationSetArn() } },
            }),
          ]),
        },
      });
    });

    it('lets SES use the topic key to publish, only on behalf of this configuration set', () => {
      const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
      const statements = key!.Properties.KeyPolicy.Statement as (PolicyStatement & { Principal?: unknown })[];
      const forSes = statements.filter((statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'ses.amazonaws.com' }));
      expect(forSes).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': configurationSetArn() },
          },
        }),
      ]);
    });
  });

  describe('SMS', () => {
    const keyPolicyStatements = () =>
      Object.values(template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement as (PolicyStatement & { Principal?: unknown })[];
    const twoWaySmsSourceArn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sms-voice:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*']],
    };
    const thisAccountsNumbers = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': twoWaySmsSourceArn },
    };

    it('has an encrypted, TLS-only inbound SMS topic, and outputs its ARN for the two-way SMS destination', () => {
      const topic = template.toJSON().Resources[topicRef('smsInbound').Ref];
      expect(topic.Type).toBe('AWS::SNS::Topic');
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack, stack.node.findChild('TopicKey').node.defaultChild as CfnKey), 'Arn'] });
      template.hasOutput('SmsInboundTopicArn', {
        Value: topicRef('smsInbound'),
        Description: Match.stringLikeRegexp('two-way SMS destination'),
      });
    });

    it('lets End User Messaging publish inbound SMS to the topic, only for this account', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicRef('smsInbound')],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowTwoWaySmsToPublishInboundMessages',
              Effect: 'Allow',
              Principal: { Service: 'sms-voice.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topicRef('smsInbound'),
              Condition: thisAccountsNumbers,
            },
          ]),
        },
      });
    });

    it('lets End User Messaging publish to no other topic', () => {
      const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
      const withSms = policies.filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('sms-voice.amazonaws.com'));
      expect(withSms.map((policy) => policy.Properties.Topics)).toEqual([[topicRef('smsInbound')]]);
    });

    it('lets End User Messaging use the topic key to publish, only for this account', () => {
      const forSms = keyPolicyStatements().filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'sms-voice.amazonaws.com' }));
      expect(forSms).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: thisAccountsNumbers }),
      ]);
    });

    it('subscribes handleSmsReply to the inbound SMS topic', () => {
      expect(topicSubscribers).toContainEqual({ name: 'handleSmsReply', source: { kind: 'topic', topic: 'smsInbound' } });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: topicRef('smsInbound'),
        Endpoint: { 'Fn::GetAtt': [functionId('handleSmsReply'), 'Arn'] },
      });
    });

    it.each(declared)('%s may publish to phone numbers only if it sends SMS, and then to nothing else through "*"', (name, { uses }) => {
      const statements = roleStatements(template, roleId(name));
      const allowSms = statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('sns:Publish') && resourcesOf(s).includes('*'));
      const denyTopics = statements.filter(deniesPublishToEverySnsArn);
      if (uses.sendsSms) {
        expect(allowSms).toEqual([{ Sid: 'SendSmsToPhoneNumbers', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }]);
        expect(denyTopics).toHaveLength(1);
      } else {
        expect(allowSms).toEqual([]);
        expect(denyTopics).toEqual([]);
      }
    });

    it('gives the SMS senders the send rate (1 a second, a long code\'s) and no origination number by default', () => {
      expect(smsSenders.length).toBeGreaterThan(0);
      for (const [name] of declared) {
        expect(variablesOf(name)[env.smsSendRate], name).toBe(smsSenders.includes(name) ? '1' : undefined);
        expect(variablesOf(name), name).not.toHaveProperty(env.smsOriginationNumber);
      }
    });

    it('takes the origination number and the send rate from the context', () => {
      // WHEN
      const custom = synthStack({ smsOriginationNumber: '+18005550100', smsSendRate: '20' });
      // THEN
      for (const [name] of declared) {
        const variables = custom.template.toJSON().Resources[logicalId(custom.stack, custom.stack.functions[name].node.defaultChild as CfnFunction)]
          .Properties.Environment.Variables as Record<string, unknown>;
        const sends = smsSenders.includes(name);
        expect(variables[env.smsOriginationNumber], name).toBe(sends ? '+18005550100' : undefined);
        expect(variables[env.smsSendRate], name).toBe(sends ? '20' : undefined);
      }
    });

    it('alarms the operators at 80% of the monthly SMS spend limit, when one is configured', () => {
      // GIVEN no limit: no alarm
      template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'SMSMonthToDateSpentUSD' }, 0);
      // WHEN
      const limited = synthStack({ smsMonthlySpendLimitUsd: '50' });
      // THEN
      limited.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SNS',
        MetricName: 'SMSMonthToDateSpentUSD',
        Statistic: 'Maximum',
        Threshold: 40,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: logicalId(limited.stack, limited.stack.alarms.topic.node.defaultChild as CfnTopic) }],
      });
    });
  });

  describe('functions', () => {
    it.each(declared)('%s runs on nodejs24.x arm64 with the declared entry, timeout and memory', (name, declaration) => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(declaration.entry),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: declaration.timeoutSeconds,
        MemorySize: declaration.memoryMB,
        TracingConfig: Match.absent(),
        LoggingConfig: {
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          LogGroup: { Ref: logicalId(stack, stack.functions[name].logs.node.defaultChild as CfnLogGroup) },
        },
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'npsloop',
            POWERTOOLS_METRICS_NAMESPACE: 'npsloop',
            LOG_LEVEL: 'INFO',
            [env.tableName]: { Ref: logicalId(stack, stack.table.node.defaultChild as CfnTable) },
          }),
        },
      });
    });

    it('bundles for the same Node version the functions run on, SDK included but for what Lambda never loads', () => {
      expect(bundling.target).toBe('node24');
      expect(bundling.format).toBe('esm');
      expect(bundling.external).toEqual(lazySdkModules);
      expect(bundling.external).not.toContain('@aws-sdk/*');
    });

    it('keeps every log group for the configured retention', () => {
      for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.Properties.RetentionInDays).toBe(30);
      }
    });

    it.each(declared)('%s gets the configuration its `uses` needs, under the names in wiring.ts', (name, { uses }) => {
      const variables = template.toJSON().Resources[functionId(name)].Properties.Environment.Variables as Record<string, unknown>;
      for (const queue of uses.sendTo ?? []) expect(variables).toHaveProperty(queues[queue].urlEnv);
      expect(variables[env.tokenSecretArn] !== undefined).toBe(Boolean(uses.tokenSecret));
      expect(variables[env.apiKeySecretArn] !== undefined).toBe(Boolean(uses.apiKey));
      expect(variables[env.senderEmail] !== undefined).toBe(Boolean(uses.sendsEmail));
      expect(variables[env.publicBaseUrl] !== undefined).toBe(Boolean(uses.sendsEmail));
      // Secrets travel as ARNs resolved at cold start, never as values in the function's configuration.
      expect(variables).not.toHaveProperty(env.tokenSecret);
      expect(variables).not.toHaveProperty(env.apiKey);
    });

    it.each(emailSenders)('$name shares the SES send rate with the other concurrent senders', ({ name, source }) => {
      const variables = variablesOf(name);
      expect(variables[env.emailSendRate]).toBe('14');
      expect(variables[env.sesConfigurationSet]).toEqual({
        Ref: logicalId(stack, stack.email.configurationSet.node.defaultChild as CfnConfigurationSet),
      });
      if (source.kind === 'queue') expect(variables[env.senderConcurrency]).toBe(String(source.maxConcurrency));
    });

    it('gives the e-mail send rate to the e-mail senders only', () => {
      const senders = new Set(emailSenders.map(({ name }) => name));
      expect(senders.size).toBeGreaterThan(0);
      for (const [name] of declared) expect(variablesOf(name)[env.emailSendRate] !== undefined, name).toBe(senders.has(name));
    });

    it('gives the sender concurrency to the senders fed by a queue only, whose instances share the send rates', () => {
      const senders = new Set(queueFedSenders.map(({ name }) => name));
      expect(senders.size).toBeGreaterThan(0);
      for (const [name] of declared) {
        expect(variablesOf(name)[env.senderConcurrency], name).toBe(
          senders.has(name) ? String(queueFedSenders.find((sender) => sender.name === name)?.source.maxConcurrency) : undefined,
        );
      }
    });

    it('gives the follow-up SLA to the functions that open follow-up cases or measure them only', () => {
      expect(followupOpeners.length).toBeGreaterThan(0);
      expect(slaReaders).toContain('adminApi');
      for (const [name] of declared) {
        expect(variablesOf(name)[env.followupSlaHours], name).toBe(slaReaders.includes(name) ? '48' : undefined);
      }
    });

    it('gives the survey link expiry (90 days by default) to the function behind the survey pages only', () => {
      expect(surveyPages).toEqual(['survey']);
      for (const [name] of declared) {
        expect(variablesOf(name)[env.surveyExpiryDays], name).toBe(surveyPages.includes(name) ? '90' : undefined);
      }
    });

    it('takes the survey link expiry from the context', () => {
      const custom = synthStack({ surveyExpiryDays: '30' });
      custom.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ [env.surveyExpiryDays]: '30' }) },
      });
    });

    it('takes the metrics namespace from the context', () => {
      // WHEN
      const custom = synthStack({ metricsNamespace: 'npsloop-dev' });
      // THEN
      // (every npsloop function; CDK's console-upload handler has no metrics)
      for (const name of Object.keys(functions) as FunctionName[]) {
        const fn = custom.stack.functions[name].node.defaultChild as CfnFunction;
        expect(custom.template.toJSON().Resources[logicalId(custom.stack, fn)].Properties.Environment.Variables).toMatchObject({
          POWERTOOLS_METRICS_NAMESPACE: 'npsloop-dev',
        });
      }
    });

    it('takes the send rate and the follow-up SLA from the context', () => {
      // WHEN
      const custom = synthStack({ emailSendRate: '2.5', followupSlaHours: 24 });
      // THEN
      const variables = (name: FunctionName) =>
        custom.template.toJSON().Resources[logicalId(custom.stack, custom.stack.functions[name].node.defaultChild as CfnFunction)]
          .Properties.Environment.Variables as Record<string, unknown>;
      for (const { name } of emailSenders) expect(variables(name)[env.emailSendRate]).toBe('2.5');
      for (const name of followupOpeners) expect(variables(name)[env.followupSlaHours]).toBe('24');
    });

    it('points e-mail links at publicBaseUrl when a custom domain is configured', () => {
      // WHEN
      const custom = synthStack({ publicBaseUrl: 'https://nps.example.com' });
      // THEN
      const senders = declared.filter(([, f]) => f.uses.sendsEmail).map(([name]) => name);
      expect(senders.length).toBeGreaterThan(0);
      for (const name of senders) {
        custom.template.hasResourceProperties('AWS::Lambda::Function', {
          Description: Match.stringLikeRegexp(functions[name].entry),
          Environment: { Variables: Match.objectLike({ [env.publicBaseUrl]: 'https://nps.example.com' }) },
        });
      }
    });
  });

  describe('secrets', () => {
    it('generates the token key and the admin key (at least 32 bytes each)', () => {
      const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
      expect(secrets).toHaveLength(2);
      for (const secret of secrets) {
        expect(secret.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
        expect(secret.Properties.SecretString).toBeUndefined();
      }
    });
  });

  describe('least privilege', () => {
    const statementsOf = (name: FunctionName): PolicyStatement[] => roleStatements(template, roleId(name));
    const grantsAction = (name: FunctionName, action: string, resource?: unknown) =>
      statementsOf(name).some(
        (s) =>
          s.Effect === 'Allow' &&
          actionsOf(s).includes(action) &&
          (resource === undefined || resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(resource))),
      );

    it('grants Resource "*" only for actions AWS cannot scope to a resource (ListStreams, SMS to phone numbers)', () => {
      const policies = [
        ...Object.values(template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
        ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p) => p.Properties.PolicyDocument),
        ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r) => (r.Properties.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument)),
      ] as { Statement: PolicyStatement[] }[];
      let starStatements = 0;
      for (const { Statement } of policies) {
        // sns:Publish on "*" is SMS to phone numbers only where the same policy denies every SNS ARN.
        const phoneNumbersOnly = Statement.some(deniesPublishToEverySnsArn);
        for (const statement of Statement.filter((s) => s.Effect === 'Allow' && resourcesOf(s).includes('*'))) {
          starStatements += 1;
          const unscopable = (action: string) => actionsThatRequireStar.has(action) || (phoneNumbersOnly && action === 'sns:Publish');
          expect(actionsOf(statement).filter((action) => !unscopable(action))).toEqual([]);
        }
      }
      expect(starStatements).toBeGreaterThan(0);
    });

    it('grants no X-Ray writes, since tracing is off', () => {
      expect(JSON.stringify(template.toJSON())).not.toMatch(/xray:/);
    });

    it('attaches no managed policy to any function role', () => {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it.each(declared)('%s may only touch what its `uses` declares', (name, { uses }) => {
      const sendsTo = (queue: QueueName) => grantsAction(name, 'sqs:SendMessage', queueArn(stack.queues[queue].queue));
      for (const queue of Object.keys(queues) as QueueName[]) {
        expect(sendsTo(queue), `sqs:SendMessage to ${queue}`).toBe((uses.sendTo ?? []).includes(queue));
      }
      for (const topic of Object.keys(topics) as TopicName[]) {
        expect(grantsAction(name, 'sns:Publish', topicRef(topic)), `sns:Publish to ${topic}`).toBe((uses.publishTo ?? []).includes(topic));
      }
      expect(grantsAction(name, 'sns:Publish', '*'), 'sns:Publish to phone numbers').toBe(Boolean(uses.sendsSms));
      expect(grantsAction(name, 'ses:SendEmail'), 'ses:SendEmail').toBe(Boolean(uses.sendsEmail));
      const declaresAction = (action: string) => (uses.table ?? []).some((grant) => grant.actions.some((a) => `dynamodb:${a}` === action));
      for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        expect(grantsAction(name, action), action).toBe(declaresAction(action));
      }
      const readsSecret = (arn: string) => grantsAction(name, 'secretsmanager:GetSecretValue', stack.resolve(arn));
      expect(readsSecret(stack.tokenSecret.secretArn), 'token key').toBe(Boolean(uses.tokenSecret));
      expect(readsSecret(stack.apiKeySecret.secretArn), 'admin key').toBe(Boolean(uses.apiKey));
    });

    /** The table's own statements (not the stream's), as one row per action, resource and leading keys. */
    const tableAccessOf = (name: FunctionName) => {
      const tableArn = stack.resolve(stack.table.tableArn);
      const indexOf = (resource: unknown) =>
        table.indexes.find((index) => JSON.stringify(resource) === JSON.stringify(stack.resolve(`${stack.table.tableArn}/index/${index.name}`)))?.name;
      return statementsOf(name)
        .filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('dynamodb:')))
        .filter((s) => !resourcesOf(s).every((r) => JSON.stringify(r) === JSON.stringify(stack.resolve(stack.table.tableStreamArn)) || r === '*'))
        .flatMap((s) =>
          actionsOf(s).flatMap((action) =>
            resourcesOf(s).map((resource) => {
              const on = JSON.stringify(resource) === JSON.stringify(tableArn) ? 'table' : (indexOf(resource) ?? JSON.stringify(resource));
              const leading = (s.Condition as { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined)?.[
                'ForAllValues:StringLike'
              ]?.['dynamodb:LeadingKeys'];
              return `${action} on ${on} for ${leading ? [...leading].sort().join(' ') : 'any key'}`;
            }),
          ),
        )
        .sort();
    };
    const declaredTableAccess = ({ uses }: FunctionDeclaration) =>
      (uses.table ?? [])
        .flatMap((grant) =>
          grant.actions.map(
            (action) => `dynamodb:${action} on ${grant.index ?? 'table'} for ${grant.leadingKeys ? [...grant.leadingKeys].sort().join(' ') : 'any key'}`,
          ),
        )
        .sort();

    it.each(declared)('%s is granted exactly the DynamoDB actions, indexes and leading keys wiring.ts declares', (name, declaration) => {
      expect(declaration.uses.table?.length, 'a table declaration').toBeGreaterThan(0);
      expect(tableAccessOf(name)).toEqual(declaredTableAccess(declaration));
    });

    it('grants Scan only to the overdue sweep (the one-off stamping of older opt-outs: their lists have no index), and no function the table\'s every index (table/<name>/index/*)', () => {
      for (const [name] of declared) {
        expect(grantsAction(name, 'dynamodb:Scan'), name).toBe(name === 'escalateOverdue');
      }
      for (const statement of allIamStatements(template)) {
        expect(JSON.stringify(statement.Resource)).not.toContain('/index/*');
      }
    });

    it('lets the internet-facing survey function read and update only invitation keys, read campaign keys, check only invitations, put only opt-outs, stamp contacts, find a contact\'s invitations, read the theme set, and nothing else', () => {
      // No delete, batch or scan, whatever the key.
      for (const action of ['DeleteItem', 'BatchWriteItem', 'BatchGetItem', 'Scan']) {
        expect(grantsAction('survey', `dynamodb:${action}`), action).toBe(false);
      }
      const tableStatements = statementsOf('survey').filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      expect(tableStatements.map((s) => s.Condition)).toEqual([
        // Read and update, and the answer's transaction checks that the invitation is not erased.
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INV#*'] } },
        // The campaign is read, never written: clicks are counted from the stream.
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CAMPAIGN#*'] } },
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OPTOUT#*'] } },
        // Unsubscribe stamps the contact, and finds the contact's invitations to mark (on GSI1 only).
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONTACT#*'] } },
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONTACT#*#INV'] } },
        // A comment is tagged with the theme set in force.
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['THEMES'] } },
      ]);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId('survey') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 'dynamodb:PutItem',
              Resource: stack.resolve(stack.table.tableArn),
              Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OPTOUT#*'] } },
            }),
          ]),
        },
      });
    });

    it('restricts every function\'s table access to the partition keys its code touches (dynamodb:LeadingKeys)', () => {
      for (const [name] of declared) {
        const unrestricted = statementsOf(name).filter(
          (s) => actionsOf(s).some((a) => /^dynamodb:(Get|Put|Update|Delete|BatchGet|BatchWrite|ConditionCheck)Item$|^dynamodb:Query$/.test(a)) && s.Condition === undefined,
        );
        expect(unrestricted, name).toEqual([]);
      }
    });

    it('sends e-mail only from the sender address, through the identity and configuration set', () => {
      const sesStatements = allIamStatements(template).filter((s) => actionsOf(s).includes('ses:SendEmail'));
      expect(sesStatements.length).toBeGreaterThan(0);
      for (const statement of sesStatements) {
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
        expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'surveys@example.com' } });
      }
    });
  });

  describe('settings', () => {
    it('refuses a senderEmail that is not an e-mail address', () => {
      expect(() => synthStack({ senderEmail: 'surveys-at-example.com' })).toThrow(/senderEmail/);
    });

    it.each(['http://surveys.acme.example', 'ftp://surveys.acme.example', 'surveys.acme.example'])('refuses a publicBaseUrl of %j: links must be https', (publicBaseUrl) => {
      expect(() => synthStack({ publicBaseUrl })).toThrow(/publicBaseUrl: must be an https URL/);
    });

    it('refuses a log retention CloudWatch Logs does not offer', () => {
      expect(() => synthStack({ logRetentionDays: 31 })).toThrow(/logRetentionDays/);
    });

    it.each([0, -1, 'fast'])('refuses an emailSendRate of %j', (emailSendRate) => {
      expect(() => synthStack({ emailSendRate })).toThrow(/emailSendRate/);
    });

    it.each([0, -1, 1.5, 'forever'])('refuses a surveyExpiryDays of %j', (surveyExpiryDays) => {
      expect(() => synthStack({ surveyExpiryDays })).toThrow(/surveyExpiryDays/);
    });

    it.each([0, -48, 'two days'])('refuses a followupSlaHours of %j', (followupSlaHours) => {
      expect(() => synthStack({ followupSlaHours })).toThrow(/followupSlaHours/);
    });

    it.each(['18005550100', '+1 800 555 0100', '+0123456', 'NPSLOOP', ''])('refuses an smsOriginationNumber of %j, which is not E.164', (smsOriginationNumber) => {
      expect(() => synthStack({ smsOriginationNumber })).toThrow(/smsOriginationNumber: must be a phone number in E\.164 format/);
    });

    it.each([0, -1, 'fast'])('refuses an smsSendRate of %j', (smsSendRate) => {
      expect(() => synthStack({ smsSendRate })).toThrow(/smsSendRate/);
    });

    it.each(['publicRateLimit', 'adminRateLimit'])('refuses a %s that is not a positive number within the account limit', (key) => {
      for (const value of [0, -1, 'fast', 20_000]) expect(() => synthStack({ [key]: value }), String(value)).toThrow(new RegExp(key));
    });

    it.each(['publicBurstLimit', 'adminBurstLimit'])('refuses a %s that is not a whole number from 1 to 5000', (key) => {
      for (const value of [0, 1.5, 'lots', 6_000]) expect(() => synthStack({ [key]: value }), String(value)).toThrow(new RegExp(key));
    });

    it.each(['', 'AWS/Lambda', 'npsloop|prod', 'x'.repeat(256)])('refuses a metricsNamespace of %j, which CloudWatch would not take', (metricsNamespace) => {
      expect(() => synthStack({ metricsNamespace })).toThrow(/metricsNamespace/);
    });

    it.each([0, -5, 'lots'])('refuses an smsMonthlySpendLimitUsd of %j', (smsMonthlySpendLimitUsd) => {
      expect(() => synthStack({ smsMonthlySpendLimitUsd })).toThrow(/smsMonthlySpendLimitUsd/);
    });
  });
});

describe('cdk-nag gate', () => {
  it('fails the synth on an AwsSolutions finding nobody acknowledged', () => {
    // GIVEN the app with its cdk-nag checks, and a queue without a DLQ or TLS policy
    const { app, stack } = fastApp();
    new Queue(stack, 'UnreviewedQueue');
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS[34][\s\S]*UnreviewedQueue/);
  });
});
