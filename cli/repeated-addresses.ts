import { normalizeEmail } from '#shared/core/contacts';
import { normalizePhone } from '#shared/core/phones';
import type { RecipientInput } from '#shared/contract/recipients';

/**
 * Which earlier line of the file a row repeats, so a `duplicate` skip can name it. Addresses
 * are compared as the API keys contacts: the e-mail trimmed and lower-cased, the phone in
 * E.164 through the same libphonenumber rules. The CLI does not know the campaign's channel
 * or default country, so a row is looked up by e-mail, then by phone, and a phone without a +
 * that the API reads in the campaign's country is compared by its digits.
 */
export interface RepeatedAddresses {
  /** Notes the row's addresses; the first line to use an address keeps it. */
  see(line: number, recipient: RecipientInput): void;
  /** The first line before `line` with the same address, if any. */
  earlierLineOf(line: number, recipient: RecipientInput): number | undefined;
}

const addressKeys = (recipient: RecipientInput): string[] => {
  const keys: string[] = [];
  if (recipient.email !== undefined) keys.push(`email:${normalizeEmail(recipient.email) ?? recipient.email.trim().toLowerCase()}`);
  if (recipient.phone !== undefined) keys.push(`phone:${normalizePhone(recipient.phone)?.e164 ?? recipient.phone.replace(/[^\d+]/g, '')}`);
  return keys;
};

export const repeatedAddresses = (): RepeatedAddresses => {
  const firstLine = new Map<string, number>();
  return {
    see: (line, recipient) => {
      for (const key of addressKeys(recipient)) if (!firstLine.has(key)) firstLine.set(key, line);
    },
    earlierLineOf: (line, recipient) => {
      for (const key of addressKeys(recipient)) {
        const first = firstLine.get(key);
        if (first !== undefined && first < line) return first;
      }
      return undefined;
    },
  };
};

/** What a `duplicate` skip means for this row: it repeats an earlier line, or the contact was added by an earlier import. */
export const duplicateDetail = (earlierLine: number | undefined): string =>
  earlierLine === undefined ? 'already in the campaign' : `same address as line ${earlierLine}`;
