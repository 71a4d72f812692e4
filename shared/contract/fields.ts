/**
 * The fields the API's schemas are built from: one-line texts, segment names, days, pages.
 * Each resource's requests and answers are in its own file beside this one; api.ts lists the routes.
 */
import * as z from 'zod';
import { hasControlCharacters } from '#shared/core/control-characters';

// The product's words live in core; the contract speaks them too.
export { Channel, CloseReason, COMMENT_MAX, EmailAddress, FollowupStatus, Locale, locales, Role, roles, SCORE_MAX, Skip, SkipReason } from '#shared/core/vocabulary';

const NO_CONTROL_CHARACTERS = 'must not contain line breaks or control characters';

/** Text on one line (it can end up in an e-mail or alert subject): no line breaks, no control characters. */
export const oneLine = (max: number) => z.string().trim().max(max).refine((s) => !hasControlCharacters(s), NO_CONTROL_CHARACTERS);

/** Required text on one line. */
export const text = (max: number) => oneLine(max).pipe(z.string().min(1));

/**
 * Names every plain object inherits (`constructor`, `toString`, `__proto__`, ...). A segment or
 * attribute with one of these names would be read from the prototype instead of the data.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
export const reservedMessage = (name: string) => `"${name}" is reserved (every JavaScript object has it); choose another name`;

/** Segment attribute names: short identifiers, so they are safe inside keys and URLs, and never a reserved name. */
export const AttributeName = z
  .string()
  .superRefine((name, ctx) => {
    if (RESERVED_NAMES.has(name)) ctx.addIssue({ code: 'custom', message: reservedMessage(name) });
  })
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'segment names are letters, digits and _');

/** A whole number in a query string, written plainly: no blanks, signs, zeros in front, hex or exponents. */
export const queryInteger = z.string().regex(/^(?:0|[1-9][0-9]{0,8})$/, 'a whole number').transform(Number);

/** A UTC calendar day, YYYY-MM-DD. Month 13, Apr 31 or Feb 29 of a common year are refused, not read as an empty range. */
export const IsoDay = z.iso.date({ message: 'use a real calendar day, YYYY-MM-DD' });

export const PageQuery = z
  .object({ limit: queryInteger.pipe(z.number().int().min(1).max(100)).default(50), cursor: z.string().max(2000).optional() })
  .strict();

/** One page of a list, newest first; `nextCursor` (absent on the last page) asks for the next. */
export const page = <Item extends z.ZodType>(item: Item) => z.object({ items: z.array(item), nextCursor: z.string().optional() });
