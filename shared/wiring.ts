/**
 * The one declaration of how npsloop is wired: the table, the queues and topics, and which
 * handler consumes which route, stream, queue or topic with which settings.
 *
 * Both the CDK stack (infra/) and the embedded local runtime (local/) read this module, so the
 * pipeline you run with `npm start` cannot drift from the one you deploy. It is plain data:
 * no CDK or SDK imports, so a Lambda bundle never pulls it in by accident.
 */

export const table = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    // Sparse: only open, not yet escalated follow-up cases carry GSI2 keys, sorted by due time.
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
} as const;

export type QueueName = 'invitations' | 'followups';
export type TopicName = 'alerts' | 'sesEvents' | 'smsInbound';

export interface QueueDeclaration {
  /** Receives after which a message moves to the queue's dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Env var through which handlers find the queue URL. */
  readonly urlEnv: string;
}

export const queues: Record<QueueName, QueueDeclaration> = {
  invitations: { maxReceiveCount: 5, urlEnv: 'INVITATIONS_QUEUE_URL' },
  followups: { maxReceiveCount: 5, urlEnv: 'FOLLOWUPS_QUEUE_URL' },
};

export interface TopicDeclaration {
  /** Env var through which handlers find the topic ARN. */
  readonly arnEnv: string;
}

export const topics: Record<TopicName, TopicDeclaration> = {
  alerts: { arnEnv: 'ALERTS_TOPIC_ARN' },
  /** SES publishes bounce and complaint events here (the configuration set's event destination). */
  sesEvents: { arnEnv: 'SES_EVENTS_TOPIC_ARN' },
  /** AWS End User Messaging two-way SMS publishes every inbound SMS here. */
  smsInbound: { arnEnv: 'SMS_INBOUND_TOPIC_ARN' },
};

/** A route in API Gateway HTTP API syntax: `METHOD /path/{param}`. */
export type RouteKey = `${'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'} /${string}`;

export interface HttpSource {
  readonly kind: 'http';
  readonly routes: readonly RouteKey[];
}

export interface QueueSource {
  readonly kind: 'queue';
  readonly queue: QueueName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Upper bound on concurrent invocations; it is also how the send rate is capped. */
  readonly maxConcurrency?: number;
}

export interface StreamSource {
  readonly kind: 'stream';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  /**
   * A tumbling window makes Lambda put `shardId` on every stream event; the score counter
   * keys its exactly-once checkpoint by shard. It holds no state across invocations.
   */
  readonly tumblingWindowSeconds: number;
  /** Lambda event filter patterns (the `Pattern` JSON of FilterCriteria). */
  readonly filterPatterns: readonly object[];
}

/** A subscription of the function to an SNS topic (on AWS a Lambda subscription). */
export interface TopicSource {
  readonly kind: 'topic';
  readonly topic: TopicName;
}

/** A fixed-rate schedule (on AWS an EventBridge rule). */
export interface ScheduleSource {
  readonly kind: 'schedule';
  readonly rateSeconds: number;
}

export type EventSource = HttpSource | QueueSource | StreamSource | TopicSource | ScheduleSource;

export type Access = 'read' | 'readWrite';

export interface FunctionDeclaration {
  /** Entry file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
  readonly source: EventSource;
  /** What the function may touch. The stack turns each into a grant; nothing else is allowed. */
  readonly uses: {
    readonly table?: Access;
    readonly sendTo?: readonly QueueName[];
    readonly publishTo?: readonly TopicName[];
    /** SES v2 SendEmail from SENDER_EMAIL; links in the mail point at PUBLIC_BASE_URL. */
    readonly sendsEmail?: boolean;
    /** SNS Publish to phone numbers (SMS), from SMS_ORIGINATION_NUMBER when set. */
    readonly sendsSms?: boolean;
    readonly tokenSecret?: boolean;
    readonly apiKey?: boolean;
  };
}

export type FunctionName =
  | 'adminApi'
  | 'survey'
  | 'sendInvitation'
  | 'countScores'
  | 'openFollowup'
  | 'releaseDue'
  | 'handleSesEvent'
  | 'handleSmsReply'
  | 'escalateOverdue';

export const functions: Record<FunctionName, FunctionDeclaration> = {
  adminApi: {
    entry: 'functions/admin-api.ts',
    timeoutSeconds: 29,
    memoryMB: 1024,
    source: {
      kind: 'http',
      routes: [
        'GET /health',
        'POST /v1/campaigns',
        'GET /v1/campaigns',
        'GET /v1/campaigns/{id}',
        'POST /v1/campaigns/{id}/recipients',
        'GET /v1/campaigns/{id}/score',
        'GET /v1/score',
        'GET /v1/followups',
        'PATCH /v1/followups/{id}',
        'GET /v1/responses',
        'DELETE /v1/contacts',
      ],
    },
    uses: { table: 'readWrite', sendTo: ['invitations'], tokenSecret: true, apiKey: true },
  },
  survey: {
    entry: 'functions/survey.ts',
    timeoutSeconds: 10,
    memoryMB: 512,
    source: { kind: 'http', routes: ['GET /s/{token}', 'POST /s/{token}', 'GET /u/{token}', 'POST /u/{token}'] },
    uses: { table: 'readWrite', tokenSecret: true },
  },
  sendInvitation: {
    entry: 'functions/send-invitation.ts',
    timeoutSeconds: 30,
    memoryMB: 512,
    source: { kind: 'queue', queue: 'invitations', batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 5 },
    uses: { table: 'readWrite', sendTo: ['invitations'], sendsEmail: true, sendsSms: true, tokenSecret: true },
  },
  countScores: {
    entry: 'functions/count-scores.ts',
    timeoutSeconds: 60,
    memoryMB: 512,
    source: {
      kind: 'stream',
      batchSize: 100,
      maxBatchingWindowSeconds: 1,
      retryAttempts: 3,
      bisectBatchOnError: true,
      tumblingWindowSeconds: 60,
      filterPatterns: [{ dynamodb: { Keys: { SK: { S: ['RESPONSE'] } } } }],
    },
    uses: { table: 'readWrite', sendTo: ['followups'] },
  },
  openFollowup: {
    entry: 'functions/open-followup.ts',
    timeoutSeconds: 30,
    memoryMB: 512,
    // No batching window: a detractor alert should not wait for company.
    source: { kind: 'queue', queue: 'followups', batchSize: 10, maxBatchingWindowSeconds: 0 },
    uses: { table: 'readWrite', publishTo: ['alerts'] },
  },
  releaseDue: {
    entry: 'functions/release-due.ts',
    timeoutSeconds: 60,
    memoryMB: 512,
    // Held invitations are released up to 10 minutes ahead and delayed on the queue to the
    // second, so a one-minute rate is plenty.
    source: { kind: 'schedule', rateSeconds: 60 },
    uses: { table: 'readWrite', sendTo: ['invitations'] },
  },
  handleSesEvent: {
    entry: 'functions/handle-ses-event.ts',
    timeoutSeconds: 30,
    memoryMB: 256,
    source: { kind: 'topic', topic: 'sesEvents' },
    uses: { table: 'readWrite' },
  },
  handleSmsReply: {
    entry: 'functions/handle-sms-reply.ts',
    timeoutSeconds: 30,
    memoryMB: 512,
    source: { kind: 'topic', topic: 'smsInbound' },
    uses: { table: 'readWrite', sendsSms: true },
  },
  escalateOverdue: {
    entry: 'functions/escalate-overdue.ts',
    timeoutSeconds: 60,
    memoryMB: 256,
    source: { kind: 'schedule', rateSeconds: 300 },
    uses: { table: 'readWrite', publishTo: ['alerts'] },
  },
};

/** SQS visibility must cover every retry of a batch by the consuming function (AWS: ≥ 6× timeout). */
export const visibilityTimeoutSeconds = (queue: QueueName): number => {
  const consumers = Object.values(functions).filter(
    (f) => f.source.kind === 'queue' && f.source.queue === queue,
  );
  return Math.max(30, ...consumers.map((f) => f.timeoutSeconds * 6));
};

/**
 * Env var names the handlers read (see shared/config.ts). A secret is given either directly
 * (`TOKEN_SECRET`, used by the local runtime and tests) or as a Secrets Manager ARN
 * (`TOKEN_SECRET_ARN`, set by the stack) that the handler resolves once at cold start.
 */
export const env = {
  tableName: 'TABLE_NAME',
  tokenSecret: 'TOKEN_SECRET',
  tokenSecretArn: 'TOKEN_SECRET_ARN',
  apiKey: 'NPSLOOP_API_KEY',
  apiKeySecretArn: 'API_KEY_SECRET_ARN',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  senderEmail: 'SENDER_EMAIL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  emailSendRate: 'EMAIL_SEND_RATE',
  senderConcurrency: 'SENDER_CONCURRENCY',
  followupSlaHours: 'FOLLOWUP_SLA_HOURS',
  smsOriginationNumber: 'SMS_ORIGINATION_NUMBER',
  smsSendRate: 'SMS_SEND_RATE',
  surveyExpiryDays: 'SURVEY_EXPIRY_DAYS',
} as const;
