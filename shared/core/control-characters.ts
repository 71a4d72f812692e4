/**
 * Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. None belongs in
 * one line of text, and a line break in a brand or name would reach an e-mail or alert subject.
 */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const CONTROL_RUNS = /[\p{Cc}\u2028\u2029]+/gu;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** The text as one line: every run of control characters becomes a space, and the ends are trimmed. */
export const asOneLine = (text: string): string => text.replace(CONTROL_RUNS, ' ').replace(/ {2,}/g, ' ').trim();
