/**
 * The response feed's filters as the console keeps them: in the page's address after
 * `#/responses/` (a query string, so a reload or a shared link keeps the view), checked with the
 * API's own ResponsesQuery before they are sent; and the rows of a filtered view as CSV.
 */
import { ResponsesQuery, type ResponseRow } from '#shared/contract/responses';
import { responsesCsv } from '#shared/render/responses-csv';

/** The feed's filters as the address and the form hold them: text, '' when unset. */
export interface FeedFilter {
  readonly campaignId: string;
  readonly from: string;
  readonly to: string;
  readonly category: string;
  readonly segment: string;
  readonly theme: string;
  readonly q: string;
}

export const FIELDS = ['campaignId', 'from', 'to', 'category', 'segment', 'theme', 'q'] as const;
export const noFilter: FeedFilter = { campaignId: '', from: '', to: '', category: '', segment: '', theme: '', q: '' };

/** The filters in the address after `#/responses/`, as a query string. */
export const filterFromPath = (path: string): FeedFilter => {
  const params = new URLSearchParams(path.replace(/^\/responses\/?/, ''));
  return Object.fromEntries(FIELDS.map((name) => [name, params.get(name) ?? ''])) as unknown as FeedFilter;
};

export const pathOfFilter = (filter: FeedFilter): string => {
  const params = new URLSearchParams(FIELDS.filter((name) => filter[name].trim() !== '').map((name): [string, string] => [name, filter[name].trim()]));
  const query = params.toString();
  return query ? `/responses/${query}` : '/responses';
};

/** The API's own check of the filters: the problems by field, or the query to send. */
export const checkFilter = (filter: FeedFilter): { ok: true; query: Record<string, string> } | { ok: false; errors: Partial<Record<keyof FeedFilter, string>> } => {
  const query = Object.fromEntries(FIELDS.filter((name) => filter[name].trim() !== '').map((name) => [name, filter[name].trim()]));
  const result = ResponsesQuery.safeParse(query);
  if (result.success) return { ok: true, query };
  const errors: Partial<Record<keyof FeedFilter, string>> = {};
  for (const issue of result.error.issues) {
    const field = FIELDS.find((name) => name === issue.path[0]);
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
};

/** The rows as CSV, in the API export's layout; contact columns only when the rows carry contacts. */
export const feedCsv = (rows: readonly ResponseRow[]): string => responsesCsv(rows, rows.some((r) => r.contact));

