/**
 * The HTTP API, route by route: what each route reads (`body`, `query`) and what it answers
 * (`answer`, the JSON body of a success). Any route may instead answer an ErrorBody with a 4xx.
 * The handlers are typed by this table (a route that answers another shape does not compile),
 * the CLI and the tests parse answers with it, and a browser can import it: nothing here needs Node.
 */
import type { z } from 'zod';
import { CampaignInput, CampaignPage, CampaignView, CampaignWithCounts } from '#shared/contract/campaigns';
import { ErasureInput, ErasureResult } from '#shared/contract/contacts';
import type { ErrorBody } from '#shared/contract/errors';
import { PageQuery } from '#shared/contract/fields';
import { FollowupCase, FollowupListQuery, FollowupPage, FollowupPatch } from '#shared/contract/followups';
import { Health } from '#shared/contract/health';
import { AddRecipientsResult, RecipientsInput } from '#shared/contract/recipients';
import { AnswerInput, AnswerRecorded, ResponsePage, ResponsesQuery, Unsubscribed } from '#shared/contract/responses';
import { ScoreQuery, ScoreReport } from '#shared/contract/scores';

interface Endpoint {
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Absent where the route answers HTML (or CSV), not JSON. */
  readonly answer?: z.ZodType;
}

/** Marketing's and managers' routes: `Authorization: Bearer <api key>`, except `GET /health`. */
export const adminApi = {
  'GET /health': { answer: Health },
  'POST /v1/campaigns': { body: CampaignInput, answer: CampaignView },
  'GET /v1/campaigns': { query: PageQuery, answer: CampaignPage },
  'GET /v1/campaigns/{id}': { answer: CampaignWithCounts },
  'POST /v1/campaigns/{id}/recipients': { body: RecipientsInput, answer: AddRecipientsResult },
  'GET /v1/campaigns/{id}/score': { query: ScoreQuery, answer: ScoreReport },
  'GET /v1/score': { query: ScoreQuery, answer: ScoreReport },
  /** With `format=csv`, a CSV page instead (its next cursor in the `x-next-cursor` header). */
  'GET /v1/responses': { query: ResponsesQuery, answer: ResponsePage },
  'GET /v1/followups': { query: FollowupListQuery, answer: FollowupPage },
  'PATCH /v1/followups/{id}': { body: FollowupPatch, answer: FollowupCase },
  'DELETE /v1/contacts': { body: ErasureInput, answer: ErasureResult },
} as const satisfies Record<string, Endpoint>;

/** The customers' pages: HTML, except the JSON a POST answers with `Accept: application/json`. */
export const publicApi = {
  'GET /s/{token}': {},
  'POST /s/{token}': { body: AnswerInput, answer: AnswerRecorded },
  'GET /u/{token}': {},
  'POST /u/{token}': { answer: Unsubscribed },
} as const satisfies Record<string, Endpoint>;

export type AdminRoute = keyof typeof adminApi;
export type PublicRoute = keyof typeof publicApi;

type Routes = typeof adminApi & typeof publicApi;

/** The JSON a route answers on success, or an error; `never` for a route that answers only HTML. */
export type AnswerOf<R extends keyof Routes> = (Routes[R] extends { answer: infer S extends z.ZodType } ? z.output<S> : never) | ErrorBody;
