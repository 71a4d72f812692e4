import {
  CreateTableCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queues, table, topics, visibilityTimeoutSeconds, type QueueName, type TopicName } from '#shared/contract/wiring';
import { CONTACT_BLOCKS_MIGRATION, keys } from '#shared/table/items';
import { queueUrlOnEndpoint } from './services/fauxqs.ts';
import { typedEntries } from './typed-entries.ts';

/** Creates in the local services what the CDK stack creates in AWS, from the same declaration. */

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export interface LocalMessaging {
  readonly queues: Readonly<Record<QueueName, LocalQueue & { readonly deadLetterQueue: LocalQueue }>>;
  readonly topics: Readonly<Record<TopicName, { readonly arn: string }>>;
}

export async function createLocalQueue(
  sqs: SQSClient,
  endpoint: string,
  name: string,
  attributes: Record<string, string> = {},
): Promise<LocalQueue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue returned no URL for ${name}`);
  const url = queueUrlOnEndpoint(QueueUrl, endpoint);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`GetQueueAttributes returned no ARN for ${name}`);
  return { name, url, arn };
}

/** Every declared queue with its dead-letter queue, and every declared topic. */
export async function provisionMessaging(sqs: SQSClient, sns: SNSClient, endpoint: string): Promise<LocalMessaging> {
  const queueEntries = await Promise.all(
    typedEntries(queues).map(async ([name, declaration]) => {
      const deadLetterQueue = await createLocalQueue(sqs, endpoint, `${name}-dlq`);
      const queue = await createLocalQueue(sqs, endpoint, name, {
        VisibilityTimeout: String(visibilityTimeoutSeconds(name)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: declaration.maxReceiveCount }),
      });
      return [name, { ...queue, deadLetterQueue }] as const;
    }),
  );
  const topicEntries = await Promise.all(
    typedEntries(topics).map(async ([name]) => {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
      if (TopicArn === undefined) throw new Error(`CreateTopic returned no ARN for ${name}`);
      return [name, { arn: TopicArn }] as const;
    }),
  );
  return {
    queues: Object.fromEntries(queueEntries) as LocalMessaging['queues'],
    topics: Object.fromEntries(topicEntries) as LocalMessaging['topics'],
  };
}

/** The single table: string keys, its indexes, on-demand billing, a stream, TTL on. */
export async function provisionTable(ddb: DynamoDBClient, tableName: string): Promise<{ streamArn: string }> {
  const keyNames = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  const attributeDefinitions: AttributeDefinition[] = [...new Set(keyNames)].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  const { TableDescription } = await ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions,
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    }),
  );
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
    }),
  );
  // A new table holds no opt-out written before contacts were stamped: nothing for that migration to do.
  await ddb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { PK: { S: keys.migration(CONTACT_BLOCKS_MIGRATION).PK }, SK: { S: CONTACT_BLOCKS_MIGRATION }, doneAt: { S: new Date().toISOString() }, via: { S: 'new table' } },
    }),
  );
  const streamArn = TableDescription?.LatestStreamArn;
  if (streamArn === undefined) throw new Error(`CreateTable returned no stream ARN for ${tableName}`);
  return { streamArn };
}
