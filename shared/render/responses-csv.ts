import type { ResponseRow } from '#shared/contract/responses';
import { csvRow } from '#shared/render/csv';

const RESPONSE_COLUMNS = ['invitationId', 'answeredAt', 'firstAnsweredAt', 'score', 'category', 'comment'];
const CONTACT_COLUMNS = ['email', 'name', 'phone', 'externalId'];
const FEED_COLUMNS = ['campaignId', 'campaign', 'themes'];

/**
 * Responses as CSV, the one layout of the API's export (`GET /v1/responses?format=csv`) and of the
 * console's download: the response, its contact when the caller may see contacts, its campaign and
 * themes, then one column per segment. Formula-safe (shared/render/csv.ts).
 */
export const responsesCsv = (rows: readonly ResponseRow[], withContacts: boolean): string => {
  const segmentNames = [...new Set(rows.flatMap((r) => Object.keys(r.segments)))].sort();
  const columns = [...RESPONSE_COLUMNS, ...(withContacts ? CONTACT_COLUMNS : []), ...FEED_COLUMNS, ...segmentNames];
  return (
    csvRow(columns) +
    rows
      .map((r) =>
        csvRow([
          r.invitationId,
          r.answeredAt,
          r.firstAnsweredAt,
          r.score,
          r.category,
          r.comment,
          ...(withContacts ? [r.contact?.email, r.contact?.name, r.contact?.phone, r.contact?.externalId] : []),
          r.campaignId,
          r.campaignName,
          r.themes.join(' '),
          ...segmentNames.map((s) => (Object.hasOwn(r.segments, s) ? r.segments[s] : undefined)),
        ]),
      )
      .join('')
  );
};
