import { Logger } from '@aws-lambda-powertools/logger';
import { serviceName } from '#shared/contract/wiring';

/**
 * One logger for every function. Never pass it emails, phones, names or comment text: log ids,
 * counts and codes only. Each handler's `injectLambdaContext(logger)` adds the request id and
 * the cold-start flag to every line.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
