/**
 * What the recipients upload says about a file it cannot use, or a row it leaves out, in the
 * console's language: the CSV rules (cli/csv-records.ts, cli/recipient-rows.ts) give the reasons as
 * data, and these put them in words. The skipped-rows file carries the same words.
 */
import type { FileProblem, RowIssue } from './csv-upload.ts';
import { formatCount } from './format.ts';
import { locale, t } from './i18n.ts';

const n = (value: number) => formatCount(value, locale.value);

export const refusal = (problem: FileProblem): string => {
  switch (problem.kind) {
    case 'empty':
      return t('upload.empty');
    case 'syntax':
      return t('upload.syntax', { line: problem.line, message: t(`upload.syntax.${problem.reason.kind}`, problem.reason.kind === 'unclosed_quote' ? {} : { limit: n(problem.reason.limit) }) });
    case 'header':
      return t('upload.header', { message: headerProblem(problem.problem) });
    case 'unreadable':
      return t('upload.unreadable', { message: problem.message });
  }
};

const headerProblem = (problem: Extract<FileProblem, { kind: 'header' }>['problem']): string => {
  switch (problem.kind) {
    case 'same_column':
      return t('upload.header.same_column', { first: problem.first, second: problem.second });
    case 'bad_attribute':
      return t(problem.reserved ? 'upload.header.reserved_attribute' : 'upload.header.bad_attribute', { column: problem.column, name: problem.name });
    case 'no_contact_column':
      return t('upload.header.no_contact_column');
  }
};

/** What is wrong with a row, in the console's language: the column as the file names it (an attribute without `attributes.`). */
export const describeRow = (issues: readonly RowIssue[]): string =>
  issues
    .map((issue) => {
      if (issue.kind === 'field_count') return t('upload.row.field_count', { fields: issue.fields, columns: issue.columns });
      const field = issue.field.replace(/^attributes\./, '');
      if (issue.code === 'too_big' && issue.maximum !== undefined) return t('upload.row.too_long', { field, maximum: n(issue.maximum) });
      if (issue.field === 'locale') return t('upload.row.locale', { field });
      return t('upload.row.other', { field });
    })
    .join('; ');

