import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Invitation tokens: `<id>.<mac>`. The id is 128 bits and is also the invitation's key (derived
 * from the campaign's random salt and the address, see campaignInvitationId; random for
 * invitations imported before that); the mac is HMAC-SHA256(secret, purpose:id) truncated to 128 bits. A token is accepted only
 * when its mac verifies in constant time, so tokens cannot be guessed or enumerated, and a forged
 * token is rejected before any lookup. Each token serves one purpose: the survey link cannot
 * unsubscribe, and the unsubscribe link (handed to mailbox providers in List-Unsubscribe)
 * cannot read or change the answer.
 */
const ID_BYTES = 16;
const MAC_BYTES = 16;
const B64 = /^[A-Za-z0-9_-]+$/;
const ID_LENGTH = Math.ceil((ID_BYTES * 4) / 3);
const MAC_LENGTH = Math.ceil((MAC_BYTES * 4) / 3);

const mac = (secret: string, id: string, purpose: TokenPurpose): Buffer =>
  createHmac('sha256', secret).update(`${purpose}:${id}`).digest().subarray(0, MAC_BYTES);

export const newInvitationId = (): string => randomBytes(ID_BYTES).toString('base64url');

/** A campaign's invitation salt: 128 random bits, stored on the campaign and never shown. */
export const newInvitationSalt = (): string => randomBytes(ID_BYTES).toString('base64url');

/**
 * The one invitation id an address can have in a campaign (128 bits of SHA-256 over the
 * campaign's random salt, its id and the address's contact key), so the invitation item itself is
 * the once-per-campaign guard: creating it twice fails its `attribute_not_exists` condition. The
 * salt keeps the id as unpredictable as a random one: without it nobody can tell from a link
 * whose it is. (Campaigns made before salts had none; their ids are the same hash without one.)
 * A token is still accepted only with the HMAC of its id, which takes the token secret.
 */
export const campaignInvitationId = (campaignId: string, contactKey: string, salt?: string): string =>
  createHash('sha256')
    .update(salt === undefined ? `invitation:${campaignId}:${contactKey}` : `invitation:${salt}:${campaignId}:${contactKey}`)
    .digest()
    .subarray(0, ID_BYTES)
    .toString('base64url');

export type TokenPurpose = 'survey' | 'unsubscribe';

export const signToken = (secret: string, id: string, purpose: TokenPurpose): string =>
  `${id}.${mac(secret, id, purpose).toString('base64url')}`;

/**
 * The bytes of a base64url part, only when `text` is their one canonical spelling: the decoder
 * ignores the unused low bits of the last character, so without this check 16 spellings of
 * every token would be accepted.
 */
const canonicalBytes = (text: string, length: number, bytes: number): Buffer | undefined => {
  if (text.length !== length || !B64.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64url');
  return decoded.length === bytes && decoded.toString('base64url') === text ? decoded : undefined;
};

/** The invitation id inside a valid token of this purpose, or undefined for anything forged, malformed or non-canonical. */
export const verifyToken = (secret: string, token: string, purpose: TokenPurpose): string | undefined => {
  const [id, given, ...rest] = token.split('.');
  if (rest.length > 0 || id === undefined || given === undefined) return undefined;
  const actual = canonicalBytes(given, MAC_LENGTH, MAC_BYTES);
  if (!actual || !canonicalBytes(id, ID_LENGTH, ID_BYTES)) return undefined;
  return timingSafeEqual(actual, mac(secret, id, purpose)) ? id : undefined;
};
