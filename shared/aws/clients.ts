import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

// Module-scope singletons: created once per cold start, reused by every invocation. Endpoints
// come from the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, so there is no local branch.
// Each is marked pure so a bundle keeps only the clients its function uses: a function that
// never texts carries no SNS client (21–62 KB minified each; test/infra/app.test.ts checks).
/** The base client: the document client below wraps it, Powertools idempotency uses it as is. */
export const dynamoClient = /* @__PURE__ */ new DynamoDBClient({});
export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
export const sqs = /* @__PURE__ */ new SQSClient({});
export const sns = /* @__PURE__ */ new SNSClient({});
// SES throttling (TooManyRequests, LimitExceeded, Throttling…) is the SDK's to retry: three tries
// with full-jitter backoff, and adaptive mode slows this client down while SES keeps refusing.
export const ses = /* @__PURE__ */ new SESv2Client({ maxAttempts: 3, retryMode: 'adaptive' });
