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
    // Sparse: only follow-up cases that are not closed, sorted by due time (the inbox's views).
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
    // Sparse: only responses, one partition per month of first answer, newest last (the feed across campaigns).
    { name: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
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

/**
 * A DynamoDB action, as IAM names it. A transaction (TransactWriteItems) is authorized per item,
 * by the action of each item it holds: Put → PutItem, Update → UpdateItem, Delete → DeleteItem,
 * ConditionCheck → ConditionCheckItem; TransactGetItems by GetItem.
 */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

export type IndexName = (typeof table.indexes)[number]['name'];

/**
 * One permission on the table: these actions, on the table itself or on one index, for items
 * whose partition key matches one of `leadingKeys`. The stack makes each a policy statement; the
 * local runtime refuses any DynamoDB call of the function that no grant of it covers.
 */
export interface TableGrant {
  readonly actions: readonly TableAction[];
  /** Query this global secondary index (its partition key is then the leading key) instead of the table. */
  readonly index?: IndexName;
  /**
   * The partition-key values the actions may touch, as IAM `StringLike` patterns (`*` matches
   * any run of characters): the `dynamodb:LeadingKeys` condition. Key prefixes come from
   * shared/table/items.ts (`keys`, `gsi1`, `gsi2`). Omitted: any item.
   */
  readonly leadingKeys?: readonly string[];
}

export interface FunctionDeclaration {
  /** Entry file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
  readonly source: EventSource;
  /** What the function may touch. The stack turns each into a grant; nothing else is allowed. */
  readonly uses: {
    /** Exactly the DynamoDB actions (and keys) the function's code paths call; see TableGrant. */
    readonly table?: readonly TableGrant[];
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
  | 'escalateOverdue'
  | 'retagResponses';

/**
 * The timeouts that code reads as well (the outbox's grace period, the re-tag's lease), apart from
 * `functions`: reading one then does not bundle the whole declaration (about 5.5 KB minified).
 */
const ADMIN_API_TIMEOUT_SECONDS = 29;
const RETAG_TIMEOUT_SECONDS = 300;
export const timeoutSeconds = { adminApi: ADMIN_API_TIMEOUT_SECONDS, retagResponses: RETAG_TIMEOUT_SECONDS } as const;

export const functions: Record<FunctionName, FunctionDeclaration> = {
  adminApi: {
    entry: 'functions/admin-api.ts',
    // A plain name, not `timeoutSeconds.adminApi`: a property read would keep this declaration in every bundle.
    timeoutSeconds: ADMIN_API_TIMEOUT_SECONDS,
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
        'GET /v1/me',
        'GET /v1/users',
        'GET /v1/followups',
        'GET /v1/followups/stats',
        'GET /v1/followups/{id}',
        'PATCH /v1/followups/{id}',
        'POST /v1/followups/{id}/replies',
        'GET /v1/assignment-rules',
        'PUT /v1/assignment-rules',
        'GET /v1/responses',
        'GET /v1/themes',
        'PUT /v1/themes',
        'GET /v1/themes/impact',
        'DELETE /v1/contacts',
      ],
    },
    uses: {
      table: [
        // Campaigns and their counter shards and recipient guards, aggregates, the hold cursor,
        // and Powertools idempotency records (partition `IDEMPOTENCY`, shared/aws/idempotency.ts).
        { actions: ['GetItem', 'Query'], leadingKeys: ['CAMPAIGN#*', 'AGG#*', 'DUE#CURSOR', 'IDEMPOTENCY'] },
        // A case's invitation and the contact's earlier answers (the case view).
        { actions: ['GetItem'], leadingKeys: ['INV#*'] },
        // Whether older opt-outs are stamped on their contacts yet (until then the import reads the
        // lists too); erasure's opt-out reads the contact's newest invitation.
        { actions: ['GetItem'], leadingKeys: ['MIGRATION', 'CONTACT#*'] },
        // Screening recipients (guard, opt-out, suppression, throttle) and the export's invitations.
        { actions: ['BatchGetItem'], leadingKeys: ['CAMPAIGN#*', 'OPTOUT#*', 'SUPPRESS#*', 'CONTACT#*', 'INV#*'] },
        // Campaigns, invitations and their guards; erasure's opt-out.
        { actions: ['PutItem'], leadingKeys: ['CAMPAIGN#*', 'INV#*', 'OPTOUT#*', 'IDEMPOTENCY'] },
        // Counters, the contact's throttle (and erasure's opt-out stamp), erasure of invitations,
        // responses, case guards and cases (a response or guard not written yet is left as a
        // tombstone), case PATCHes.
        { actions: ['UpdateItem'], leadingKeys: ['CAMPAIGN#*', 'INV#*', 'CONTACT#*', 'FOLLOWUP#*', 'IDEMPOTENCY'] },
        { actions: ['DeleteItem'], leadingKeys: ['IDEMPOTENCY'] },
        // Invitations held for a later sendAt (shared/app/holding.ts).
        { actions: ['BatchWriteItem'], leadingKeys: ['DUE#*'] },
        // The hand-off outbox: written before the invitations, deleted once they are queued.
        { actions: ['BatchWriteItem'], leadingKeys: ['OUTBOX'] },
        // A case's timeline: one item per note, status change and assignment, read back for the
        // case view and deleted (notes) when the contact is erased.
        { actions: ['GetItem', 'PutItem', 'Query', 'BatchWriteItem'], leadingKeys: ['FOLLOWUP#*'] },
        // Erasure forgets the words an SMS conversation kept for a score that never came.
        { actions: ['UpdateItem'], leadingKeys: ['PHONE#*'] },
        // The theme set and its re-tag job: read, and replaced together by PUT /v1/themes.
        { actions: ['GetItem', 'PutItem'], leadingKeys: ['THEMES'] },
        // Who has signed in to the console: noted at most once an hour per person (shared/app/users.ts).
        { actions: ['UpdateItem'], leadingKeys: ['USER#*'] },
        // Campaign list, a campaign's responses, the follow-up inbox (view all) and the closed-loop
        // figures (an id range), a contact's invitations (erasure, a case's earlier answers), the users.
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['CAMPAIGNS', 'CAMPAIGN#*#RESP', 'FOLLOWUPS', 'CONTACT#*#INV', 'USERS'] },
        // The inbox's open, overdue and mine views: cases not closed, by due time.
        { actions: ['Query'], index: 'GSI3', leadingKeys: ['FOLLOWUPS#ACTIVE'] },
        // The response feed across campaigns, a month at a time.
        { actions: ['Query'], index: 'GSI4', leadingKeys: ['RESPONSES#*'] },
        // The assignment rules.
        { actions: ['GetItem', 'PutItem'], leadingKeys: ['SETTINGS'] },
      ],
      // Invitations, and a manager's SMS reply held for the customer's quiet hours.
      sendTo: ['invitations'],
      // A manager's reply to the customer, on the channel they answered on.
      sendsEmail: true,
      sendsSms: true,
      // No tokenSecret: the admin API never signs or reads an invitation token.
      apiKey: true,
    },
  },
  survey: {
    entry: 'functions/survey.ts',
    timeoutSeconds: 10,
    memoryMB: 512,
    source: { kind: 'http', routes: ['GET /s/{token}', 'POST /s/{token}', 'GET /u/{token}', 'POST /u/{token}'] },
    // Internet-facing: the invitation, its response and click, the campaign, and the contact's
    // opt-out. Nothing else, and never a delete, batch or scan (clicks are counted from the stream).
    uses: {
      table: [
        { actions: ['GetItem', 'UpdateItem'], leadingKeys: ['INV#*'] },
        { actions: ['GetItem'], leadingKeys: ['CAMPAIGN#*'] },
        // Unsubscribe: the opt-out, its stamp on the contact, and a mark on each of the contact's
        // invitations still to reach them (found through the contact index; marked by UpdateItem INV#*).
        { actions: ['PutItem'], leadingKeys: ['OPTOUT#*'] },
        // (The contact item also names its newest invitation, which the index may not show yet.)
        { actions: ['GetItem', 'UpdateItem'], leadingKeys: ['CONTACT#*'] },
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['CONTACT#*#INV'] },
        // The theme set a comment is tagged with.
        { actions: ['GetItem'], leadingKeys: ['THEMES'] },
      ],
      tokenSecret: true,
    },
  },
  sendInvitation: {
    entry: 'functions/send-invitation.ts',
    timeoutSeconds: 30,
    memoryMB: 512,
    source: { kind: 'queue', queue: 'invitations', batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 5 },
    uses: {
      table: [
        // The invitation (claim, settle, reminder lease), its response, the campaign, the hold cursor.
        { actions: ['GetItem'], leadingKeys: ['INV#*', 'CAMPAIGN#*', 'DUE#CURSOR'] },
        { actions: ['UpdateItem'], leadingKeys: ['INV#*', 'CAMPAIGN#*'] },
        // Opted out or suppressed since it was invited? The claim returns the invitation's mark; until
        // older opt-outs are marked too (MIGRATION says when), the lists are read as well.
        { actions: ['GetItem'], leadingKeys: ['MIGRATION'] },
        { actions: ['BatchGetItem'], leadingKeys: ['OPTOUT#*', 'SUPPRESS#*'] },
        // Written with the settle of a send: the SMS conversation it opens, and its reminder held.
        { actions: ['PutItem'], leadingKeys: ['PHONE#*', 'DUE#*'] },
        // Held again: outside the SMS window, or a reminder whose window is not open yet.
        { actions: ['BatchWriteItem'], leadingKeys: ['DUE#*'] },
        // A manager's SMS reply that was held: its case and timeline entry (read, leased, marked sent).
        { actions: ['GetItem', 'UpdateItem'], leadingKeys: ['FOLLOWUP#*'] },
      ],
      sendTo: ['invitations'],
      sendsEmail: true,
      sendsSms: true,
      tokenSecret: true,
    },
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
      // Responses (scores), and new and changed invitations (the campaign's recipients, sent, ... counts).
      filterPatterns: [{ dynamodb: { Keys: { SK: { S: ['RESPONSE'] } } } }, { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { SK: { S: ['INV'] } } } }],
    },
    // Per-shard checkpoints, the aggregate counters and the campaigns' counters, in one transaction per run.
    uses: {
      table: [
        { actions: ['GetItem'], leadingKeys: ['STREAM#*'] },
        { actions: ['UpdateItem'], leadingKeys: ['STREAM#*', 'AGG#*', 'CAMPAIGN#*'] },
      ],
      sendTo: ['followups'],
    },
  },
  openFollowup: {
    entry: 'functions/open-followup.ts',
    timeoutSeconds: 30,
    memoryMB: 512,
    // No batching window: a detractor alert should not wait for company.
    source: { kind: 'queue', queue: 'followups', batchSize: 10, maxBatchingWindowSeconds: 0 },
    // The response, the case guard (INV#<id>/FOLLOWUP), the invitation, the case, its campaign,
    // the assignment rules; the case with its timeline entries (opened, assignee, comment). A
    // case opens only while its guard is not there, which erasure leaves as a tombstone.
    uses: {
      table: [
        { actions: ['GetItem'], leadingKeys: ['INV#*', 'FOLLOWUP#*', 'CAMPAIGN#*', 'SETTINGS'] },
        { actions: ['PutItem'], leadingKeys: ['INV#*', 'FOLLOWUP#*'] },
        { actions: ['UpdateItem'], leadingKeys: ['FOLLOWUP#*'] },
      ],
      publishTo: ['alerts'],
    },
  },
  releaseDue: {
    entry: 'functions/release-due.ts',
    timeoutSeconds: 60,
    memoryMB: 512,
    // Held invitations are released up to 10 minutes ahead and delayed on the queue to the
    // second, so a one-minute rate is plenty.
    source: { kind: 'schedule', rateSeconds: 60 },
    // It also sweeps the hand-off outbox: entries a request committed but never handed off.
    uses: {
      table: [
        { actions: ['GetItem', 'PutItem', 'Query', 'BatchWriteItem'], leadingKeys: ['DUE#*'] },
        { actions: ['Query', 'BatchWriteItem'], leadingKeys: ['OUTBOX'] },
        { actions: ['BatchGetItem'], leadingKeys: ['INV#*'] },
      ],
      sendTo: ['invitations'],
    },
  },
  handleSesEvent: {
    entry: 'functions/handle-ses-event.ts',
    timeoutSeconds: 30,
    memoryMB: 256,
    source: { kind: 'topic', topic: 'sesEvents' },
    // The suppression, its stamp on the contact, and a mark on each of the contact's invitations still to reach them.
    uses: {
      table: [
        { actions: ['PutItem'], leadingKeys: ['SUPPRESS#*'] },
        { actions: ['GetItem'], leadingKeys: ['CONTACT#*'] },
        { actions: ['UpdateItem'], leadingKeys: ['CONTACT#*', 'INV#*'] },
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['CONTACT#*#INV'] },
      ],
    },
  },
  handleSmsReply: {
    entry: 'functions/handle-sms-reply.ts',
    timeoutSeconds: 30,
    memoryMB: 512,
    source: { kind: 'topic', topic: 'smsInbound' },
    // Inbound-message markers, the phone's conversation, its invitation, response and campaign, opt-outs.
    uses: {
      table: [
        // THEMES: the theme set an SMS comment is tagged with.
        { actions: ['GetItem'], leadingKeys: ['SMSIN#*', 'PHONE#*', 'INV#*', 'CAMPAIGN#*', 'OPTOUT#*', 'THEMES'] },
        { actions: ['PutItem'], leadingKeys: ['SMSIN#*', 'OPTOUT#*'] },
        // INV#*: also STOP's mark on the phone's invitations still to reach it (START's removal).
        { actions: ['UpdateItem'], leadingKeys: ['SMSIN#*', 'PHONE#*', 'INV#*'] },
        // STOP and START stamp the contact, and find its invitations through the contact index.
        { actions: ['GetItem', 'UpdateItem'], leadingKeys: ['CONTACT#*'] },
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['CONTACT#*#INV'] },
        // START opts back in.
        { actions: ['DeleteItem'], leadingKeys: ['OPTOUT#*'] },
      ],
      sendsSms: true,
    },
  },
  escalateOverdue: {
    entry: 'functions/escalate-overdue.ts',
    timeoutSeconds: 60,
    memoryMB: 256,
    source: { kind: 'schedule', rateSeconds: 300 },
    // Open cases past due (the sparse GSI2), then each case's escalation lease, its campaign and
    // its `escalated` timeline entry; and the active cases 0.1 left out of GSI3, once.
    uses: {
      table: [
        { actions: ['Query'], index: 'GSI2', leadingKeys: ['FOLLOWUPS#OPEN'] },
        { actions: ['GetItem'], leadingKeys: ['FOLLOWUP#*', 'CAMPAIGN#*'] },
        { actions: ['UpdateItem', 'PutItem'], leadingKeys: ['FOLLOWUP#*'] },
        // Until it is done: the one-off indexing of 0.1's active cases (every case, its place saved).
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['FOLLOWUPS'] },
        { actions: ['GetItem', 'PutItem'], leadingKeys: ['MIGRATION'] },
        // Until it is done: the one-off stamping of older opt-outs and suppressions. Their lists
        // have no index, so a Scan finds them (keys only); IAM cannot restrict a Scan by key.
        { actions: ['Scan'] },
        { actions: ['ConditionCheckItem'], leadingKeys: ['OPTOUT#*', 'SUPPRESS#*'] },
        { actions: ['UpdateItem'], leadingKeys: ['CONTACT#*', 'INV#*'] },
        { actions: ['GetItem'], leadingKeys: ['CONTACT#*'] },
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['CONTACT#*#INV'] },
      ],
      publishTo: ['alerts'],
    },
  },
  retagResponses: {
    entry: 'functions/retag-responses.ts',
    timeoutSeconds: RETAG_TIMEOUT_SECONDS,
    memoryMB: 512,
    // Each run goes on from where the last one stopped; a run lasting past the next tick holds the
    // job's lease, so the tick finds it busy and returns.
    source: { kind: 'schedule', rateSeconds: 60 },
    uses: {
      table: [
        // The theme set, and the job: its lease, its place in the sweep and its progress.
        { actions: ['GetItem', 'UpdateItem'], leadingKeys: ['THEMES'] },
        // Every campaign, then each one's responses.
        { actions: ['Query'], index: 'GSI1', leadingKeys: ['CAMPAIGNS', 'CAMPAIGN#*#RESP'] },
        // A response's new tags (the stream moves the counts), and its feed keys where they are missing.
        { actions: ['UpdateItem'], leadingKeys: ['INV#*'] },
      ],
    },
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
 * Env var names the handlers read (see shared/aws/config.ts). A secret is given either directly
 * (`TOKEN_SECRET`, used by the local runtime and tests) or as a Secrets Manager ARN
 * (`TOKEN_SECRET_ARN`, set by the stack) that the handler reads again every few minutes.
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
  /**
   * The console's identity provider: the OIDC issuer whose ID tokens the API accepts (its JWKS at
   * `<issuer>/.well-known/jwks.json`, as Cognito and the local OIDC server both serve it) and the
   * console's client id, which must be the token's audience. Unset: only the API key signs in.
   */
  oidcIssuer: 'OIDC_ISSUER',
  oidcClientId: 'OIDC_CLIENT_ID',
  /** Where the console is served (links in alert e-mails point at its cases). */
  consoleUrl: 'CONSOLE_URL',
} as const;

/**
 * The service every log line and metric names (POWERTOOLS_SERVICE_NAME), and the default
 * CloudWatch namespace of the business metrics (POWERTOOLS_METRICS_NAMESPACE): the stack and
 * the local runtime both set them from here.
 */
export const serviceName = 'npsloop';
