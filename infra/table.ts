import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { table as declaration } from '#shared/contract/wiring';

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The single table, shaped by the wiring declaration: keys, indexes, TTL attribute and stream.
 * Point-in-time recovery is always on; `retain` (false only for dev stacks) adds deletion
 * protection and keeps the table when the stack is deleted.
 */
export const createTable = (scope: Construct, id: string, { retain }: { readonly retain: boolean }): Table => {
  const table = new Table(scope, id, {
    partitionKey: stringKey(declaration.partitionKey),
    sortKey: stringKey(declaration.sortKey),
    billingMode: BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: declaration.timeToLiveAttribute,
    stream: StreamViewType[declaration.stream],
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: retain,
    removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  for (const index of declaration.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      // Index queries return whole items (lists of campaigns, follow-ups), so no second read.
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
};
