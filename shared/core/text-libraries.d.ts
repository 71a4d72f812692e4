// natural's stemmers are imported one file each, so a Lambda bundles ~10 KB of it, not the whole package;
// these two libraries ship no types of their own.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const stemmer: { stem(word: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_ru.js' {
  const stemmer: { stem(word: string): string };
  export default stemmer;
}
declare module 'damerau-levenshtein' {
  const damerauLevenshtein: (a: string, b: string, limit?: number) => { steps: number; relative: number; similarity: number };
  export default damerauLevenshtein;
}
