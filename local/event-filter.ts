import * as z from 'zod';

/**
 * Lambda event filtering (FilterCriteria) for the subset npsloop declares: a pattern is a
 * nested object whose leaves are arrays of allowed exact values. A record passes a pattern
 * when every leaf of the pattern finds its field in the record with one of the allowed values
 * (for an array field, any element may match); a record passes the criteria when it passes any
 * pattern, and no patterns means every record passes. Content filters (prefix, numeric,
 * exists, anything-but, ...) are rejected up front rather than silently mismatched.
 */

type ExactValue = string | number | boolean | null;
export interface FilterPattern {
  readonly [field: string]: FilterPattern | readonly ExactValue[];
}

const exactValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'the local runtime supports exact-value filters only (no prefix, numeric, exists, anything-but)',
});
const filterPattern: z.ZodType<FilterPattern> = z.lazy(() =>
  z.record(z.string(), z.union([z.array(exactValue).min(1), filterPattern])),
);

export type RecordFilter = (record: unknown) => boolean;

/** Validates the declared patterns once and returns the predicate Lambda would apply. */
export function compileFilter(patterns: readonly object[]): RecordFilter {
  const compiled = patterns.map((pattern, index) => {
    const parsed = filterPattern.safeParse(pattern);
    if (!parsed.success) {
      throw new Error(`Unsupported filter pattern #${index}: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  });
  if (compiled.length === 0) return () => true;
  return (record) => compiled.some((pattern) => matchesPattern(pattern, record));
}

function matchesPattern(pattern: FilterPattern, value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    if (!Object.hasOwn(value, field)) return false;
    const actual = value[field];
    return isAllowedValues(expected) ? matchesExactValues(expected, actual) : matchesPattern(expected, actual);
  });
}

function isAllowedValues(expected: FilterPattern | readonly ExactValue[]): expected is readonly ExactValue[] {
  return Array.isArray(expected);
}

const matchesExactValues = (allowed: readonly ExactValue[], actual: unknown): boolean => {
  const isAllowed = (candidate: unknown) => allowed.some((value) => value === candidate);
  return Array.isArray(actual) ? actual.some(isAllowed) : isAllowed(actual);
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
