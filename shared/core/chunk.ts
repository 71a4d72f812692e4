/** Splits a list into runs of at most `size` (DynamoDB and SQS batch limits). */
export const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
