import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { campaignInvitationId, newInvitationId, signToken, verifyToken } from '#shared/core/tokens';

const SECRET = 'test-secret-0123456789abcdef0123456789';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Every other spelling of a string's last base64url character. */
const otherLastCharacters = (text: string): string[] =>
  [...B64URL].filter((c) => c !== text.at(-1)).map((c) => `${text.slice(0, -1)}${c}`);

describe('invitation tokens', () => {
  it('carry at least 128 random bits in the id', () => {
    const id = newInvitationId();
    expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(new Set(Array.from({ length: 1000 }, newInvitationId)).size).toBe(1000);
  });

  it('derive one 128-bit id per address per campaign, which signs and verifies like a random one', () => {
    const id = campaignInvitationId('01JCAMPAIGN', 'contact-key-a');
    expect(campaignInvitationId('01JCAMPAIGN', 'contact-key-a')).toBe(id);
    expect(campaignInvitationId('01JCAMPAIGN', 'contact-key-b')).not.toBe(id);
    expect(campaignInvitationId('01JOTHER', 'contact-key-a')).not.toBe(id);
    // A campaign's salt changes every id: without it, nobody can work an id out from the campaign and the address
    expect(campaignInvitationId('01JCAMPAIGN', 'contact-key-a', 'salt-1')).not.toBe(id);
    expect(campaignInvitationId('01JCAMPAIGN', 'contact-key-a', 'salt-1')).toBe(campaignInvitationId('01JCAMPAIGN', 'contact-key-a', 'salt-1'));
    expect(campaignInvitationId('01JCAMPAIGN', 'contact-key-a', 'salt-2')).not.toBe(campaignInvitationId('01JCAMPAIGN', 'contact-key-a', 'salt-1'));
    expect(Buffer.from(id, 'base64url').length * 8).toBe(128);
    expect(verifyToken(SECRET, signToken(SECRET, id, 'survey'), 'survey')).toBe(id);
  });

  it('verify to their invitation id', () => {
    const id = newInvitationId();
    expect(verifyToken(SECRET, signToken(SECRET, id, 'survey'), 'survey')).toBe(id);
  });

  it('reject a token signed with another secret', () => {
    const id = newInvitationId();
    expect(verifyToken(SECRET, signToken('another-secret', id, 'survey'), 'survey')).toBeUndefined();
  });

  it('reject a token whose id was changed', () => {
    const token = signToken(SECRET, newInvitationId(), 'survey');
    const [, mac] = token.split('.');
    expect(verifyToken(SECRET, `${newInvitationId()}.${mac}`, 'survey')).toBeUndefined();
  });

  it.each(['', 'abc', 'a.b', 'a.b.c', '../../etc/passwd', `${'A'.repeat(22)}.${'B'.repeat(22)}`, '🙂.🙂'])(
    'reject malformed token %j',
    (token) => {
      expect(verifyToken(SECRET, token, 'survey')).toBeUndefined();
    },
  );

  it('accept only the canonical spelling: every other last character of the mac is refused', () => {
    const token = signToken(SECRET, newInvitationId(), 'survey');
    const spellings = otherLastCharacters(token);
    expect(spellings).toHaveLength(63);
    expect(spellings.filter((spelling) => verifyToken(SECRET, spelling, 'survey') !== undefined)).toEqual([]);
  });

  it('accept only the canonical spelling: every other last character of the id is refused', () => {
    const id = newInvitationId();
    const [, mac] = signToken(SECRET, id, 'survey').split('.');
    const spellings = otherLastCharacters(id).map((other) => `${other}.${mac}`);
    expect(spellings.filter((spelling) => verifyToken(SECRET, spelling, 'survey') !== undefined)).toEqual([]);
  });

  it('accept exactly one spelling of any signed id (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.constantFrom(...B64URL), (bytes, last) => {
        const id = Buffer.from(bytes).toString('base64url');
        const token = signToken(SECRET, id, 'survey');
        const altered = `${token.slice(0, -1)}${last}`;
        expect(verifyToken(SECRET, altered, 'survey') !== undefined).toBe(altered === token);
      }),
    );
  });

  it('serve one purpose each: a survey token does not unsubscribe, an unsubscribe token does not open the survey', () => {
    const id = newInvitationId();
    const survey = signToken(SECRET, id, 'survey');
    const unsubscribe = signToken(SECRET, id, 'unsubscribe');
    expect(unsubscribe).not.toBe(survey);
    expect(verifyToken(SECRET, survey, 'survey')).toBe(id);
    expect(verifyToken(SECRET, unsubscribe, 'unsubscribe')).toBe(id);
    expect(verifyToken(SECRET, survey, 'unsubscribe')).toBeUndefined();
    expect(verifyToken(SECRET, unsubscribe, 'survey')).toBeUndefined();
  });
});
