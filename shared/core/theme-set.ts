/**
 * What a comment theme is: an id, a name in each language, and keywords in each language. Kept
 * apart from the tagger (shared/core/themes.ts), so the contract, which a browser imports, does
 * not pull in the stemmers.
 */
import * as z from 'zod/mini';
import type { Locale } from '#shared/core/vocabulary';

export const ThemeId = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,31}$/, 'theme ids are lower-case letters, digits and _, starting with a letter'));
export type ThemeId = z.infer<typeof ThemeId>;

/** A word or a phrase of up to 5 words; a word may end in `*` (after at least 3 letters) to match every word it starts. */
export const Keyword = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.minLength(2),
  z.maxLength(60),
  z.regex(/^[\p{L}\p{N}'-]+\*?(?: [\p{L}\p{N}'-]+\*?)*$/u, "a keyword is words of letters, digits, - and ', one space apart, each with an optional * at its end"),
  z.refine((k) => k.split(' ').every((w) => !w.endsWith('*') || /\p{L}{3}\*$/u.test(w)), 'put * after at least 3 letters'),
  z.refine((k) => k.split(' ').length <= 5, 'a phrase has at most 5 words'),
);

const KeywordList = z.array(Keyword).check(z.maxLength(300));

const ThemeName = z.string().check(z.trim(), z.minLength(1), z.maxLength(60));

export const Theme = z.object({
  id: ThemeId,
  name: z.object({ en: ThemeName, ru: ThemeName }),
  keywords: z.object({ en: KeywordList, ru: KeywordList }),
});
export type Theme = z.infer<typeof Theme>;

export const MAX_THEMES = 30;

/** Whether two stored tag lists are the same themes in the same order (the tagger's order is the set's). */
export const sameThemes = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * The tagged theme ids with their names in one language, in the set's order; an id the set no
 * longer holds (removed, and not yet re-tagged away) shows as itself rather than disappearing.
 */
export const namedThemes = (ids: readonly string[], themes: readonly Theme[], locale: Locale): { id: string; name: string }[] =>
  ids.map((id) => ({ id, name: themes.find((t) => t.id === id)?.name[locale] ?? id }));
