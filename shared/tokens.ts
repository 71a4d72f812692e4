import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Invitation tokens: `<id>.<mac>`. The id is 128 random bits (it is also the invitation's key);
 * the mac is HMAC-SHA256(secret, id) truncated to 128 bits. A token is accepted only when its
 * mac verifies in constant time, so ids cannot be guessed or enumerated, and a forged token is
 * rejected before any lookup.
 */
const ID_BYTES = 16;
const MAC_BYTES = 16;
const B64 = /^[A-Za-z0-9_-]+$/;
const ID_LENGTH = Math.ceil((ID_BYTES * 4) / 3);
const MAC_LENGTH = Math.ceil((MAC_BYTES * 4) / 3);

const mac = (secret: string, id: string, purpose: string): Buffer =>
  createHmac('sha256', secret).update(`${purpose}:${id}`).digest().subarray(0, MAC_BYTES);

export const newInvitationId = (): string => randomBytes(ID_BYTES).toString('base64url');

export type TokenPurpose = 'survey';

export const signToken = (secret: string, id: string, purpose: TokenPurpose = 'survey'): string =>
  `${id}.${mac(secret, id, purpose).toString('base64url')}`;

/** The invitation id inside a valid token, or undefined for anything forged or malformed. */
export const verifyToken = (secret: string, token: string, purpose: TokenPurpose = 'survey'): string | undefined => {
  const [id, given, ...rest] = token.split('.');
  if (rest.length > 0 || !id || !given) return undefined;
  if (id.length !== ID_LENGTH || given.length !== MAC_LENGTH || !B64.test(id) || !B64.test(given)) return undefined;
  const expected = mac(secret, id, purpose);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length) return undefined;
  return timingSafeEqual(actual, expected) ? id : undefined;
};
