/**
 * Business counts as CloudWatch metrics, written as EMF log lines that CloudWatch turns into
 * metrics: no API call, no IAM grant. The namespace comes from POWERTOOLS_METRICS_NAMESPACE,
 * which the stack's one function construct and the local runtime set; handlers flush with
 * Powertools' `logMetrics` middleware. A dimension never carries personal data, an id or free
 * text: the channel is the only one, so each metric has at most two series per service.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Channel } from '#shared/core/vocabulary';
import { logger } from '#shared/aws/logger';
import { serviceName } from '#shared/contract/wiring';

/**
 * What is counted, each where its effect commits, so that a redelivered message or a retried
 * batch, which commits nothing new, counts nothing new:
 * - Invitations{Sent,Failed,Suppressed,Withdrawn}: an invitation settled, by channel: sent, failed
 *   for good, suppressed (an earlier bounce or complaint) or withdrawn (the contact opted out).
 * - AnswersRecorded: an answer stored from a survey page or an SMS reply, by channel; an edit counts again.
 * - Detractors: a detractor's follow-up case opened, once per invitation whose response became one.
 * - AlertsPublished: a manager alert on the alerts topic (a new detractor or an overdue case).
 * - OverdueCasesEscalated: an open case past its due time, alerted again (once).
 */
export type BusinessEvent =
  | 'InvitationsSent'
  | 'InvitationsFailed'
  | 'InvitationsSuppressed'
  | 'InvitationsWithdrawn'
  | 'AnswersRecorded'
  | 'Detractors'
  | 'AlertsPublished'
  | 'OverdueCasesEscalated'
  | 'RepliesSent';

// Powertools warns on every invocation that counted nothing, which most requests here are; that
// notice is debug. Its other warnings (a bad dimension, a missing namespace) stay warnings.
const diagnostics = {
  debug: (...content: unknown[]) => logger.debug(String(content[0] ?? '')),
  info: (...content: unknown[]) => logger.info(String(content[0] ?? '')),
  warn: (...content: unknown[]) => {
    const message = String(content[0] ?? '');
    if (message.startsWith('No application metrics to publish')) logger.debug(message);
    else logger.warn(message);
  },
  error: (...content: unknown[]) => logger.error(String(content[0] ?? '')),
};

/** The one Metrics instance; `logMetrics(metrics)` on each handler writes what an invocation counted. */
export const metrics = new Metrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName, logger: diagnostics });

/**
 * Counts one business event. With a channel the count is written at once as its own EMF line
 * (Powertools' single metric), since one batch can hold e-mail and SMS invitations and one EMF
 * line has one set of dimensions; without one it joins the invocation's line.
 */
export const count = (event: BusinessEvent, channel?: Channel): void => {
  if (channel === undefined) {
    metrics.addMetric(event, MetricUnit.Count, 1);
    return;
  }
  metrics.singleMetric().addDimension('channel', channel).addMetric(event, MetricUnit.Count, 1);
};
