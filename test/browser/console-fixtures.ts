import type { Page, Route } from 'playwright-core';
import type * as z from 'zod';
import { buildConsole, consoleCsp, type ConsoleBuild } from '../../console/build.ts';
import { ClosedLoopStats, FollowupDetail, FollowupPage, type FollowupCase, ReplyResult, AssignmentRules } from '#shared/contract/followups';
import { CampaignPage } from '#shared/contract/campaigns';
import { ScoreReport } from '#shared/contract/scores';
import { Me, UserList } from '#shared/contract/users';
import { ThemeSetView } from '#shared/contract/themes';
import { defaultThemes } from '#shared/core/default-themes';
import { namedThemes } from '#shared/core/theme-set';
import { score, type Tally } from '#shared/core/nps';

/**
 * The console against a stand-in API and identity provider inside Playwright (page.route), so its
 * screens can be looked at and exercised on their own. Every answer is parsed with the contract's
 * schema first: a fixture that drifts from the API fails here, not in a screenshot.
 * The origin is localhost, a secure context as the real ones are (PKCE and randomUUID need one).
 */
export const ORIGIN = 'http://localhost:4999';
export const CONSOLE = `${ORIGIN}/console/`;
export const ISSUER = `${ORIGIN}/oidc`;
export const CLIENT_ID = 'npsloop-console';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

const tally = (i: number): Tally => ({ promoters: 9 + ((i * 7) % 6), passives: 4 + (i % 3), detractors: 3 + ((i * 5) % 4) });

export const scoreReport = (now: number, days = 30) => {
  const list = Array.from({ length: days }, (_, i) => ({ day: dayOf(now - (days - 1 - i) * 24 * HOUR), ...score(tally(i)) }));
  const sum = list.reduce((a, d) => ({ promoters: a.promoters + d.promoters, passives: a.passives + d.passives, detractors: a.detractors + d.detractors }), { promoters: 0, passives: 0, detractors: 0 });
  const weeks = [0, 1, 2, 3, 4].map((w) => ({ week: dayOf(now - (4 - w) * 7 * 24 * HOUR), ...score(tally(w + 2)) }));
  return ScoreReport.parse({
    ...score(sum),
    from: list[0]?.day,
    to: list.at(-1)?.day,
    days: list,
    weeks,
    segments: {
      plan: { pro: score({ promoters: 120, passives: 40, detractors: 30 }), basic: score({ promoters: 90, passives: 60, detractors: 70 }), enterprise: score({ promoters: 14, passives: 4, detractors: 3 }) },
      region: { EU: score({ promoters: 130, passives: 60, detractors: 50 }), US: score({ promoters: 94, passives: 44, detractors: 53 }) },
    },
    previous: { from: dayOf(now - 59 * 24 * HOUR), to: dayOf(now - 30 * 24 * HOUR), ...score({ promoters: 200, passives: 110, detractors: 120 }) },
    change: { delta: 12.4, ci95: { low: 4.1, high: 20.7 }, significant: true },
  } satisfies z.input<typeof ScoreReport>);
};

export const loopStats = (cases: number) =>
  ClosedLoopStats.parse({ slaHours: 24, cases, contacted: Math.round(cases * 0.8), contactedShare: cases ? 0.8 : null, medianMinutesToFirstAction: cases ? 47 : null, closed: 3, closedWithinSla: 2, closedWithinSlaShare: cases ? 2 / cases : null });

const contacts = [
  { name: 'Ann Smith', email: 'ann@example.com' },
  { name: 'Boris Ivanov', phone: '+12025550123' },
  { name: 'Carla Gómez', email: 'carla@example.com' },
  { name: 'Dmitri Petrov', email: 'dmitri@example.com' },
  { name: 'Eve Chen', email: 'eve@example.com' },
];
const comments = [
  'Delivery was two days late and nobody told me. The courier left the parcel at the wrong door and I had to look for it in the rain.',
  'Support took a week to answer.',
  undefined,
  'The app keeps logging me out',
  'Too expensive for what it does, and the invoice was wrong twice in a row. I am thinking about cancelling.',
];

/** The themes the tagger finds in each comment above (case 4 was opened before themes: none). */
const commentThemes = [['delivery', 'communication'], ['support'], ['website_app'], ['price', 'billing']];

export const followupCase = (i: number, now: number, overrides: Partial<FollowupCase> = {}): FollowupCase => ({
  id: `case-${i}`,
  campaignId: 'cmp-1',
  campaignName: i % 2 ? 'Support follow-up' : 'Checkout survey',
  invitationId: `inv-${i}`,
  channel: contacts[i % contacts.length]?.phone ? 'sms' : 'email',
  score: [3, 0, 6, 5, 2][i % 5] ?? 4,
  comment: comments[i % comments.length],
  ...(i === 4 ? {} : { themes: namedThemes(commentThemes[i % commentThemes.length] ?? [], defaultThemes, 'en') }),
  segments: { plan: ['pro', 'basic', 'enterprise'][i % 3] ?? 'pro', region: i % 2 ? 'US' : 'EU' },
  status: 'open',
  dueAt: iso(now + (i === 3 ? -5 * HOUR : (i + 2) * HOUR)),
  contact: contacts[i % contacts.length] ?? {},
  notes: [],
  noteCount: 0,
  createdAt: iso(now - (i + 1) * HOUR),
  ...(i === 1 ? { assignee: 'manager@example.com' } : {}),
  ...overrides,
});

export const caseDetail = (c: FollowupCase, now: number, reply: z.input<typeof FollowupDetail>['reply'] = { channel: c.channel ?? 'email', allowed: true }) =>
  FollowupDetail.parse({
    ...c,
    timeline: [
      { type: 'note', at: iso(now - 20 * 60_000), by: 'olga@example.com', text: 'Called once, no answer. Will try e-mail.' },
      ...(c.assignee ? [{ type: 'assignee' as const, at: iso(now - 30 * 60_000), by: c.assignee, assignee: c.assignee }] : []),
      { type: 'opened', at: c.createdAt, score: c.score },
    ],
    earlierAnswers: [{ campaignId: 'cmp-0', campaignName: 'Onboarding', score: 8, comment: 'Setup was easy.', answeredAt: iso(now - 40 * 24 * HOUR) }],
    reply,
  } satisfies z.input<typeof FollowupDetail>);

export interface StandIn {
  me: z.input<typeof Me>;
  cases: FollowupCase[];
  /** Bumped on every change of `cases`: the list's ETag. */
  version: number;
  replyAllowed: z.input<typeof FollowupDetail>['reply'];
  /** How the next replies fare at the mail service or phone network. */
  replyDelivery: 'sent' | 'held' | 'failed';
  rules: z.input<typeof AssignmentRules>;
  /** Answers the next calls of a route with this status (e.g. a 401 to end the session, a 500). */
  failNext: Map<string, { status: number; times: number }>;
  /** What config.json says besides the issuer and the client (the stack adds Cognito's sign-out). */
  config: Record<string, unknown>;
  /** Fixtures the contract refused: a test checks this stays empty. */
  broken: string[];
  /** Every API request the console made, in order. */
  requests: { method: string; path: string; headers: Record<string, string>; body?: unknown }[];
  /** The grant type of every token request (`authorization_code`, `refresh_token`), in order. */
  tokenGrants: string[];
}

export const newStandIn = (now: number, role: 'manager' | 'admin' | 'marketing' = 'manager'): StandIn => ({
  me: { email: `${role}@example.com`, roles: [role], via: 'token' },
  cases: [0, 1, 2, 3, 4].map((i) => followupCase(i, now)),
  version: 1,
  replyAllowed: { channel: 'email', allowed: true },
  replyDelivery: 'sent',
  rules: { rules: [{ attribute: 'plan', value: 'enterprise', assignee: 'admin@example.com' }, { attribute: 'region', value: 'EU', assignee: 'manager@example.com' }] },
  failNext: new Map(),
  config: {},
  broken: [],
  requests: [],
  tokenGrants: [],
});

let built: Promise<ConsoleBuild> | undefined;
const consoleFiles = () => (built ??= buildConsole());

const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', json: 'application/json' };

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An ID token as the console sees it: the console never checks signatures (the API does). */
export const idTokenFor = (email: string, issued = 0) =>
  `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ iss: ISSUER, aud: CLIENT_ID, sub: email, email, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600, n: issued })}.c2ln`;

/** The stand-in identity provider: discovery, an authorize endpoint that signs in at once, a token endpoint. */
const identityProvider = async (route: Route, url: URL, standIn: StandIn) => {
  if (url.pathname === '/oidc/.well-known/openid-configuration') {
    return route.fulfill({
      json: {
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/auth`,
        token_endpoint: `${ISSUER}/token`,
        jwks_uri: `${ISSUER}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      },
    });
  }
  if (url.pathname === '/oidc/auth') {
    const back = new URL(url.searchParams.get('redirect_uri') ?? CONSOLE);
    back.searchParams.set('code', 'a-code');
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    // The stand-in login page signs in at once and sends the browser back, as the real one does after the password.
    const target = back.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><meta http-equiv="refresh" content="0;url=${target}"><title>Sign in</title>` });
  }
  if (url.pathname === '/oidc/token') {
    const grant = new URLSearchParams(route.request().postData() ?? '').get('grant_type') ?? '';
    standIn.tokenGrants.push(grant);
    const renewed = standIn.tokenGrants.length;
    return route.fulfill({
      json: {
        id_token: idTokenFor(standIn.me.email ?? '', renewed),
        access_token: 'an-access-token',
        refresh_token: `a-refresh-token-${renewed}`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'openid email profile',
      },
      headers: { 'access-control-allow-origin': '*' },
    });
  }
  if (url.pathname === '/oidc/cognito-logout') return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Signed out</title><p>Signed out' });
  return route.fulfill({ status: 404, body: 'not found' });
};

const json = (route: Route, schema: z.ZodType, body: unknown, headers: Record<string, string> = {}) =>
  route.fulfill({ status: 200, contentType: 'application/json', headers, body: JSON.stringify(schema.parse(body)) });

/** Serves the built console, the stand-in identity provider and the stand-in API on ORIGIN. */
export const serveConsole = async (page: Page, standIn: StandIn, now: number) => {
  const { files } = await consoleFiles();
  await page.route(`${ORIGIN}/**`, (route) =>
    answer(route).catch((error: unknown) => {
      standIn.broken.push(String(error));
      return route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'The stand-in API broke' } } });
    }),
  );
  async function answer(route: Route) {
    const request = route.request();
    const url = new URL(request.url());
    if (url.pathname.startsWith('/console/')) {
      const name = url.pathname.slice('/console/'.length) || 'index.html';
      const body = name === 'config.json' ? Buffer.from(JSON.stringify({ issuer: ISSUER, clientId: CLIENT_ID, ...standIn.config })) : files.get(name);
      if (!body) return route.fulfill({ status: 404, body: 'Not found' });
      return route.fulfill({ status: 200, contentType: types[name.split('.').pop() ?? ''] ?? 'text/plain', headers: { 'content-security-policy': consoleCsp(ISSUER) }, body: Buffer.from(body) });
    }
    if (url.pathname.startsWith('/oidc/')) return identityProvider(route, url, standIn);
    const method = request.method();
    const path = url.pathname;
    const headers = request.headers();
    const bodyText = request.postData();
    standIn.requests.push({ method, path: `${path}${url.search}`, headers, body: bodyText ? JSON.parse(bodyText) : undefined });
    const failing = standIn.failNext.get(`${method} ${path}`);
    if (failing && failing.times > 0) {
      failing.times -= 1;
      return route.fulfill({ status: failing.status, json: { error: { code: failing.status === 401 ? 'unauthorized' : 'internal', message: 'Stand-in failure' } } });
    }
    const caseId = path.match(/^\/v1\/followups\/([^/]+)(?:\/replies)?$/)?.[1];
    const found = caseId ? standIn.cases.find((c) => c.id === decodeURIComponent(caseId)) : undefined;
    if (method === 'GET' && path === '/v1/me') return json(route, Me, standIn.me);
    if (method === 'GET' && path === '/v1/users')
      return json(route, UserList, { items: ['manager@example.com', 'admin@example.com', 'olga@example.com'].map((email) => ({ email, roles: ['manager'], lastSeenAt: iso(now) })) });
    if (method === 'GET' && path === '/v1/campaigns')
      return json(route, CampaignPage, {
        items: [
          { id: 'cmp-1', name: 'Checkout survey', brand: 'Acme', channel: 'email', locale: 'en', segments: ['plan', 'region'], throttleDays: 90, createdAt: iso(now - 60 * 24 * HOUR), counts: campaignCounts },
        ],
      });
    if (method === 'GET' && (path === '/v1/score' || /^\/v1\/campaigns\/[^/]+\/score$/.test(path))) return json(route, ScoreReport, scoreReport(now));
    if (method === 'GET' && path === '/v1/followups/stats') return json(route, ClosedLoopStats, loopStats(standIn.cases.length));
    if (method === 'GET' && path === '/v1/themes') return json(route, ThemeSetView, { version: 0, themes: defaultThemes, retag: null });
    if (method === 'GET' && path === '/v1/followups') {
      // Like the API's, the ETag is of the answer: another view or theme is another answer.
      const etag = `W/"v${standIn.version}${url.search}"`;
      if (headers['if-none-match'] === etag) return route.fulfill({ status: 304, headers: { etag } });
      const view = url.searchParams.get('view') ?? 'all';
      const theme = url.searchParams.get('theme');
      const items = standIn.cases
        .filter((c) => (view === 'open' ? c.status !== 'closed' : view === 'overdue' ? c.status !== 'closed' && Date.parse(c.dueAt) < now : view === 'mine' ? c.assignee === standIn.me.email : true))
        .filter((c) => !theme || (c.themes ?? []).some((t) => t.id === theme))
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      return json(route, FollowupPage, { items }, { etag });
    }
    if (caseId && !found) return route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'No such case' } } });
    if (found && method === 'GET') return json(route, FollowupDetail, caseDetail(found, now, found.id === 'case-blocked' ? { channel: 'email', allowed: false, blockedBy: 'opted_out' } : standIn.replyAllowed));
    if (found && method === 'PATCH') {
      const patch = JSON.parse(bodyText ?? '{}') as Partial<FollowupCase>;
      Object.assign(found, patch.assignee !== undefined ? { assignee: patch.assignee ?? undefined } : {}, patch.status ? { status: patch.status } : {});
      standIn.version += 1;
      return json(route, FollowupDetail.omit({ timeline: true, earlierAnswers: true, reply: true }), found);
    }
    if (found && method === 'POST' && path.endsWith('/replies')) {
      const input = JSON.parse(bodyText ?? '{}') as { text: string };
      return json(route, ReplyResult, { reply: { type: 'reply', at: iso(now), by: standIn.me.email, channel: found.channel ?? 'email', text: input.text, delivery: standIn.replyDelivery }, case: found });
    }
    if (path === '/v1/assignment-rules') {
      if (method === 'PUT') standIn.rules = AssignmentRules.parse(JSON.parse(bodyText ?? '{}'));
      return json(route, AssignmentRules, standIn.rules);
    }
    return route.fulfill({ status: 404, json: { error: { code: 'not_found', message: `No route for ${method} ${path}` } } });
  }
};

const campaignCounts = { recipients: 1200, scheduled: 0, queued: 0, sent: 1180, failed: 3, suppressed: 2, withdrawn: 15, reminded: 300, skipped: {}, clicked: 640, responded: 512, clickToAnswerRate: 0.8 };

/** Signs the page in as oidc-client-ts would have after a sign-in (sessionStorage), before any script runs. */
export const signedInAs = async (page: Page, email: string, extra: { readonly refresh_token?: string } = {}) => {
  const user = {
    id_token: idTokenFor(email),
    access_token: 'an-access-token',
    token_type: 'Bearer',
    scope: 'openid email profile',
    profile: { sub: email, email },
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    ...extra,
  };
  await page.addInitScript(
    ([key, value]) => {
      // Once per tab, as a real sign-in: a sign-out that removes it stays signed out.
      if (sessionStorage.getItem('test.seeded')) return;
      sessionStorage.setItem('test.seeded', 'yes');
      sessionStorage.setItem(key, value);
    },
    [`oidc.user:${ISSUER}:${CLIENT_ID}`, JSON.stringify(user)] as const,
  );
};
