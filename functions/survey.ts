/**
 * The customer's pages. A GET only ever shows a page (and counts a click): mail scanners fetch
 * every link in an e-mail, so only the POST of a person's submit records an answer or opt-out.
 * `/s` takes only survey tokens and `/u` only unsubscribe tokens. A survey link past its expiry
 * answers 410 with a page that says the survey has closed, and records nothing; unsubscribe
 * links never close.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { DomainError } from '#shared/core/errors';
import { errorBody, html, httpErrors, json, parse, pathParam, query, readBody, wantsJson, type HttpEvent, type HttpResult } from '#shared/aws/http';
import { closedPage, notFoundPage, surveyPage, thankYouPage, unsubscribePage, unsubscribedPage } from '#shared/render/pages';
import { findResponse, isClosed, openSurvey, optOut, recordAnswer, recordClick, type Survey } from '#shared/app/responses';
import { AnswerInput, LinkScore } from '#shared/contract/schemas';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';

type Route = (event: HttpEvent) => Promise<HttpResult>;

const localeOf = (survey: Survey) => survey.invitation.contact.locale ?? survey.campaign.locale;

const closed = (event: HttpEvent, survey: Survey): HttpResult =>
  wantsJson(event)
    ? json(410, errorBody('gone', 'This survey has closed'))
    : html(410, closedPage(localeOf(survey), survey.campaign.brand));

const routes: Record<string, Route> = {
  'GET /s/{token}': async (event) => {
    const token = pathParam(event, 'token');
    const survey = await openSurvey(token, 'survey');
    if (isClosed(survey)) return closed(event, survey);
    const [existing] = await Promise.all([findResponse(survey.invitation.id), recordClick(survey.invitation)]);
    const preselected = LinkScore.parse(query(event).score);
    return html(
      200,
      surveyPage({
        locale: localeOf(survey),
        brand: survey.campaign.brand,
        question: survey.campaign.question,
        action: `/s/${encodeURIComponent(token)}`,
        selected: preselected ?? existing?.score,
        comment: existing?.comment,
        answered: existing !== undefined,
      }),
    );
  },

  'POST /s/{token}': async (event) => {
    const survey = await openSurvey(pathParam(event, 'token'), 'survey');
    if (isClosed(survey)) return closed(event, survey);
    const answer = parse(AnswerInput, readBody(event));
    const response = await recordAnswer(survey, answer);
    logger.info('answer recorded', { campaignId: response.campaignId, version: response.version });
    if (wantsJson(event)) return json(200, { recorded: true, score: response.score, version: response.version });
    return html(200, thankYouPage(localeOf(survey)));
  },

  'GET /u/{token}': async (event) => {
    const token = pathParam(event, 'token');
    const survey = await openSurvey(token, 'unsubscribe');
    return html(200, unsubscribePage(localeOf(survey), survey.campaign.brand, `/u/${encodeURIComponent(token)}`));
  },

  'POST /u/{token}': async (event) => {
    const survey = await openSurvey(pathParam(event, 'token'), 'unsubscribe');
    await optOut(survey);
    logger.info('contact opted out', { campaignId: survey.campaign.id });
    if (wantsJson(event)) return json(200, { unsubscribed: true });
    return html(200, unsubscribedPage(localeOf(survey), survey.campaign.brand));
  },
};

const route: Route = async (event) => {
  const target = routes[event.routeKey];
  if (!target) throw new DomainError('not_found', 'Not found');
  return target(event);
};

/** People get pages, programs get JSON: errors answer in the form the request asked for. */
const errorPage = (event: HttpEvent, status: number): HttpResult | undefined => {
  if (wantsJson(event)) return undefined;
  if (status === 404) return html(404, notFoundPage());
  return undefined;
};

export const handler = middy<HttpEvent, HttpResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(httpErrors(errorPage))
  .handler(route);
