/** Admin API for marketing and managers: parse, call the domain, shape the answer. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { campaignView, campaignWithCounts, createCampaign, getCampaign, listCampaigns } from '#shared/app/campaigns';
import { apiKey, identityProvider } from '#shared/aws/config';
import { actorOf, authorize, hasRole, principalOf, type UserPrincipal } from '#shared/aws/auth';
import { listUsers, recordUserSeen } from '#shared/app/users';
import { eraseContact } from '#shared/app/erasure';
import { DomainError, notFound } from '#shared/core/errors';
import { exportFeedCsv, readFeed } from '#shared/app/exports';
import { followupDetail, listFollowups, readAssignmentRules, saveAssignmentRules, updateFollowup } from '#shared/app/followups';
import { closedLoopStats } from '#shared/app/closed-loop';
import { replyToCase, type ReplyRequest } from '#shared/app/replies';
import { header, httpErrors, json, jsonWithETag, parse, pathParam, query, readJsonBody, type HttpEvent, type HttpResult, type JsonResult } from '#shared/aws/http';
import { idempotent } from '#shared/aws/idempotency';
import { addRecipients } from '#shared/app/invitations';
import { campaignScope } from '#shared/core/aggregates';
import { isRecordId } from '#shared/table/items';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { readScore } from '#shared/app/aggregates';
import { adminApi, type AdminRoute, type AnswerOf } from '#shared/contract/api';
import { CampaignInput } from '#shared/contract/campaigns';
import { ErasureInput } from '#shared/contract/contacts';
import { PageQuery } from '#shared/contract/fields';
import { AssignmentRules, FollowupListQuery, FollowupPatch, FollowupStatsQuery, ReplyInput } from '#shared/contract/followups';
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

/** A reply is sent and recorded once per (case, Idempotency-Key); a repeat answers the first result. */
const replyOnce = idempotent((request: ReplyRequest) => replyToCase(request));

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
    const { format, limit, cursor, ...filter } = parse(ResponsesQuery, query(event));
    if (filter.campaignId) await getCampaign(filter.campaignId);
    // Marketing reads scores and comments, never who gave them.
    const view = { withContacts: hasRole(principalOf(event), ['manager']) };
    if (format === 'json') return json(200, await readFeed(filter, limit, cursor, view));
    const { body, nextCursor } = await exportFeedCsv(filter, cursor, view);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="responses-${filter.campaignId ?? 'all'}.csv"`,
        'cache-control': 'no-store',
        ...(nextCursor ? { 'x-next-cursor': nextCursor } : {}),
      },
      body,
    };
  },

  'GET /v1/followups': async (event) => {
    const { view, status, campaignId, theme, limit, cursor } = parse(FollowupListQuery, query(event));
    const principal = principalOf(event);
    if (view === 'mine' && principal.kind !== 'user') {
      throw new DomainError('bad_request', 'The view "mine" shows the cases assigned to the signed-in person, and an API key is not a person: use view=open instead');
    }
    const me = principal.kind === 'user' ? principal.email : undefined;
    return jsonWithETag(event, await listFollowups({ view, status, campaignId, theme, me }, limit, cursor));
  },

  'GET /v1/followups/stats': async (event) => json(200, await closedLoopStats(parse(FollowupStatsQuery, query(event)))),

  'GET /v1/followups/{id}': async (event) => json(200, await followupDetail(recordId(event, 'Follow-up'))),

  'PATCH /v1/followups/{id}': async (event) =>
    json(200, await updateFollowup(recordId(event, 'Follow-up'), parse(FollowupPatch, readJsonBody(event)), actorOf(event))),

  /**
   * The customer's answer to an e-mail reply goes to the signed-in manager (Reply-To). An API
   * key has no address: its e-mail replies go out without a Reply-To, so answers reach the
   * sender identity's mailbox, which integrations are expected to watch.
   */
  'POST /v1/followups/{id}/replies': async (event, context) => {
    const caseId = recordId(event, 'Follow-up');
    const input = parse(ReplyInput, readJsonBody(event));
    const key = parse(IdempotencyKey, header(event, 'idempotency-key'));
    if (!key) throw new DomainError('bad_request', 'Send an Idempotency-Key header (any unique value per reply, e.g. a UUID), so that a retried reply is never sent twice');
    const principal = principalOf(event);
    const payload = {
      caseId,
      ...input,
      by: actorOf(event),
      ...(principal.kind === 'user' ? { replyTo: principal.email } : {}),
      idempotencyKey: key,
    };
    const once = await replyOnce({ key, scope: `reply:${caseId}`, payload }, context);
    logger.info('reply recorded', { caseId, replayed: once.replayed, channel: once.value.reply.type === 'reply' ? once.value.reply.channel : undefined });
    return json(200, { ...once.value, ...(once.replayed ? { replayed: true as const } : {}) });
  },

  'GET /v1/assignment-rules': async () => json(200, await readAssignmentRules()),

  'PUT /v1/assignment-rules': async (event) => json(200, await saveAssignmentRules(parse(AssignmentRules, readJsonBody(event)))),

  'GET /v1/me': async (event) => {
    const principal = principalOf(event);
    const roles = [...principal.roles];
    return json(200, principal.kind === 'user' ? { email: principal.email, roles, via: 'token' as const } : { roles, via: 'apiKey' as const });
  },

  'GET /v1/users': async () => json(200, await listUsers()),

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

/** Bookkeeping for `GET /v1/users`: a failed write is logged (without the address) and never fails the request. */
const noteUser = async (user: UserPrincipal): Promise<void> => {
  await recordUserSeen(user).catch((error: unknown) => logger.warn('could not note a signed-in user', { error: error as Error }));
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
  .use(authorize({ apiKey, identityProvider: identityProvider(), routes: adminApi, seen: noteUser }))
  .handler(route);
