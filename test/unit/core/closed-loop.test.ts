import { describe, expect, it } from 'vitest';
import { assigneeFor, closedLoopFigures, median } from '#shared/core/closed-loop';

/** The closed-loop figures and assignment rules, as pure rules. */
const opened = '2026-12-01T10:00:00.000Z';
const after = (minutes: number) => new Date(Date.parse(opened) + minutes * 60_000).toISOString();

describe('closedLoopFigures', () => {
  it('has no shares and no median without cases', () => {
    expect(closedLoopFigures([], 48)).toEqual({
      cases: 0,
      contacted: 0,
      contactedShare: null,
      medianMinutesToFirstAction: null,
      closed: 0,
      closedWithinSla: 0,
      closedWithinSlaShare: null,
    });
  });

  it('counts a case contacted once it was replied to or moved past open', () => {
    const figures = closedLoopFigures(
      [
        { createdAt: opened, status: 'open' },
        { createdAt: opened, status: 'open', contactedAt: after(5), firstActionAt: after(5) },
        { createdAt: opened, status: 'contacted', firstActionAt: after(10) },
        { createdAt: opened, status: 'closed', firstActionAt: after(30), closedAt: after(30) },
      ],
      48,
    );
    expect(figures).toMatchObject({ cases: 4, contacted: 3, contactedShare: 0.75 });
  });

  it('takes the median time to first action over the cases acted on only', () => {
    const figures = closedLoopFigures(
      [
        { createdAt: opened, status: 'open' },
        { createdAt: opened, status: 'contacted', firstActionAt: after(10) },
        { createdAt: opened, status: 'contacted', firstActionAt: after(20) },
      ],
      48,
    );
    expect(figures.medianMinutesToFirstAction).toBe(15);
  });

  it('shares closed within the SLA over all cases, the SLA hour itself included', () => {
    const figures = closedLoopFigures(
      [
        { createdAt: opened, status: 'closed', closedAt: after(48 * 60) },
        { createdAt: opened, status: 'closed', closedAt: after(48 * 60 + 1) },
        { createdAt: opened, status: 'open' },
        { createdAt: opened, status: 'contacted' },
      ],
      48,
    );
    expect(figures).toMatchObject({ closed: 2, closedWithinSla: 1, closedWithinSlaShare: 0.25 });
  });
});

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('assigneeFor', () => {
  const rules = [
    { attribute: 'plan', value: 'enterprise', assignee: 'olga@example.com' },
    { attribute: 'region', value: 'EU', assignee: 'jan@example.com' },
    { attribute: 'plan', value: 'enterprise', assignee: 'later@example.com' },
  ];

  it('takes the first rule whose segment value matches', () => {
    expect(assigneeFor(rules, { region: 'EU', plan: 'enterprise' })).toBe('olga@example.com');
    expect(assigneeFor(rules, { region: 'EU', plan: 'basic' })).toBe('jan@example.com');
  });

  it('assigns nobody when no rule matches, exactly and case by case', () => {
    expect(assigneeFor(rules, { plan: 'Enterprise' })).toBeUndefined();
    expect(assigneeFor(rules, {})).toBeUndefined();
  });

  it('never matches a name every object inherits', () => {
    expect(assigneeFor([{ attribute: 'constructor', value: 'x', assignee: 'a@example.com' }], {})).toBeUndefined();
  });
});
