/** Object.entries that keeps the key type of a Record keyed by a string union (the wiring's names). */
export const typedEntries = <K extends string, V>(record: Readonly<Record<K, V>>): [K, V][] =>
  Object.entries(record) as [K, V][];
