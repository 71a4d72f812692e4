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
import { errorBody, header, html, httpErrors, json, parse, pathParam, query, readBody, wantsJson, type HttpEvent, type HttpResult, type JsonResult } from '#shared/aws/http';
import { brandingOf } from '#shared/core/branding';
import { closedPage, notFoundPage, surveyPage, thankYouPage, unsubscribePage, unsubscribedPage } from '#shared/render/pages';
import { findResponse, isClosed, openSurvey, optOut, recordAnswer, recordClick, type Survey } from '#shared/app/responses';
import type { AnswerOf, PublicRoute } from '#shared/contract/api';
import type { Locale } from '#shared/core/vocabulary';
import { AnswerInput, LinkScore } from '#shared/contract/responses';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';

/** Each route answers a page, or with `Accept: application/json` its contract's JSON; the compiler holds it to that. */
type Route<R extends PublicRoute> = (event: HttpEvent) => Promise<JsonResult<AnswerOf<R>>>;

const localeOf = (survey: Survey) => survey.invitation.contact.locale ?? survey.campaign.locale;

const closed = (event: HttpEvent, survey: Survey): HttpResult =>
  wantsJson(event)
    ? json(410, errorBody('gone', 'This survey has closed'))
    : html(410, closedPage(localeOf(survey), survey.campaign));

const routes: { [R in PublicRoute]: Route<R> } = {
  'GET /s/{token}': async (event) => {
    const token = pathParam(event, 'token');
    const survey = await openSurvey(token, 'survey');
    if (isClosed(survey)) return closed(event, survey);
    const [existing] = await Promise.all([findResponse(survey.invitation.id), recordClick(survey.invitation)]);
    const preselected = LinkScore.parse(query(event).score);
    return html(
      200,
      surveyPage({
        ...brandingOf(survey.campaign),
        locale: localeOf(survey),
        question: survey.campaign.question,
        action: `/s/${encodeURIComponent(token)}`,
        selected: preselected ?? existing?.score,
        fromLink: preselected !== undefined,
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
    return html(200, thankYouPage(localeOf(survey), survey.campaign));
  },

  'GET /u/{token}': async (event) => {
    const token = pathParam(event, 'token');
    const survey = await openSurvey(token, 'unsubscribe');
    return html(200, unsubscribePage(localeOf(survey), survey.campaign, `/u/${encodeURIComponent(token)}`));
  },

  'POST /u/{token}': async (event) => {
    const survey = await openSurvey(pathParam(event, 'token'), 'unsubscribe');
    await optOut(survey);
    logger.info('contact opted out', { campaignId: survey.campaign.id });
    if (wantsJson(event)) return json(200, { unsubscribed: true });
    return html(200, unsubscribedPage(localeOf(survey), survey.campaign));
  },
};

const isRoute = (key: string): key is PublicRoute => Object.hasOwn(routes, key);

const route = async (event: HttpEvent): Promise<HttpResult> => {
  if (!isRoute(event.routeKey)) throw new DomainError('not_found', 'Not found');
  const target: Route<PublicRoute> = routes[event.routeKey];
  return target(event);
};

/** An unknown link has no campaign to take a language from: the browser's first choice, if we speak it. */
const readerLocale = (event: HttpEvent): Locale => (/^\s*ru\b/i.test(header(event, 'accept-language') ?? '') ? 'ru' : 'en');

/** People get pages, programs get JSON: errors answer in the form the request asked for. */
const errorPage = (event: HttpEvent, status: number): HttpResult | undefined => {
  if (wantsJson(event)) return undefined;
  if (status === 404) return html(404, notFoundPage(readerLocale(event)));
  return undefined;
};

export const handler = middy<HttpEvent, HttpResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(httpErrors(errorPage))
  .handler(route);
