import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

// Module-scope singletons: created once per cold start, reused by every invocation. Endpoints
// come from the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, so there is no local branch.
/** The base client: the document client below wraps it, Powertools idempotency uses it as is. */
export const dynamoClient = new DynamoDBClient({});
export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
export const sqs = new SQSClient({});
export const sns = new SNSClient({});
// SES throttling (TooManyRequests, LimitExceeded, Throttling…) is the SDK's to retry: three tries
// with full-jitter backoff, and adaptive mode slows this client down while SES keeps refusing.
export const ses = new SESv2Client({ maxAttempts: 3, retryMode: 'adaptive' });
