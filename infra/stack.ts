import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OperationsAlarms } from '#infra/alarms';
import { EmailSending } from '#infra/email';
import { NpsloopFunction } from '#infra/function';
import { CustomDomain } from '#infra/custom-domain';
import { NpsloopHttpApi } from '#infra/http-api';
import { failureQueue, WorkQueue } from '#infra/queues';
import { rateSchedule } from '#infra/schedule';
import { readSettings, senderAddressOf, type Settings, zoneNameOf } from '#infra/settings';
import { SmsMessaging } from '#infra/sms';
import { createTable } from '#infra/table';
import {
  env,
  type FunctionDeclaration,
  type FunctionName,
  functions,
  type QueueName,
  type QueueSource,
  queues,
  type TableGrant,
  type TopicName,
  topics,
  visibilityTimeoutSeconds,
} from '#shared/contract/wiring';

/** `Object.entries` that keeps the key type of a `Record<K, V>`. */
const entries = <K extends string, V>(record: Record<K, V>) => Object.entries(record) as [K, V][];
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Retries after a failed first attempt of an asynchronous invocation (how SNS and EventBridge
 * invoke). Lambda's default of two suits a topic's events. A scheduled run gets none: the next
 * run does the same work, and a retry would run beside it. local/lambda/async-invocation.ts
 * plays the same numbers.
 */
const asyncRetryAttempts = { topic: 2, schedule: 0 } as const;

/** How each kind of route authenticates, since none uses an API Gateway authorizer (cdk-nag APIG4). */
const routeAuthentication = {
  apiKey:
    'Admin routes check `Authorization: Bearer <key>` in the handler (constant-time compare against the ' +
    'Secrets Manager key; 401 otherwise) so the same code authenticates on the local runtime, which has ' +
    'no API Gateway authorizers. GET /health is deliberately open and returns no data.',
  token:
    'Customer survey/unsubscribe links: the credential is the HMAC-signed invitation token (>=128 random ' +
    'bits) in the path, checked in constant time; customers have no account to authorize, and unknown or ' +
    'forged tokens get an indistinguishable 404.',
};

/**
 * npsloop on AWS, generated from shared/contract/wiring.ts: the table, queues and topics it declares, one
 * function per declaration wired to its route, queue, stream, topic or schedule, and exactly the
 * grants in `uses`.
 */
export class NpsloopStack extends Stack {
  readonly settings: Settings;
  readonly table: Table;
  readonly api: NpsloopHttpApi;
  readonly customDomain: CustomDomain | undefined;
  readonly queues: Record<QueueName, WorkQueue>;
  readonly topics: Record<TopicName, Topic>;
  readonly functions: Record<FunctionName, NpsloopFunction>;
  readonly tokenSecret: Secret;
  readonly apiKeySecret: Secret;
  readonly email: EmailSending;
  readonly sms: SmsMessaging;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const settings = readSettings(this);
    this.settings = settings;
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = createTable(this, 'Table', { retain: settings.retainData });

    // One key for the SNS topics: alarms, SES feedback and inbound SMS need a customer-managed key
    // (CloudWatch, SES and End User Messaging cannot use the AWS-managed one), and one key serves
    // every topic for the same $1 a month.
    const topicKey = new Key(this, 'TopicKey', {
      description: 'npsloop SNS topics (detractor alerts, SES feedback, inbound SMS, operational alarms)',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.alarms = new OperationsAlarms(this, 'Alarms', { key: topicKey, email: settings.alarmEmail });
    this.topics = this.createTopics(topicKey, settings);
    this.queues = this.createQueues();

    this.tokenSecret = this.createSecret(
      'TokenSigningKey',
      'HMAC key that signs invitation tokens',
      'Rotating this key invalidates every invitation link already delivered (links live as long as a ' +
        'campaign), so it is rotated deliberately by an operator, never on a schedule.',
      removalPolicy,
    );
    this.apiKeySecret = this.createSecret(
      'AdminApiKey',
      'Bearer key of the npsloop admin API',
      'The admin key is copied into the systems that call the API (CLI, CRM hooks), which cannot follow an ' +
        'automatic rotation; operators rotate it by hand (put-secret-value) together with those callers.',
      removalPolicy,
    );
    const zoneName = zoneNameOf(settings);
    this.email = new EmailSending(this, 'Email', {
      senderEmail: senderAddressOf(settings),
      senderDomain: settings.senderDomain,
      hostedZone: settings.senderDomain && settings.hostedZoneId && zoneName ? { id: settings.hostedZoneId, name: zoneName } : undefined,
      feedbackTopic: this.topics.sesEvents,
      feedbackTopicKey: topicKey,
    });
    this.sms = new SmsMessaging(this, 'Sms', {
      inboundTopic: this.topics.smsInbound,
      inboundTopicKey: topicKey,
      monthlySpendLimitUsd: settings.smsMonthlySpendLimitUsd,
      alarms: this.alarms,
    });
    this.api = new NpsloopHttpApi(this, 'Http', {
      logRetention: settings.logRetentionDays,
      removalPolicy,
      throttles: {
        public: { rateLimit: settings.publicRateLimit, burstLimit: settings.publicBurstLimit },
        admin: { rateLimit: settings.adminRateLimit, burstLimit: settings.adminBurstLimit },
      },
    });
    this.customDomain = settings.customDomain
      ? new CustomDomain(this, 'CustomDomain', {
          domainName: settings.customDomain,
          certificateArn: settings.certificateArn,
          hostedZone: settings.hostedZoneId
            ? { id: settings.hostedZoneId, name: zoneName ?? settings.customDomain }
            : undefined,
          api: this.api.api,
          stage: this.api.stage,
        })
      : undefined;

    const created: Partial<Record<FunctionName, NpsloopFunction>> = {};
    for (const [name, declaration] of entries(functions)) {
      const fn = new NpsloopFunction(this, pascal(name), {
        declaration,
        environment: this.environmentFor(name, declaration),
        logLevel: settings.logLevel,
        metricsNamespace: settings.metricsNamespace,
        logRetention: settings.logRetentionDays,
        removalPolicy,
      });
      this.grantUses(name, fn, declaration);
      this.connect(name, fn, declaration);
      this.watch(name, fn, declaration);
      this.acknowledgeUnscopableActions(fn, declaration);
      created[name] = fn;
    }
    this.functions = created as Record<FunctionName, NpsloopFunction>;
    this.alarms.onApiServerErrors(this, 'ApiServerErrorsAlarm', this.api.stage);
    this.alarms.onApiThrottles(this, 'ApiThrottlesAlarm', this.api.accessLogs);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the npsloop HTTP API' });
    new CfnOutput(this, 'ApiKeySecretArn', {
      value: this.apiKeySecret.secretArn,
      description: 'The admin API key: aws secretsmanager get-secret-value --secret-id <this>',
    });
    new CfnOutput(this, 'AlertsTopicArn', {
      value: this.topics.alerts.topicArn,
      description: 'Detractor alerts: subscribe managers (e-mail, SMS) here, filtering on message attributes',
    });
    new CfnOutput(this, 'SmsInboundTopicArn', {
      value: this.topics.smsInbound.topicArn,
      description: "Inbound SMS: point your End User Messaging phone number's two-way SMS destination at this topic",
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Operational alarms' });
    this.email.dkimRecordsToAdd.forEach((record, i) => {
      new CfnOutput(this, `SenderDkimRecord${i + 1}`, {
        value: Fn.join(' ', [record.name, 'CNAME', record.value]),
        description: `DKIM record ${i + 1} of 3 for ${settings.senderDomain}: add it at your DNS provider; SES verifies the domain once all three resolve`,
      });
    });
  }

  private createTopics(key: Key, settings: Settings): Record<TopicName, Topic> {
    const created = {} as Record<TopicName, Topic>;
    for (const [name] of entries(topics)) {
      created[name] = new Topic(this, `${pascal(name)}Topic`, { displayName: `npsloop ${name}`, masterKey: key, enforceSSL: true });
    }
    if (settings.alertEmail) created.alerts.addSubscription(new EmailSubscription(settings.alertEmail));
    return created;
  }

  private createQueues(): Record<QueueName, WorkQueue> {
    const created = {} as Record<QueueName, WorkQueue>;
    for (const [name, declaration] of entries(queues)) {
      created[name] = new WorkQueue(this, `${pascal(name)}Queue`, {
        declaration,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(name)),
        alarms: this.alarms,
      });
    }
    return created;
  }

  private createSecret(id: string, description: string, whyNoRotation: string, removalPolicy: RemovalPolicy): Secret {
    const secret = new Secret(this, id, {
      description,
      // 64 characters of [A-Za-z0-9] is ~380 bits: well over a 32-byte HMAC key.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: whyNoRotation });
    return secret;
  }

  /** The configuration a handler reads: names from wiring.ts, values from this stack. */
  private environmentFor(name: FunctionName, { uses, source }: FunctionDeclaration): Record<string, string> {
    const environment: Record<string, string> = { [env.tableName]: this.table.tableName };
    for (const queue of uses.sendTo ?? []) environment[queues[queue].urlEnv] = this.queues[queue].queue.queueUrl;
    for (const topic of uses.publishTo ?? []) environment[topics[topic].arnEnv] = this.topics[topic].topicArn;
    if (uses.sendsEmail) {
      environment[env.senderEmail] = this.email.senderEmail;
      environment[env.publicBaseUrl] = this.settings.publicBaseUrl ?? this.customDomain?.url ?? this.api.url;
      environment[env.sesConfigurationSet] = this.email.configurationSet.configurationSetName;
      environment[env.emailSendRate] = String(this.settings.emailSendRate);
    }
    if (uses.sendsSms) {
      environment[env.smsSendRate] = String(this.settings.smsSendRate);
      if (this.settings.smsOriginationNumber) environment[env.smsOriginationNumber] = this.settings.smsOriginationNumber;
    }
    // A queue's concurrent senders share the send rates, each taking its part.
    if ((uses.sendsEmail || uses.sendsSms) && source.kind === 'queue') {
      environment[env.senderConcurrency] = String(senderConcurrency(name, source, uses));
    }
    // The follow-up queue's consumer opens the cases, each due this many hours after it opens.
    // The admin API measures the closed-loop figures against the same SLA.
    if ((source.kind === 'queue' && source.queue === 'followups') || (source.kind === 'http' && source.routes.includes('GET /v1/followups/stats'))) {
      environment[env.followupSlaHours] = String(this.settings.followupSlaHours);
    }
    // The function behind the survey pages closes their links this many days after sending.
    if (source.kind === 'http' && source.routes.includes('GET /s/{token}')) {
      environment[env.surveyExpiryDays] = String(this.settings.surveyExpiryDays);
    }
    if (uses.tokenSecret) environment[env.tokenSecretArn] = this.tokenSecret.secretArn;
    if (uses.apiKey) environment[env.apiKeySecretArn] = this.apiKeySecret.secretArn;
    return environment;
  }

  /** Turns `uses` into grants; a function gets nothing it does not declare. */
  private grantUses(name: FunctionName, fn: NpsloopFunction, { uses }: FunctionDeclaration): void {
    for (const grant of uses.table ?? []) this.grantTable(name, fn, grant);
    for (const queue of uses.sendTo ?? []) this.queues[queue].queue.grantSendMessages(fn);
    for (const topic of uses.publishTo ?? []) this.topics[topic].grantPublish(fn);
    if (uses.publishTo?.length) {
      Validations.of(fn.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Publishing to a KMS-encrypted topic needs GenerateDataKey (the CDK topic grant), on the one topic key only.',
      });
    }
    if (uses.sendsEmail) this.email.grantSend(fn);
    if (uses.sendsSms) {
      if (uses.publishTo?.length) {
        throw new Error(
          `${name} both sends SMS and publishes to topics (${uses.publishTo.join(', ')}): the SMS grant denies ` +
            'sns:Publish on every topic, its own included, so give the two jobs separate functions',
        );
      }
      this.sms.grantSendToPhoneNumbers(fn);
    }
    if (uses.tokenSecret) this.tokenSecret.grantRead(fn);
    if (uses.apiKey) this.apiKeySecret.grantRead(fn);
  }

  /** Every function alarms on its errors and throttles; a stream consumer also when it falls behind. */
  private watch(name: FunctionName, fn: NpsloopFunction, { source }: FunctionDeclaration): void {
    const id = fn.node.id;
    this.alarms.onFunctionErrors(this, `${id}ErrorsAlarm`, fn, name);
    this.alarms.onFunctionThrottles(this, `${id}ThrottlesAlarm`, fn, name);
    if (source.kind === 'stream') this.alarms.onIteratorAge(this, `${id}IteratorAgeAlarm`, fn, name);
  }

  /**
   * One TableGrant as one statement: its actions, on the table or on the one index it names, and
   * when it lists leading keys, only for items whose partition key matches one of them.
   * `ForAllValues` with an empty set of keys is true, which is why a Scan (it names no key) may
   * never carry leadingKeys: the condition would not restrict it at all.
   */
  private grantTable(name: FunctionName, fn: NpsloopFunction, grant: TableGrant): iam.Grant {
    const where = grant.index ? `on index ${grant.index}` : 'on the table';
    if (grant.actions.length === 0) throw new Error(`${name}: a table grant ${where} lists no actions`);
    if (grant.leadingKeys?.length === 0) throw new Error(`${name}: a table grant ${where} lists an empty leadingKeys (omit it to allow any key)`);
    if (grant.leadingKeys && grant.actions.includes('Scan')) {
      throw new Error(`${name}: Scan names no partition key, so dynamodb:LeadingKeys cannot restrict it; grant Scan without leadingKeys`);
    }
    const notOnIndexes = grant.actions.filter((action) => action !== 'Query' && action !== 'Scan');
    if (grant.index && notOnIndexes.length > 0) {
      throw new Error(`${name}: ${notOnIndexes.join(', ')} cannot be granted on index ${grant.index}; an index is only read by Query or Scan`);
    }
    return iam.Grant.addToPrincipal({
      grantee: fn,
      actions: grant.actions.map((action) => `dynamodb:${action}`),
      resourceArns: [grant.index ? `${this.table.tableArn}/index/${grant.index}` : this.table.tableArn],
      conditions: grant.leadingKeys
        ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.leadingKeys] } }
        : undefined,
    });
  }

  /** Connects the function to what invokes it: HTTP routes, a queue, the table's stream, a topic or a schedule. */
  private connect(name: FunctionName, fn: NpsloopFunction, { source, uses }: FunctionDeclaration): void {
    switch (source.kind) {
      case 'http': {
        const integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
        const authentication = uses.apiKey ? routeAuthentication.apiKey : routeAuthentication.token;
        for (const route of source.routes) this.api.addRoute(route, integration, authentication);
        break;
      }
      case 'queue':
        fn.addEventSource(
          new SqsEventSource(this.queues[source.queue].queue, {
            batchSize: source.batchSize,
            maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
            maxConcurrency: source.maxConcurrency,
            reportBatchItemFailures: true,
          }),
        );
        break;
      case 'stream': {
        const failures = this.failureDestination(
          `${fn.node.id}StreamFailures`,
          'the on-failure destination of the stream event source mapping',
          `npsloop ${fn.node.id}: a table stream batch failed all ${source.retryAttempts} retries; its records are parked here`,
        );
        fn.addEventSource(
          new DynamoEventSource(this.table, {
            startingPosition: StartingPosition.TRIM_HORIZON,
            batchSize: source.batchSize,
            maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
            retryAttempts: source.retryAttempts,
            bisectBatchOnError: source.bisectBatchOnError,
            tumblingWindow: Duration.seconds(source.tumblingWindowSeconds),
            reportBatchItemFailures: true,
            filters: source.filterPatterns.map((pattern) => FilterCriteria.filter(pattern)),
            onFailure: new SqsDlq(failures),
          }),
        );
        break;
      }
      case 'topic': {
        // One queue for both ways a message can fail: SNS could not invoke the function (the
        // subscription's dead-letter queue gets the SNS message), or every invocation threw (the
        // async on-failure destination gets Lambda's record, the SNS event inside).
        const failures = this.failureDestination(
          `${fn.node.id}TopicFailures`,
          `the dead-letter queue of the ${source.topic} subscription and the function's asynchronous on-failure destination`,
          `npsloop ${fn.node.id}: a ${source.topic} message could not be delivered, or failed ${1 + asyncRetryAttempts.topic} invocations; it is parked here`,
        );
        fn.configureAsyncInvoke({ retryAttempts: asyncRetryAttempts.topic, onFailure: new SqsDestination(failures) });
        this.topics[source.topic].addSubscription(new LambdaSubscription(fn, { deadLetterQueue: failures }));
        break;
      }
      case 'schedule': {
        const failures = this.failureDestination(
          `${fn.node.id}ScheduleFailures`,
          "the schedule rule target's dead-letter queue and the function's asynchronous on-failure destination",
          `npsloop ${fn.node.id}: a scheduled run failed or could not be started; the next run catches up, so look when these recur`,
        );
        fn.configureAsyncInvoke({ retryAttempts: asyncRetryAttempts.schedule, onFailure: new SqsDestination(failures) });
        new Rule(this, `${fn.node.id}Schedule`, {
          description: `npsloop ${fn.node.id}, every ${source.rateSeconds} seconds`,
          schedule: rateSchedule(name, source.rateSeconds),
          targets: [
            new LambdaFunction(fn, {
              // EventBridge's own retries, when Lambda cannot take the event (throttling, an outage).
              retryAttempts: 2,
              // An event older than one period is superseded by the next run (EventBridge keeps one a day at most).
              maxEventAge: Duration.seconds(Math.min(source.rateSeconds, 86_400)),
              deadLetterQueue: failures,
            }),
          ],
        });
        break;
      }
      default: {
        // A new kind of source in wiring.ts must be wired here too; this keeps the typecheck honest.
        const unwired: never = source;
        throw new Error(`No CDK wiring for event source ${JSON.stringify(unwired)}`);
      }
    }
  }

  /**
   * A queue that parks what an event source gave up on, alarmed on its first message. `feeds`
   * says what sends to it, for the cdk-nag acknowledgement.
   */
  private failureDestination(id: string, feeds: string, alarmDescription: string): Queue {
    const failures = failureQueue(this, id, this.alarms, alarmDescription);
    Validations.of(failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself a dead-letter destination (${feeds}), which cdk-nag does not recognise as one. ` +
        'It has no consumer to fail and alarms on its first message.',
    });
    return failures;
  }

  /**
   * A stream source adds dynamodb:ListStreams, and sending SMS adds sns:Publish to phone numbers:
   * actions AWS accepts only on Resource "*". The infra tests check that nothing else is ever
   * granted on "*"; a function with neither has nothing to acknowledge.
   */
  private acknowledgeUnscopableActions(fn: NpsloopFunction, { source, uses }: FunctionDeclaration): void {
    const actions: string[] = [];
    if (source.kind === 'stream') actions.push('dynamodb:ListStreams');
    if (uses.sendsSms) actions.push('sns:Publish');
    if (actions.length === 0) return;
    const phoneNumbersOnly = uses.sendsSms
      ? ' A Publish to a phone number names no resource; the explicit Deny of sns:Publish on every SNS ARN ' +
        '(arn:<partition>:sns:*:*:*) beside it leaves phone numbers as all that sns:Publish on "*" can reach.'
      : '';
    Validations.of(fn.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `Resource "*" is granted only for ${actions.join(', ')}, which have no resource-level permissions.${phoneNumbersOnly}`,
    });
  }
}

/**
 * SENDER_CONCURRENCY: how many sender instances share EMAIL_SEND_RATE and SMS_SEND_RATE. Without
 * a maxConcurrency the queue's poller scales out freely, and no per-instance share could keep the
 * total under the account's SES rate or the number's SMS rate, so such a wiring is refused.
 */
function senderConcurrency(name: FunctionName, source: QueueSource, uses: FunctionDeclaration['uses']): number {
  if (source.maxConcurrency === undefined) {
    const sends = [uses.sendsEmail && 'e-mail', uses.sendsSms && 'SMS'].filter(Boolean).join(' and ');
    throw new Error(`${name} sends ${sends} from the ${source.queue} queue, so its source needs a maxConcurrency to share the send rate`);
  }
  return source.maxConcurrency;
}
