import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, detractorCases } from '#test/integration/client';

/** Cases 0.1 wrote have no place in the inbox's index of active cases until the one-off migration gives them one. */

let indexLegacyCases: typeof import('#shared/app/case-index').indexLegacyCases;
let forgetCaseIndexMigration: typeof import('#shared/app/case-index').forgetCaseIndexMigration;
/** Makes a case look as 0.1 wrote it: no GSI3 keys (and, for `resolved`, 0.1's closed status). */
let asWrittenBy01: (caseId: string, status?: 'resolved') => Promise<void>;
let restartMigration: () => Promise<void>;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ indexLegacyCases, forgetCaseIndexMigration } = await import('#shared/app/case-index'));
  const [{ dynamo }, { tableName }, { keys }, { UpdateCommand, DeleteCommand }] = await Promise.all([
    import('#shared/aws/clients'),
    import('#shared/aws/config'),
    import('#shared/table/items'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  asWrittenBy01 = async (caseId, status) => {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.followup(caseId),
        UpdateExpression: `REMOVE GSI3PK, GSI3SK${status ? ' SET #status = :status' : ''}`,
        ...(status ? { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': status } } : {}),
      }),
    );
  };
  restartMigration = async () => {
    await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: keys.migration('CASE_INDEX_GSI3') }));
    forgetCaseIndexMigration();
  };
});

const openView = async (campaignId: string) => (await api('GET /v1/followups', { query: { view: 'open', campaignId } })).body.items.map((c) => c.id);

describe('open cases written by 0.1', () => {
  it('join the open inbox once the migration has run, and closed ones stay out', async () => {
    // GIVEN two detractors' cases in a campaign, both made to look as 0.1 left them: one open, one resolved
    const { id, cases } = await detractorCases('Legacy cases', 2, 2);
    const [open, resolved] = cases.map((c) => c.id) as [string, string];
    await asWrittenBy01(open);
    await asWrittenBy01(resolved, 'resolved');
    expect(await openView(id)).toEqual([]);

    // WHEN the migration runs (twice, as a second sweep would)
    await restartMigration();
    const first = await indexLegacyCases(Date.now() + 30_000);
    const second = await indexLegacyCases(Date.now() + 30_000);

    // THEN the open case is in the open view, the resolved one is not, and the second run changed nothing
    expect(await openView(id)).toEqual([open]);
    // (The runtime's own overdue sweep may run the migration too: which of them indexes the case does not matter.)
    expect(first).toMatchObject({ done: true });
    expect(second).toEqual({ indexed: 0, done: true });
    const all = (await api('GET /v1/followups', { query: { view: 'all', campaignId: id } })).body.items;
    expect(all.find((c) => c.id === resolved)?.status).toBe('closed');
  });
});
