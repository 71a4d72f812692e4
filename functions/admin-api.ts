/** Admin API for marketing and managers: parse, call the domain, shape the answer. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { campaignView, campaignWithCounts, createCampaign, getCampaign, listCampaigns } from '#shared/app/campaigns';
import { apiKey } from '#shared/aws/config';
import { eraseContact } from '#shared/app/erasure';
import { DomainError, notFound } from '#shared/core/errors';
import { exportResponsesCsv, listResponses } from '#shared/app/exports';
import { listFollowups, updateFollowup } from '#shared/app/followups';
import { header, httpErrors, json, parse, pathParam, query, readJsonBody, requireApiKey, type HttpEvent, type HttpResult, type JsonResult } from '#shared/aws/http';
import { idempotent } from '#shared/aws/idempotency';
import { addRecipients } from '#shared/app/invitations';
import { campaignScope } from '#shared/core/aggregates';
import { isRecordId } from '#shared/table/items';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { readScore } from '#shared/app/aggregates';
import type { AdminRoute, AnswerOf } from '#shared/contract/api';
import { CampaignInput } from '#shared/contract/campaigns';
import { ErasureInput } from '#shared/contract/contacts';
import { PageQuery } from '#shared/contract/fields';
import { FollowupListQuery, FollowupPatch } from '#shared/contract/followups';
import { IdempotencyKey, RecipientsInput, type RecipientInput } from '#shared/contract/recipients';
import { ResponsesQuery } from '#shared/contract/responses';
import { ScoreQuery } from '#shared/contract/scores';
import { ThemeImpactQuery, ThemeSetInput } from '#shared/contract/themes';
import { readThemeImpact, replaceThemeSet, themeSetView } from '#shared/app/themes';

/** Each route answers its contract's JSON (or an error, a CSV); the compiler holds it to that. */
type Route<R extends AdminRoute> = (event: HttpEvent, context: Context) => Promise<JsonResult<AnswerOf<R>>>;

/** The `{id}` of a campaign or follow-up route: an id that cannot name one is a 404 before any lookup. */
const recordId = (event: HttpEvent, what: string): string => {
  const id = pathParam(event, 'id');
  if (!isRecordId(id)) throw notFound(what);
  return id;
};

const notYet = (): Promise<never> => Promise.reject(new DomainError('not_found', 'Not built yet'));

const addRecipientsOnce = idempotent(async ({ campaignId, recipients }: { campaignId: string; recipients: RecipientInput[] }) =>
  addRecipients(await getCampaign(campaignId), recipients),
);

const routes: { [R in AdminRoute]: Route<R> } = {
  'GET /health': async () => json(200, { status: 'ok' }),

  'POST /v1/campaigns': async (event) => json(201, campaignView(await createCampaign(parse(CampaignInput, readJsonBody(event))))),

  'GET /v1/campaigns': async (event) => {
    const { limit, cursor } = parse(PageQuery, query(event));
    return json(200, await listCampaigns(limit, cursor));
  },

  'GET /v1/campaigns/{id}': async (event) => json(200, await campaignWithCounts(recordId(event, 'Campaign'))),

  'POST /v1/campaigns/{id}/recipients': async (event, context) => {
    const campaign = await getCampaign(recordId(event, 'Campaign'));
    const { recipients } = parse(RecipientsInput, readJsonBody(event));
    const key = parse(IdempotencyKey, header(event, 'idempotency-key'));
    const payload = { campaignId: campaign.id, recipients };
    const once = key ? await addRecipientsOnce({ key, scope: campaign.id, payload }, context) : undefined;
    const result = once ? { ...once.value, ...(once.replayed ? { replayed: true as const } : {}) } : await addRecipients(campaign, recipients);
    logger.info('recipients added', { campaignId: campaign.id, accepted: result.accepted, skipped: result.skipped.length });
    return json(202, result);
  },

  'GET /v1/campaigns/{id}/score': async (event) => {
    const campaign = await getCampaign(recordId(event, 'Campaign'));
    return json(200, { campaignId: campaign.id, ...(await readScore(campaignScope(campaign.id), parse(ScoreQuery, query(event)))) });
  },

  'GET /v1/score': async (event) => json(200, await readScore('ALL', parse(ScoreQuery, query(event)))),

  'GET /v1/responses': async (event) => {
    const { campaignId, format, limit, cursor, theme } = parse(ResponsesQuery, query(event));
    await getCampaign(campaignId);
    if (format === 'json') return json(200, await listResponses(campaignId, limit, cursor, theme));
    const { body, nextCursor } = await exportResponsesCsv(campaignId, cursor);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="responses-${campaignId}.csv"`,
        'cache-control': 'no-store',
        ...(nextCursor ? { 'x-next-cursor': nextCursor } : {}),
      },
      body,
    };
  },

  'GET /v1/followups': async (event) => {
    const { status, campaignId, limit, cursor } = parse(FollowupListQuery, query(event));
    return json(200, await listFollowups({ status, campaignId }, limit, cursor));
  },

  'PATCH /v1/followups/{id}': async (event) =>
    json(200, await updateFollowup(recordId(event, 'Follow-up'), parse(FollowupPatch, readJsonBody(event)))),

  // Issue 11 (in progress): each of these is built on its own branch.
  'GET /v1/me': notYet,
  'GET /v1/users': notYet,
  'GET /v1/followups/stats': notYet,
  'GET /v1/followups/{id}': notYet,
  'POST /v1/followups/{id}/replies': notYet,
  'GET /v1/assignment-rules': notYet,
  'PUT /v1/assignment-rules': notYet,

  'GET /v1/themes': async () => json(200, await themeSetView()),

  'PUT /v1/themes': async (event) => {
    const view = await replaceThemeSet(parse(ThemeSetInput, readJsonBody(event)));
    logger.info('themes replaced', { version: view.version, themes: view.themes.length });
    return json(200, view);
  },

  'GET /v1/themes/impact': async (event) => {
    const impactQuery = parse(ThemeImpactQuery, query(event));
    if (!impactQuery.campaignId) return json(200, await readThemeImpact('ALL', impactQuery));
    const campaign = await getCampaign(impactQuery.campaignId);
    return json(200, { campaignId: campaign.id, ...(await readThemeImpact(campaignScope(campaign.id), impactQuery)) });
  },

  'DELETE /v1/contacts': async (event) => {
    const result = await eraseContact(parse(ErasureInput, readJsonBody(event)));
    logger.info('contact erased', result.erased);
    return json(200, result);
  },
};

const isRoute = (key: string): key is AdminRoute => Object.hasOwn(routes, key);

const route = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
  if (!isRoute(event.routeKey)) throw new DomainError('not_found', `No route ${event.routeKey}`);
  const target: Route<AdminRoute> = routes[event.routeKey];
  return target(event, context);
};

export const handler = middy<HttpEvent, HttpResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(httpErrors())
  .use(requireApiKey(apiKey, ['GET /health']))
  .handler(route);
