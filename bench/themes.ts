/**
 * `npm run bench themes`: how well the default themes tag the labelled comments in
 * test/fixtures/themes (precision, recall and F1 per theme and language, and macro-F1, the mean
 * of the themes' F1), what the tagger gets wrong, and what the tagger adds to a Lambda bundle.
 */
import { build } from 'esbuild';
import { defaultThemes } from '#shared/core/default-themes';
import { compileTagger, type Theme } from '#shared/core/themes';
import type { Locale } from '#shared/core/vocabulary';
import { labelledComments, type LabelledComment } from '#test/fixtures/themes/labelled';
import type { Figure } from './figures.ts';

export interface ThemeScore {
  readonly theme: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface TaggingError {
  readonly text: string;
  readonly missed: string[];
  readonly extra: string[];
  /** The keywords behind the extra themes. */
  readonly because: string[];
}

export interface Evaluation {
  readonly language: Locale;
  readonly themes: ThemeScore[];
  readonly macroF1: number;
  readonly errors: TaggingError[];
}

/** Scores a theme set on labelled comments: each theme is a yes/no call on each comment. */
export const evaluate = (themes: readonly Theme[], language: Locale, comments: readonly LabelledComment[]): Evaluation => {
  const tagger = compileTagger(themes);
  const counts = new Map(themes.map((t) => [t.id, { tp: 0, fp: 0, fn: 0 }]));
  const errors: TaggingError[] = [];
  for (const comment of comments) {
    const tagging = tagger.tag(comment.text, language);
    const found = new Set(tagging.themes);
    const expected = new Set(comment.themes);
    for (const [id, c] of counts) {
      if (found.has(id) && expected.has(id)) c.tp += 1;
      else if (found.has(id)) c.fp += 1;
      else if (expected.has(id)) c.fn += 1;
    }
    const missed = [...expected].filter((t) => !found.has(t));
    const extra = [...found].filter((t) => !expected.has(t));
    const because = tagging.evidence.filter((e) => extra.includes(e.theme)).map((e) => `${e.words}→${e.keyword}`);
    if (missed.length || extra.length) errors.push({ text: comment.text, missed, extra, because });
  }
  const scores = [...counts].map(([theme, { tp, fp, fn }]) => {
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { theme, precision, recall, f1, support: tp + fn };
  });
  const macroF1 = scores.reduce((sum, s) => sum + s.f1, 0) / scores.length;
  return { language, themes: scores, macroF1, errors };
};

const pct = (x: number) => x.toFixed(2);

const evaluationTable = (e: Evaluation, title: string): string =>
  [
    `${title}: theme            precision  recall   F1  comments`,
    ...e.themes.map((s) => `    ${s.theme.padEnd(20)} ${pct(s.precision).padStart(6)} ${pct(s.recall).padStart(7)} ${pct(s.f1).padStart(5)} ${String(s.support).padStart(6)}`),
    `    ${'macro-F1'.padEnd(20)} ${''.padStart(6)} ${''.padStart(7)} ${pct(e.macroF1).padStart(5)}`,
    `    wrong on ${e.errors.length} comments:`,
    ...e.errors.map((x) => `      ${JSON.stringify(x.text)}${x.missed.length ? ` missed ${x.missed.join(',')}` : ''}${x.extra.length ? ` extra ${x.extra.join(',')} (${x.because.join('; ')})` : ''}`),
  ].join('\n');

/** Minified bytes the tagger (stemmers, distance, default themes) adds to a bundle. */
const taggerBytes = async (): Promise<number> => {
  const out = await build({
    stdin: { contents: "export { compileTagger } from '#shared/core/themes'; export { defaultThemes } from '#shared/core/default-themes';", resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    write: false,
    external: ['zod'],
  });
  return out.outputFiles[0]?.contents.length ?? 0;
};

export const themeBenchmark = async (): Promise<{ figures: Figure[]; table: string }> => {
  const evaluations = (['en', 'ru'] as const).map((language) => evaluate(defaultThemes, language, labelledComments(language)));
  const holdout = (['en', 'ru'] as const).map((language) => evaluate(defaultThemes, language, labelledComments(language, 'holdout')));
  const figures: Figure[] = evaluations.flatMap((e) => [
    { name: `themes ${e.language} macro-F1`, value: Number(e.macroF1.toFixed(3)), unit: `(${labelledComments(e.language).length} comments)` },
    { name: `themes ${e.language} comments tagged wrong`, value: e.errors.length, unit: 'comments' },
  ]);
  for (const e of holdout) {
    figures.push({ name: `themes ${e.language} macro-F1 on the hold-out set`, value: Number(e.macroF1.toFixed(3)), unit: `(${labelledComments(e.language, 'holdout').length} comments)` });
  }
  figures.push({ name: 'tagger bundle size (minified, zod excluded)', value: Math.round((await taggerBytes()) / 1024), unit: 'KB' });
  const tables = [...evaluations.map((e) => evaluationTable(e, e.language)), ...holdout.map((e) => evaluationTable(e, `${e.language} hold-out`))];
  return { figures, table: tables.join('\n\n') };
};
