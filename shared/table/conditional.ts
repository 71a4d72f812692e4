import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';

/**
 * Runs a conditioned update (or put): true when it wrote, false when its condition no longer held
 * (the item is gone, already there, or something moved under it). Any other failure is thrown.
 */
export const updateIfStill = async (command: UpdateCommand | PutCommand): Promise<boolean> => {
  try {
    await (command instanceof PutCommand ? dynamo.send(command) : dynamo.send(command));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};
