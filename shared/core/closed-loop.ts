/**
 * Closing the loop on detractors, as pure rules: which assignment rule takes a new case, and the
 * closed-loop figures over a set of cases. The caller reads the cases and passes the clock.
 */

/** What the figures read of a case. */
export interface CaseTimes {
  readonly createdAt: string;
  readonly status: string;
  readonly firstActionAt?: string | undefined;
  readonly closedAt?: string | undefined;
  /** Set when someone replied to the customer. */
  readonly contactedAt?: string | undefined;
}

export interface ClosedLoopFigures {
  readonly cases: number;
  readonly contacted: number;
  readonly contactedShare: number | null;
  readonly medianMinutesToFirstAction: number | null;
  readonly closed: number;
  readonly closedWithinSla: number;
  readonly closedWithinSlaShare: number | null;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/** The middle value (the mean of the two middle values for an even count); null for none. */
export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

/**
 * A case counts as contacted once someone replied to the customer or moved it past open; the
 * time to first action is measured on the cases someone acted on; a case is closed within the
 * SLA when it closed no later than `slaHours` after it opened. Minutes are rounded to one decimal.
 */
export const closedLoopFigures = (cases: readonly CaseTimes[], slaHours: number): ClosedLoopFigures => {
  const contacted = cases.filter((c) => c.contactedAt !== undefined || c.status !== 'open').length;
  const firstActions = cases.flatMap((c) => (c.firstActionAt ? [minutesBetween(c.createdAt, c.firstActionAt)] : []));
  const closed = cases.filter((c) => c.status === 'closed');
  const withinSla = closed.filter((c) => c.closedAt !== undefined && minutesBetween(c.createdAt, c.closedAt) <= slaHours * 60).length;
  const middle = median(firstActions);
  return {
    cases: cases.length,
    contacted,
    contactedShare: share(contacted, cases.length),
    medianMinutesToFirstAction: middle === null ? null : Math.round(middle * 10) / 10,
    closed: closed.length,
    closedWithinSla: withinSla,
    closedWithinSlaShare: share(withinSla, cases.length),
  };
};

export interface AssignmentRule {
  readonly attribute: string;
  readonly value: string;
  readonly assignee: string;
}

/** The assignee of a new case: the first rule whose segment value equals the answer's (exactly), if any. */
export const assigneeFor = (rules: readonly AssignmentRule[], segments: Readonly<Record<string, string>>): string | undefined =>
  rules.find((rule) => Object.hasOwn(segments, rule.attribute) && segments[rule.attribute] === rule.value)?.assignee;
