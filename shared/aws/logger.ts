import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every function. Never pass it emails, phones, names or comment text: log ids,
 * counts and codes only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'npsloop' });
