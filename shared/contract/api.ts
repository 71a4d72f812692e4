/**
 * The HTTP API, route by route: what each route reads (`body`, `query`) and what it answers
 * (`answer`, the JSON body of a success). Any route may instead answer an ErrorBody with a 4xx.
 * The handlers are typed by this table (a route that answers another shape does not compile),
 * the CLI and the tests parse answers with it, and a browser can import it: nothing here needs Node.
 */
import type * as z from 'zod';
import { CampaignInput, CampaignPage, CampaignView, CampaignWithCounts } from '#shared/contract/campaigns';
import { ErasureInput, ErasureResult } from '#shared/contract/contacts';
import type { ErrorBody } from '#shared/contract/errors';
import { PageQuery } from '#shared/contract/fields';
import { AssignmentRules, ClosedLoopStats, FollowupCase, FollowupDetail, FollowupListQuery, FollowupPage, FollowupPatch, FollowupStatsQuery, ReplyInput, ReplyResult } from '#shared/contract/followups';
import type { Role } from '#shared/contract/fields';
import { Me, UserList } from '#shared/contract/users';
import { Health } from '#shared/contract/health';
import { AddRecipientsResult, RecipientsInput } from '#shared/contract/recipients';
import { AnswerInput, AnswerRecorded, ResponsePage, ResponsesQuery, Unsubscribed } from '#shared/contract/responses';
import { ScoreQuery, ScoreReport } from '#shared/contract/scores';
import { ThemeImpactQuery, ThemeImpactReport, ThemeSetInput, ThemeSetView } from '#shared/contract/themes';

interface Endpoint {
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Absent where the route answers HTML (or CSV), not JSON. */
  readonly answer?: z.ZodType;
  /** Who may call it (the API key is an admin); absent on a public route. */
  readonly roles?: readonly Role[];
}

const everyone = ['admin', 'marketing', 'manager'] as const satisfies readonly Role[];
const campaigners = ['admin', 'marketing'] as const satisfies readonly Role[];
const caseworkers = ['admin', 'manager'] as const satisfies readonly Role[];
const admins = ['admin'] as const satisfies readonly Role[];

/**
 * Marketing's and managers' routes, each with the roles that may call it. A caller shows either
 * `Authorization: Bearer <api key>` (an admin) or a signed-in user's ID token from the identity
 * provider (Cognito on AWS, the local OIDC server under `npm start`). `GET /health` is public.
 */
export const adminApi = {
  'GET /health': { answer: Health },
  'GET /v1/me': { answer: Me, roles: everyone },
  'GET /v1/users': { answer: UserList, roles: caseworkers },
  'POST /v1/campaigns': { body: CampaignInput, answer: CampaignView, roles: campaigners },
  'GET /v1/campaigns': { query: PageQuery, answer: CampaignPage, roles: everyone },
  'GET /v1/campaigns/{id}': { answer: CampaignWithCounts, roles: everyone },
  'POST /v1/campaigns/{id}/recipients': { body: RecipientsInput, answer: AddRecipientsResult, roles: campaigners },
  'GET /v1/campaigns/{id}/score': { query: ScoreQuery, answer: ScoreReport, roles: everyone },
  'GET /v1/score': { query: ScoreQuery, answer: ScoreReport, roles: everyone },
  /**
   * With `format=csv`, a CSV page instead (its next cursor in the `x-next-cursor` header).
   * Marketing gets each row without its contact details.
   */
  'GET /v1/responses': { query: ResponsesQuery, answer: ResponsePage, roles: everyone },
  /** Answers an ETag; `If-None-Match` with it answers 304 and no body while nothing changed. */
  'GET /v1/followups': { query: FollowupListQuery, answer: FollowupPage, roles: caseworkers },
  'GET /v1/followups/stats': { query: FollowupStatsQuery, answer: ClosedLoopStats, roles: everyone },
  'GET /v1/followups/{id}': { answer: FollowupDetail, roles: caseworkers },
  'PATCH /v1/followups/{id}': { body: FollowupPatch, answer: FollowupCase, roles: caseworkers },
  /** Needs an `Idempotency-Key` header: a retried or double-pressed reply is sent and recorded once. */
  'POST /v1/followups/{id}/replies': { body: ReplyInput, answer: ReplyResult, roles: caseworkers },
  'GET /v1/assignment-rules': { answer: AssignmentRules, roles: caseworkers },
  'PUT /v1/assignment-rules': { body: AssignmentRules, answer: AssignmentRules, roles: admins },
  'GET /v1/themes': { answer: ThemeSetView, roles: everyone },
  /** Replaces every theme; stored comments are re-tagged in the background (see `retag` in the answer). */
  'PUT /v1/themes': { body: ThemeSetInput, answer: ThemeSetView, roles: admins },
  'GET /v1/themes/impact': { query: ThemeImpactQuery, answer: ThemeImpactReport, roles: everyone },
  'DELETE /v1/contacts': { body: ErasureInput, answer: ErasureResult, roles: admins },
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
