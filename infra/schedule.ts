import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';

/**
 * The EventBridge schedule for a wiring `rateSeconds`. A rate expression counts whole minutes,
 * at least one, so any other rate is refused here, with the function's name, rather than
 * rounded by CDK or turned down later by EventBridge.
 */
export function rateSchedule(functionName: string, rateSeconds: number): Schedule {
  if (!Number.isInteger(rateSeconds) || rateSeconds < 60 || rateSeconds % 60 !== 0) {
    throw new Error(
      `${functionName}: a schedule's rateSeconds must be a whole number of minutes, at least 60 ` +
        `(EventBridge rate expressions count minutes); got ${rateSeconds}`,
    );
  }
  return Schedule.rate(Duration.seconds(rateSeconds));
}
