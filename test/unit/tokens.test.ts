import { describe, expect, it } from 'vitest';
import { newInvitationId, signToken, verifyToken } from '#shared/tokens';

const SECRET = 'test-secret-0123456789abcdef0123456789';

describe('invitation tokens', () => {
  it('carry at least 128 random bits in the id', () => {
    const id = newInvitationId();
    expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(new Set(Array.from({ length: 1000 }, newInvitationId)).size).toBe(1000);
  });

  it('verify to their invitation id', () => {
    const id = newInvitationId();
    expect(verifyToken(SECRET, signToken(SECRET, id))).toBe(id);
  });

  it('reject a token signed with another secret', () => {
    const id = newInvitationId();
    expect(verifyToken(SECRET, signToken('another-secret', id))).toBeUndefined();
  });

  it('reject a token whose id was changed', () => {
    const token = signToken(SECRET, newInvitationId());
    const [, mac] = token.split('.');
    expect(verifyToken(SECRET, `${newInvitationId()}.${mac}`)).toBeUndefined();
  });

  it.each(['', 'abc', 'a.b', 'a.b.c', '../../etc/passwd', `${'A'.repeat(22)}.${'B'.repeat(22)}`, '🙂.🙂'])(
    'reject malformed token %j',
    (token) => {
      expect(verifyToken(SECRET, token)).toBeUndefined();
    },
  );
});
