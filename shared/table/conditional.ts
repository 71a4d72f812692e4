import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';

/**
 * Runs a conditioned update: true when it wrote, false when its condition no longer held (the
 * item is gone, or something moved under it). Any other failure is thrown.
 */
export const updateIfStill = async (command: UpdateCommand): Promise<boolean> => {
  try {
    await dynamo.send(command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};
