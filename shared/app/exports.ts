import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { csvRow } from '#shared/render/csv';
import { decodeCursor, encodeCursor } from '#shared/table/cursor';
import { batchGet } from '#shared/table/query';
import { gsi1, InvitationItem, keys, ResponseItem, withoutKeys } from '#shared/table/items';
import { category } from '#shared/core/nps';
import type { ResponsePage, ResponseRow } from '#shared/contract/responses';


/** Whether the rows carry each response's contact (marketing's do not), and the theme a page is narrowed to. */
interface ResponseView {
  readonly withContacts: boolean;
  readonly theme?: string;
}

/**
 * One page of a campaign's responses, with their contacts unless `withContacts` is false, in
 * invitation order; with `theme`, only those whose comment mentions it (a filter on the page
 * read, so a page may hold fewer than `limit`, or none, while `nextCursor` says there is more).
 */
export const listResponses = async (campaignId: string, limit: number, cursor?: string, view: ResponseView = { withContacts: true }): Promise<ResponsePage> => {
  const { theme } = view;
  const partition = gsi1.campaignResponses(campaignId);
  const out = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ...(theme ? { FilterExpression: 'contains(themes, :theme)' } : {}),
      ExpressionAttributeValues: { ':pk': partition, ...(theme ? { ':theme': theme } : {}) },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { attribute: 'GSI1PK', value: partition }),
    }),
  );
  const responses = (out.Items ?? []).map((item) => ResponseItem.parse(item));
  const invitations = view.withContacts ? await batchGet(responses.map((r) => keys.invitation(r.invitationId))) : new Map<string, Record<string, unknown>>();
  const items: ResponseRow[] = responses.map((r) => {
    const stored = invitations.get(`${keys.invitation(r.invitationId).PK}|INV`);
    const contact = stored ? InvitationItem.parse(withoutKeys(stored)).contact : {};
    return {
      invitationId: r.invitationId,
      campaignId: r.campaignId,
      score: r.score,
      category: category(r.score),
      ...(r.comment ? { comment: r.comment } : {}),
      themes: r.themes ?? [],
      segments: r.segments,
      firstAnsweredAt: r.firstAnsweredAt,
      answeredAt: r.answeredAt,
      ...(view.withContacts
        ? {
            contact: {
              ...(contact.email ? { email: contact.email } : {}),
              ...(contact.name ? { name: contact.name } : {}),
              ...(contact.phone ? { phone: contact.phone } : {}),
              ...(contact.externalId ? { externalId: contact.externalId } : {}),
            },
          }
        : {}),
    };
  });
  return { items, nextCursor: encodeCursor(out.LastEvaluatedKey) };
};

const RESPONSE_COLUMNS = ['invitationId', 'answeredAt', 'firstAnsweredAt', 'score', 'category', 'comment'];
const CONTACT_COLUMNS = ['email', 'name', 'phone', 'externalId'];

/** Lambda answers at most 6 MB; a CSV page stops well short and hands out a cursor for the rest. */
const CSV_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * The responses as CSV, page after page until the byte budget, so a large export is fetched as
 * a few large pages (`nextCursor` carries on) rather than one response Lambda cannot return.
 */
export const exportResponsesCsv = async (campaignId: string, cursor?: string, view: Pick<ResponseView, 'withContacts'> = { withContacts: true }) => {
  const columns = view.withContacts ? [...RESPONSE_COLUMNS, ...CONTACT_COLUMNS] : RESPONSE_COLUMNS;
  let body = '';
  let next = cursor;
  let segmentNames: string[] | undefined;
  do {
    const page = await listResponses(campaignId, 100, next, view);
    segmentNames ??= Object.keys(page.items[0]?.segments ?? {}).sort();
    if (body === '') body = csvRow([...columns, ...segmentNames]);
    for (const r of page.items) {
      body += csvRow([
        r.invitationId,
        r.answeredAt,
        r.firstAnsweredAt,
        r.score,
        r.category,
        r.comment,
        ...(view.withContacts ? [r.contact?.email, r.contact?.name, r.contact?.phone, r.contact?.externalId] : []),
        ...segmentNames.map((s) => (Object.hasOwn(r.segments, s) ? r.segments[s] : undefined)),
      ]);
    }
    next = page.nextCursor;
  } while (next && Buffer.byteLength(body) < CSV_PAGE_BYTES);
  if (body === '') body = csvRow(columns);
  return { body, nextCursor: next };
};
