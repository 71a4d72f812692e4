import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperationsAlarms } from '#infra/alarms';
import type { QueueDeclaration } from '#shared/contract/wiring';

/** The longest SQS keeps a message: dead letters wait this long for someone to look at them. */
const deadLetterRetention = Duration.days(14);

/** Every npsloop queue is encrypted (SSE-SQS, no key to manage) and refuses non-TLS requests. */
export const secureQueue = (scope: Construct, id: string, props: QueueProps = {}): Queue =>
  new Queue(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });

/** A queue that only collects failures: kept 14 days and alarmed on its first message. */
export const failureQueue = (
  scope: Construct,
  id: string,
  alarms: OperationsAlarms,
  description: string,
): Queue => {
  const queue = secureQueue(scope, id, { retentionPeriod: deadLetterRetention });
  alarms.onAnyMessage(scope, `${id}Alarm`, queue, description);
  return queue;
};

export interface WorkQueueProps {
  readonly declaration: QueueDeclaration;
  /** Must cover every retry of a batch by the consumer; wiring.ts computes it (≥ 6× its timeout). */
  readonly visibilityTimeout: Duration;
  readonly alarms: OperationsAlarms;
}

/** A work queue from the wiring declaration, with its dead-letter queue and the DLQ's alarm. */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetters = failureQueue(
      this,
      'DeadLetters',
      props.alarms,
      `npsloop ${id}: a message failed ${props.declaration.maxReceiveCount} times and was dead-lettered`,
    );
    this.queue = secureQueue(this, 'Queue', {
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.declaration.maxReceiveCount },
    });
  }
}
