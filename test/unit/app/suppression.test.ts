import { describe, expect, it } from 'vitest';
import { SesEvent, suppressionsOf } from '#shared/app/suppression';

const bounce = (bounceType: string, ...emails: string[]) =>
  SesEvent.parse({ eventType: 'Bounce', bounce: { bounceType, bouncedRecipients: emails.map((emailAddress) => ({ emailAddress })) } });

describe('suppressionsOf', () => {
  it('suppresses every recipient of a permanent bounce, normalized', () => {
    expect(suppressionsOf(bounce('Permanent', 'A@Example.com', 'b@example.com'))).toEqual([
      { email: 'a@example.com', reason: 'bounce' },
      { email: 'b@example.com', reason: 'bounce' },
    ]);
  });

  it('ignores a transient bounce', () => {
    expect(suppressionsOf(bounce('Transient', 'a@example.com'))).toEqual([]);
  });

  it('suppresses a complainer', () => {
    const event = SesEvent.parse({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'c@example.com' }] } });
    expect(suppressionsOf(event)).toEqual([{ email: 'c@example.com', reason: 'complaint' }]);
  });

  it('ignores deliveries and addresses it cannot read', () => {
    expect(suppressionsOf(SesEvent.parse({ eventType: 'Delivery' }))).toEqual([]);
    expect(suppressionsOf(bounce('Permanent', 'not an address'))).toEqual([]);
  });
});
