import { describe, expect, it } from 'vitest';
import { screenRecipients, segmentValues } from '#shared/recipients';
import { contactKey } from '#shared/contacts';

describe('screenRecipients', () => {
  it('skips invalid e-mails and duplicates within the call, case-insensitively', () => {
    // GIVEN x, y, a bad address and X in upper case
    const { candidates, skipped } = screenRecipients({ segments: [] }, [
      { email: 'x@example.com' },
      { email: ' y@example.com ' },
      { email: 'not-an-email' },
      { email: 'X@Example.COM' },
      {},
    ]);
    // THEN two candidates, normalized, and each skip named with its index
    expect(candidates.map((c) => c.contact.email)).toEqual(['x@example.com', 'y@example.com']);
    expect(skipped).toEqual([
      { index: 2, reason: 'invalid_email' },
      { index: 3, reason: 'duplicate' },
      { index: 4, reason: 'invalid_email' },
    ]);
  });

  it('keys contacts by a hash, never by the address itself', () => {
    const { candidates } = screenRecipients({ segments: [] }, [{ email: 'x@example.com' }]);
    expect(candidates[0]?.contactKey).toBe(contactKey('email', 'x@example.com'));
    expect(candidates[0]?.contactKey).not.toContain('example');
  });

  it('captures only the campaign segments, as strings', () => {
    expect(segmentValues(['plan', 'region'], { plan: 'pro', seats: 5, region: 'eu' })).toEqual({ plan: 'pro', region: 'eu' });
    expect(segmentValues(['plan'], { paid: true })).toEqual({ plan: '(none)' });
  });
});
