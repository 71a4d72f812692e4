import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { campaignWithCounts, createCampaign, getCampaign, listCampaigns } from '#shared/campaigns';
import { apiKey } from '#shared/config';
import { DomainError } from '#shared/errors';
import { listFollowups } from '#shared/followups';
import { httpErrors, json, parse, pathParam, query, readBody, requireApiKey, type HttpEvent, type HttpResult } from '#shared/http';
import { addRecipients } from '#shared/invitations';
import { campaignScope } from '#shared/items';
import { readScore } from '#shared/aggregates';
import { CampaignInput, FollowupQuery, PageQuery, RecipientsInput, ScoreQuery } from '#shared/schemas';

/** Admin API for marketing and managers: parse, call the domain, shape the answer. */
type Route = (event: HttpEvent) => Promise<HttpResult>;

const routes: Record<string, Route> = {
  'GET /health': async () => json(200, { status: 'ok' }),

  'POST /v1/campaigns': async (event) => json(201, await createCampaign(parse(CampaignInput, readBody(event)))),

  'GET /v1/campaigns': async (event) => {
    const { limit, cursor } = parse(PageQuery, query(event));
    return json(200, await listCampaigns(limit, cursor));
  },

  'GET /v1/campaigns/{id}': async (event) => json(200, await campaignWithCounts(pathParam(event, 'id'))),

  'POST /v1/campaigns/{id}/recipients': async (event) => {
    const campaign = await getCampaign(pathParam(event, 'id'));
    const { recipients } = parse(RecipientsInput, readBody(event));
    return json(202, await addRecipients(campaign, recipients));
  },

  'GET /v1/campaigns/{id}/score': async (event) => {
    const campaign = await getCampaign(pathParam(event, 'id'));
    return json(200, { campaignId: campaign.id, ...(await readScore(campaignScope(campaign.id), parse(ScoreQuery, query(event)))) });
  },

  'GET /v1/score': async (event) => json(200, await readScore('ALL', parse(ScoreQuery, query(event)))),

  'GET /v1/followups': async (event) => {
    const { status, campaignId, limit, cursor } = parse(FollowupQuery.extend(PageQuery.shape), query(event));
    return json(200, await listFollowups({ status, campaignId }, limit, cursor));
  },
};

const route: Route = async (event) => {
  const target = routes[event.routeKey];
  if (!target) throw new DomainError('not_found', `No route ${event.routeKey}`);
  return target(event);
};

export const handler = middy<HttpEvent, HttpResult, Error, Context>()
  .use(httpErrors())
  .use(requireApiKey(apiKey, ['GET /health']))
  .handler(route);
