import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localCredentials } from '#local/services/local-credentials';
import { ErrorBody } from '#shared/contract/errors';
import { api, eventually, outbox, type Reply, request, uniqueEmail } from '#test/integration/client';
import { functions } from '#shared/contract/wiring';

/**
 * The bad-input sweep: hundreds of malformed, blank, oversized, prototype-named,
 * control-character and forged requests against every public and admin route of the running
 * local runtime. None may answer 5xx, each gets the 4xx the contract promises (or the
 * documented page), and the table is exactly as it was before.
 *
 * The cases are data: add one to a list below and it is swept with the rest.
 */

// --- the state the bad requests aim at: a real campaign, invitation token and follow-up case ---

interface Target {
  readonly campaignId: string;
  /** The survey token (`/s`) and the unsubscribe token (`/u`) of one invitation. */
  readonly token: string;
  readonly unsubscribeToken: string;
  readonly followupId: string;
}

interface Case {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Sent as is; `json` bodies are serialized and sent as application/json. */
  readonly raw?: string;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  readonly auth?: boolean;
  /** The statuses the contract allows; any 4xx when not given. */
  readonly allow?: readonly number[];
}

const isClientError = (status: number) => status >= 400 && status < 500;

// --- building blocks of bad input ---

const LONG = 'A'.repeat(3000);
const OVERSIZED_BODY = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
const CONTROL_CHARACTERS = ['\r\nBcc: x@example.com', '\n', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u2028', '\t'];
const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

/** Path segments that cannot name a campaign or follow-up: too long, another alphabet, prototype names, escapes. */
const ODD_IDS = [
  LONG,
  'nope',
  '01kb0000000000000000000000',
  '01KB000000000000000000000U',
  '01KB00000000000000000000000',
  ...PROTOTYPE_NAMES,
  '%00',
  '%0D%0A',
  '..%2F..%2Fetc',
  '%C3%A9%F0%9F%8C%BC',
  '%20',
  '%25',
  "'%20OR%20'1'%3D'1",
];

/**
 * Tokens that must be "not found": forged, malformed, too long, prototype names. Non-canonical
 * spellings of the real token (ISSUE-8 #11) belong here too, returned by `nonCanonical`.
 */
const badTokens = (token: string): string[] => {
  const [id = '', mac = ''] = token.split('.');
  const flip = (s: string) => `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1) ?? ''}`;
  return [
    LONG,
    `${LONG}.${LONG}`,
    `${id}.${flip(mac)}`,
    `${flip(id)}.${mac}`,
    `${id}.${'A'.repeat(22)}`,
    `${id}.${mac}.x`,
    `${id}..${mac}`,
    `${id}${mac}`,
    id,
    `.${mac}`,
    `${id}.`,
    token.slice(0, -1),
    `${token}A`,
    `${token}%3D`,
    `${id}.${mac.slice(0, -1)}%2B`,
    `${id}%0A.${mac}`,
    ...PROTOTYPE_NAMES,
    '%00',
    '%20',
    ...nonCanonical(token),
  ];
};

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Spellings of a valid token that decode to the same bytes: the last character of each 22-char
 * part carries 2 bits, so the 15 characters that differ from it only in the 4 padding bits
 * decode alike. Only the canonical spelling may open anything.
 */
const nonCanonical = (token: string): string[] => {
  const [id = '', mac = ''] = token.split('.');
  const aliases = (part: string) => {
    const last = B64URL.indexOf(part.at(-1) ?? 'A');
    return Array.from({ length: 16 }, (_, low) => (last & 0b110000) | low)
      .filter((i) => i !== last)
      .map((i) => `${part.slice(0, -1)}${B64URL[i] ?? ''}`);
  };
  return [...aliases(mac).map((m) => `${id}.${m}`), ...aliases(id).slice(0, 3).map((i) => `${i}.${mac}`)];
};

// --- the cases, route by route ---

const junkJsonBodies: readonly Pick<Case, 'name' | 'raw' | 'json' | 'headers'>[] = [
  { name: 'malformed JSON', raw: '{"a": ' },
  { name: 'a JSON string', raw: '"text"' },
  { name: 'a JSON number', raw: '42' },
  { name: 'JSON null', raw: 'null' },
  { name: 'a JSON list', raw: '[]' },
  { name: 'an empty object', json: {} },
  { name: 'an empty body', raw: '', headers: { 'content-type': 'application/json' } },
  { name: 'a blank body', raw: '  \n ' },
  { name: 'a body over 256 KB', raw: OVERSIZED_BODY },
  { name: 'an unsupported media type', raw: '<xml/>', headers: { 'content-type': 'application/xml' } },
  { name: 'a prototype-named key', raw: '{"__proto__": {"admin": true}}' },
  { name: 'a constructor key', raw: '{"constructor": {"prototype": {"admin": true}}}' },
];

const withBody = (base: Omit<Case, 'name'>, label: string, bodies: readonly Pick<Case, 'name' | 'raw' | 'json' | 'headers'>[]): Case[] =>
  bodies.map((b) => ({
    ...base,
    name: `${label}: ${b.name}`,
    ...(b.raw !== undefined ? { raw: b.raw } : {}),
    ...(b.json !== undefined ? { json: b.json } : {}),
    headers: { 'content-type': 'application/json', ...(base.headers ?? {}), ...(b.headers ?? {}) },
  }));

const campaignCases = (): Case[] => {
  const valid = { name: 'Sweep', brand: 'Acme', channel: 'email' };
  const bodies: Pick<Case, 'name' | 'json' | 'raw'>[] = [
    { name: 'no brand', json: { name: 'x', channel: 'email' } },
    { name: 'a blank name', json: { ...valid, name: '' } },
    { name: 'a name of spaces', json: { ...valid, name: '   ' } },
    { name: 'a name over 200 characters', json: { ...valid, name: 'n'.repeat(201) } },
    { name: 'a brand over 100 characters', json: { ...valid, brand: 'b'.repeat(101) } },
    { name: 'a question over 300 characters', json: { ...valid, question: 'q'.repeat(301) } },
    { name: 'a numeric name', json: { ...valid, name: 42 } },
    { name: 'a null brand', json: { ...valid, brand: null } },
    { name: 'a list as channel', json: { ...valid, channel: ['email'] } },
    { name: 'a fax channel', json: { ...valid, channel: 'fax' } },
    { name: 'an unknown locale', json: { ...valid, locale: 'xx' } },
    { name: 'throttleDays as text', json: { ...valid, throttleDays: '90' } },
    { name: 'negative throttleDays', json: { ...valid, throttleDays: -1 } },
    { name: 'fractional throttleDays', json: { ...valid, throttleDays: 1.5 } },
    { name: 'a sendAt without offset', json: { ...valid, sendAt: '2026-12-01T10:00:00' } },
    { name: 'an impossible sendAt', json: { ...valid, sendAt: '2026-13-45T10:00:00Z' } },
    { name: 'reminderAfterHours 0', json: { ...valid, reminderAfterHours: 0 } },
    { name: 'an unknown time zone', json: { ...valid, timezone: 'Mars/Olympus' } },
    { name: 'a three-letter country', json: { ...valid, defaultCountry: 'USA' } },
    { name: 'six segments', json: { ...valid, segments: ['a', 'b', 'c', 'd', 'e', 'f'] } },
    { name: 'a segment with a space', json: { ...valid, segments: ['plan name'] } },
    { name: 'a segment as a number', json: { ...valid, segments: [1] } },
    { name: 'an unknown field', json: { ...valid, admin: true } },
    { name: 'a colour name as brandColor', json: { ...valid, brandColor: 'red' } },
    { name: 'CSS in brandColor', json: { ...valid, brandColor: '#000;background:url(x)' } },
    { name: 'an http logoUrl', json: { ...valid, logoUrl: 'http://acme.example/logo.png' } },
    { name: 'a javascript: privacyUrl', json: { ...valid, privacyUrl: 'javascript:alert(1)' } },
    { name: 'a data: logoUrl', json: { ...valid, logoUrl: 'data:image/svg+xml,<svg/>' } },
    { name: 'a four-line postalAddress', json: { ...valid, postalAddress: 'a\nb\nc\nd' } },
    { name: 'an empty postalAddress', json: { ...valid, postalAddress: '\n \n' } },
    { name: 'a numeric senderName', json: { ...valid, senderName: 7 } },
    ...PROTOTYPE_NAMES.map((name) => ({ name: `the reserved segment ${name}`, json: { ...valid, segments: ['plan', name] } })),
    ...PROTOTYPE_NAMES.map((name) => ({ name: `the top-level key ${name}`, raw: `{"name":"x","brand":"b","channel":"email","${name}":{"x":1}}` })),
    // A postal address keeps its line breaks (up to 3 lines); every other control character is refused.
    ...CONTROL_CHARACTERS.filter((c) => !/^\r?\n/.test(c)).map((c) => ({ name: `${JSON.stringify(c)} in postalAddress`, json: { ...valid, postalAddress: `Acme${c}Co` } })),
    ...['name', 'brand', 'question', 'followUpQuestion', 'senderName'].flatMap((field) =>
      CONTROL_CHARACTERS.map((c) => ({ name: `${JSON.stringify(c)} in ${field}`, json: { ...valid, [field]: `Acme${c}Co` } })),
    ),
  ];
  return withBody({ method: 'POST', path: '/v1/campaigns' }, 'POST /v1/campaigns', [...junkJsonBodies, ...bodies]);
};

const recipientsCases = (t: Target): Case[] => {
  const one = (recipient: Record<string, unknown>) => ({ recipients: [{ email: uniqueEmail('sweep'), ...recipient }] });
  const bodies: Pick<Case, 'name' | 'json' | 'raw'>[] = [
    { name: 'no list', json: { people: [] } },
    { name: 'an empty list', json: { recipients: [] } },
    { name: 'a list of text', json: { recipients: ['a@example.com'] } },
    { name: '1,001 recipients', json: { recipients: Array.from({ length: 1001 }, (_, i) => ({ email: `u${i}@example.com` })) } },
    { name: 'a null recipient', json: { recipients: [null] } },
    { name: 'an unknown recipient field', json: one({ admin: true }) },
    { name: 'a numeric e-mail', json: one({ email: 5 }) },
    { name: 'an e-mail over 320 characters', json: one({ email: `${'a'.repeat(320)}@example.com` }) },
    { name: 'an unknown locale', json: one({ locale: 'xx' }) },
    { name: 'a name over 200 characters', json: one({ name: 'n'.repeat(201) }) },
    { name: 'attributes as a list', json: one({ attributes: ['pro'] }) },
    { name: 'an object attribute value', json: one({ attributes: { plan: { nested: true } } }) },
    { name: 'an attribute value over 100 characters', json: one({ attributes: { plan: 'p'.repeat(101) } }) },
    { name: 'an attribute name with a space', json: one({ attributes: { 'plan name': 'pro' } }) },
    ...PROTOTYPE_NAMES.map((name) => ({
      name: `the reserved attribute ${name}`,
      raw: `{"recipients":[{"email":"${uniqueEmail('sweep')}","attributes":{"plan":"pro","${name}":"x"}}]}`,
    })),
    ...CONTROL_CHARACTERS.flatMap((c) => [
      { name: `${JSON.stringify(c)} in a name`, json: one({ name: `Ann${c}Lee` }) },
      { name: `${JSON.stringify(c)} in an attribute value`, json: one({ attributes: { plan: `pr${c}o` } }) },
    ]),
  ];
  const path = `/v1/campaigns/${t.campaignId}/recipients`;
  return [
    ...withBody({ method: 'POST', path }, 'POST recipients', [...junkJsonBodies, ...bodies]),
    ...withBody({ method: 'POST', path, headers: { 'idempotency-key': 'k'.repeat(201) } }, 'POST recipients with a long Idempotency-Key', [
      { name: 'and a bad body', json: { recipients: [] } },
    ]),
  ];
};

const followupPatchCases = (t: Target): Case[] => {
  const bodies: Pick<Case, 'name' | 'json' | 'raw'>[] = [
    { name: 'an unknown status', json: { status: 'lost' } },
    { name: 'a numeric status', json: { status: 1 } },
    { name: 'a blank assignee', json: { assignee: '  ' } },
    { name: 'an assignee over 200 characters', json: { assignee: 'a'.repeat(201) } },
    { name: 'a blank note', json: { note: '' } },
    { name: 'a note over 2,000 characters', json: { note: 'n'.repeat(2001) } },
    { name: 'a note as a list', json: { note: ['n'] } },
    { name: 'an unknown field', json: { status: 'resolved', admin: true } },
    { name: 'a status hidden under __proto__', raw: '{"__proto__": {"status": "resolved"}}' },
    { name: 'a status next to __proto__', raw: '{"status": "resolved", "__proto__": {"x": 1}}' },
    { name: 'a status next to constructor', raw: '{"status": "resolved", "constructor": {"x": 1}}' },
    ...CONTROL_CHARACTERS.map((c) => ({ name: `${JSON.stringify(c)} in an assignee`, json: { assignee: `Ann${c}Lee` } })),
    { name: 'closing without a reason', json: { status: 'closed' } },
    { name: 'an unknown close reason', json: { status: 'closed', closeReason: 'bored' } },
    { name: 'a close reason without closing', json: { status: 'contacted', closeReason: 'resolved' } },
  ];
  return withBody({ method: 'PATCH', path: `/v1/followups/${t.followupId}` }, 'PATCH /v1/followups/{id}', [...junkJsonBodies, ...bodies]);
};

const replyCases = (t: Target): Case[] => {
  const bodies: Pick<Case, 'name' | 'json' | 'raw'>[] = [
    { name: 'no text', json: { close: 'resolved' } },
    { name: 'a blank text', json: { text: '   ' } },
    { name: 'a text over 1,000 characters', json: { text: 't'.repeat(1001) } },
    { name: 'a numeric text', json: { text: 5 } },
    { name: 'an unknown close reason', json: { text: 'Hi', close: 'bored' } },
    { name: 'an unknown field', json: { text: 'Hi', to: 'someone@example.com' } },
    { name: 'a text hidden under __proto__', raw: '{"__proto__": {"text": "Hi"}}' },
  ];
  const path = `/v1/followups/${t.followupId}/replies`;
  return [
    ...withBody({ method: 'POST', path, headers: { 'idempotency-key': 'sweep-reply' } }, 'POST replies', [...junkJsonBodies, ...bodies]),
    // A good body, but no key or a key too long: nothing may be sent or written.
    ...withBody({ method: 'POST', path }, 'POST replies without an Idempotency-Key', [{ name: 'and a good body', json: { text: 'Hi' } }]),
    ...withBody({ method: 'POST', path, headers: { 'idempotency-key': 'k'.repeat(201) } }, 'POST replies with a long Idempotency-Key', [
      { name: 'and a good body', json: { text: 'Hi' } },
    ]),
  ];
};

const assignmentRuleCases = (): Case[] => {
  const rule = { attribute: 'plan', value: 'pro', assignee: 'olga@example.com' };
  const bodies: Pick<Case, 'name' | 'json' | 'raw'>[] = [
    { name: 'no rules', json: {} },
    { name: 'rules as an object', json: { rules: rule } },
    { name: 'an assignee that is no address', json: { rules: [{ ...rule, assignee: 'olga' }] } },
    { name: 'a blank value', json: { rules: [{ ...rule, value: ' ' }] } },
    { name: 'a segment name with a space', json: { rules: [{ ...rule, attribute: 'plan name' }] } },
    { name: 'the reserved segment constructor', json: { rules: [{ ...rule, attribute: 'constructor' }] } },
    { name: '201 rules', json: { rules: Array.from({ length: 201 }, () => rule) } },
    { name: 'an unknown field', json: { rules: [rule], admin: true } },
    ...CONTROL_CHARACTERS.map((c) => ({ name: `${JSON.stringify(c)} in a value`, json: { rules: [{ ...rule, value: `p${c}ro` }] } })),
  ];
  return withBody({ method: 'PUT', path: '/v1/assignment-rules' }, 'PUT /v1/assignment-rules', [...junkJsonBodies, ...bodies]);
};

const erasureCases = (): Case[] =>
  withBody({ method: 'DELETE', path: '/v1/contacts' }, 'DELETE /v1/contacts', [
    ...junkJsonBodies,
    { name: 'an invalid e-mail', json: { email: 'not-an-email' } },
    { name: 'a blank e-mail', json: { email: '' } },
    { name: 'an e-mail with a line break', json: { email: `${uniqueEmail('sweep')}\r\nBcc: x@example.com` } },
    { name: 'a numeric e-mail', json: { email: 5 } },
    { name: 'a local phone number', json: { phone: '123' } },
    { name: 'a phone over 40 characters', json: { phone: '+1'.repeat(30) } },
    { name: 'an unknown field', json: { email: uniqueEmail('sweep'), admin: true } },
    { name: 'an e-mail under __proto__', raw: `{"__proto__": {"email": "${uniqueEmail('sweep')}"}}` },
  ]);

const answerCases = (t: Target): Case[] => {
  const path = `/s/${t.token}`;
  const form = (name: string, raw: string): Pick<Case, 'name' | 'raw' | 'headers'> => ({
    name,
    raw,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const scores: unknown[] = ['', ' ', '\t', null, false, true, [], [8], {}, '0x0A', '1e1', '07', '+7', '7.0', ' 7', 11, -1, 7.5, 1e300, 'seven', '٧'];
  return withBody({ method: 'POST', path, auth: false, headers: { accept: 'application/json' } }, 'POST /s/{token}', [
    ...junkJsonBodies,
    ...scores.map((score) => ({ name: `the score ${JSON.stringify(score)}`, json: { score } })),
    { name: 'a comment over 2,000 characters', json: { score: 9, comment: 'c'.repeat(2001) } },
    { name: 'a comment as a number', json: { score: 9, comment: 9 } },
    { name: 'a score under __proto__', raw: '{"__proto__": {"score": 9}}' },
    form('an empty form score', 'score=&comment=hi'),
    form('a blank form score', 'score=%20'),
    form('a hexadecimal form score', 'score=0x0A'),
    form('an exponent form score', 'score=1e1'),
    form('a form score with a leading zero', 'score=07'),
    form('a form without a score', 'comment=hi'),
    form('a form score under __proto__', '__proto__=9'),
  ]);
};

/** A GET never records anything: junk in the query still shows the page (200), nothing preselected. */
const pageCases = (t: Target): Case[] =>
  ['score=', 'score=%20', 'score=0x0A', 'score=1e1', 'score=07', 'score=99999999999', 'score=1&score=2', 'score=%00', '__proto__=1', 'constructor=1']
    .flatMap((query) => [
      { name: `GET /s/{token}?${query}`, method: 'GET' as const, path: `/s/${t.token}?${query}`, auth: false, allow: [200] },
      { name: `GET /u/{token}?${query}`, method: 'GET' as const, path: `/u/${t.unsubscribeToken}?${query}`, auth: false, allow: [200] },
    ]);

const tokenCases = (t: Target): Case[] =>
  (['GET /s', 'POST /s', 'GET /u', 'POST /u'] as const).flatMap((route) =>
    badTokens(route.endsWith('/u') ? t.unsubscribeToken : t.token).map((token, i): Case => {
      const [method, prefix] = route.split(' ') as ['GET' | 'POST', string];
      return {
        name: `${route}/{token} with bad token #${i}`,
        method,
        path: `${prefix}/${token}`,
        auth: false,
        ...(method === 'POST' ? { json: { score: 9 } } : {}),
        allow: [404],
      };
    }),
  );

const idCases = (): Case[] =>
  ODD_IDS.flatMap((id, i) => [
    { name: `GET /v1/campaigns/{id} #${i}`, method: 'GET' as const, path: `/v1/campaigns/${id}`, allow: [404] },
    { name: `GET /v1/campaigns/{id}/score #${i}`, method: 'GET' as const, path: `/v1/campaigns/${id}/score`, allow: [404] },
    {
      name: `POST /v1/campaigns/{id}/recipients #${i}`,
      method: 'POST' as const,
      path: `/v1/campaigns/${id}/recipients`,
      json: { recipients: [{ email: uniqueEmail('sweep') }] },
      allow: [404],
    },
    { name: `PATCH /v1/followups/{id} #${i}`, method: 'PATCH' as const, path: `/v1/followups/${id}`, json: { status: 'resolved' }, allow: [404] },
    { name: `GET /v1/followups/{id} #${i}`, method: 'GET' as const, path: `/v1/followups/${id}`, allow: [404] },
    {
      name: `POST /v1/followups/{id}/replies #${i}`,
      method: 'POST' as const,
      path: `/v1/followups/${id}/replies`,
      headers: { 'idempotency-key': `sweep-${i}` },
      json: { text: 'Hi' },
      allow: [404],
    },
    { name: `GET /v1/responses?campaignId= #${i}`, method: 'GET' as const, path: `/v1/responses?campaignId=${id}` },
  ]);

const cursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

const aTheme = { id: 'delivery', name: { en: 'Delivery', ru: 'Доставка' }, keywords: { en: ['delivery'], ru: ['доставка'] } };

const themeCases = (t: Target): Case[] => [
  ...withBody({ method: 'PUT', path: '/v1/themes' }, 'PUT /v1/themes', [
    ...junkJsonBodies,
    { name: 'no themes', json: { themes: [] } },
    { name: 'themes not a list', json: { themes: aTheme } },
    { name: 'the same id twice', json: { themes: [aTheme, aTheme] } },
    { name: 'an id with capitals', json: { themes: [{ ...aTheme, id: 'Delivery' }] } },
    { name: 'an id named __proto__', json: { themes: [{ ...aTheme, id: '__proto__' }] } },
    { name: 'no keywords at all', json: { themes: [{ ...aTheme, keywords: { en: [], ru: [] } }] } },
    { name: 'a keyword with a star in the middle', json: { themes: [{ ...aTheme, keywords: { en: ['deli*very'], ru: [] } }] } },
    { name: 'a keyword of one letter', json: { themes: [{ ...aTheme, keywords: { en: ['a'], ru: [] } }] } },
    { name: 'a keyword with a line break', json: { themes: [{ ...aTheme, keywords: { en: ['late\nparcel'], ru: [] } }] } },
    { name: 'a name missing its Russian', json: { themes: [{ ...aTheme, name: { en: 'Delivery' } }] } },
    { name: '31 themes', json: { themes: Array.from({ length: 31 }, (_, i) => ({ ...aTheme, id: `t${i}` })) } },
    { name: 'an unknown field', json: { themes: [aTheme], version: 7 } },
  ]),
  ...['segment=plan', 'segment=:pro', 'segment=plan:', 'segment=constructor:x', 'from=2026-13-01', 'from=2026-12-02&to=2026-12-01', `campaignId=${LONG}`, 'campaignId=unknown', 'admin=1', '__proto__=1'].map((q) => ({
    name: `GET /v1/themes/impact?${q}`,
    method: 'GET' as const,
    path: `/v1/themes/impact?${q}`,
  })),
  { name: 'GET /v1/themes with junk in the query', method: 'GET', path: '/v1/themes?__proto__=1', allow: [200] },
  ...['theme=Delivery', 'theme=a-b', 'theme=delivery&format=pdf'].map((q) => ({
    name: `GET /v1/responses?${q}`,
    method: 'GET' as const,
    path: `/v1/responses?campaignId=${t.campaignId}&${q}`,
  })),
];

/** What the feed's filters and its month cursors must refuse. */
const feedJunk = (t: Target): string[] => {
  const month = new Date().toISOString().slice(0, 7);
  const monthCursor = (value: Record<string, unknown>) => `cursor=${cursor(value)}`;
  return [
    'category=angry',
    'category=',
    'segment=plan',
    'segment=:pro',
    'segment=constructor:x',
    `segment=plan:${'v'.repeat(400)}`,
    'from=2026-02-30',
    'from=2026-12-02&to=2026-12-01',
    'days=0',
    'days=-1',
    'days=1e3',
    'days=99999',
    'days=7&from=2026-12-01',
    'q=a',
    'q=line%0Abreak',
    `q=${'x'.repeat(201)}`,
    'theme=Delivery',
    'format=csv&limit=0',
    monthCursor({ month: '1999-01' }),
    monthCursor({ month: '2026-13' }),
    monthCursor({ month, key: 'junk' }),
    monthCursor({ month, key: cursor({ PK: 'X', SK: 'Y', GSI4PK: 'RESPONSES#1999-01', GSI4SK: '1' }) }),
    monthCursor({ month, key: cursor({ PK: 'X', SK: 'Y', GSI1PK: `CAMPAIGN#${t.campaignId}#RESP`, GSI1SK: '1' }) }),
    monthCursor({ month, extra: 1 }),
    `cursor=${cursor({ PK: 'X', SK: 'Y', GSI4PK: `RESPONSES#${month}`, GSI4SK: '1' })}`,
  ];
};

const queryCases = (t: Target): Case[] => {
  const pageJunk = [
    'limit=',
    'limit=%20',
    'limit=0',
    'limit=-1',
    'limit=101',
    'limit=0x10',
    'limit=1e1',
    'limit=010',
    'limit=abc',
    'cursor=junk',
    `cursor=${'x'.repeat(2001)}`,
    `cursor=${cursor({ PK: 'X', SK: 'Y'.repeat(1100), GSI1PK: 'CAMPAIGNS', GSI1SK: '1' })}`,
    `cursor=${cursor({ PK: '', SK: '', GSI1PK: 'CAMPAIGNS', GSI1SK: '' })}`,
    `cursor=${cursor({ PK: 'X', SK: 'Y', GSI1PK: 'ANOTHER', GSI1SK: '1' })}`,
    `cursor=${Buffer.from('{"__proto__":{"PK":"X"}}').toString('base64url')}`,
    'admin=1',
    '__proto__=1',
    'constructor=1',
  ];
  const scoreJunk = [
    'from=yesterday',
    'from=2026-1-1',
    'to=20261201',
    'from=2026-13-45',
    'to=2026-02-30',
    'from=2026-02-29&to=2026-03-01',
    'from=2026-12-02&to=2026-12-01',
    'compare=previous',
    'compare=next&from=2026-12-01&to=2026-12-02',
    'by=month',
    'segment=constructor',
    'segment=__proto__',
    'segment=toString',
    `segment=${'s'.repeat(3000)}`,
    'segment=plan%0Aname',
    'admin=1',
    'constructor=1',
  ];
  return [
    ...pageJunk.map((q) => ({ name: `GET /v1/campaigns?${q}`, method: 'GET' as const, path: `/v1/campaigns?${q}` })),
    ...pageJunk.map((q) => ({ name: `GET /v1/followups?${q}`, method: 'GET' as const, path: `/v1/followups?${q}` })),
    ...pageJunk.map((q) => ({ name: `GET /v1/responses?${q}`, method: 'GET' as const, path: `/v1/responses?campaignId=${t.campaignId}&${q}` })),
    ...[
      'status=lost',
      `campaignId=${LONG}`,
      'view=closed',
      'view=mine',
      `cursor=${cursor({ PK: 'X', SK: 'Y', GSI3PK: 'FOLLOWUPS#ACTIVE', GSI3SK: '1' })}`,
      'theme=',
      'theme=Delivery',
      'theme=a-b',
      'theme=доставка',
      `theme=${'a'.repeat(33)}`,
      'theme=delivery&theme=price',
      'themes=delivery',
    ].map((q) => ({
      name: `GET /v1/followups?${q}`,
      method: 'GET' as const,
      path: `/v1/followups?${q}`,
    })),
    ...['from=yesterday', 'from=2026-02-30', 'from=2026-12-02&to=2026-12-01', `campaignId=${LONG}`, 'admin=1', '__proto__=1'].map((q) => ({
      name: `GET /v1/followups/stats?${q}`,
      method: 'GET' as const,
      path: `/v1/followups/stats?${q}`,
    })),
    ...['format=xml', 'campaignId='].map((q) => ({ name: `GET /v1/responses?${q}`, method: 'GET' as const, path: `/v1/responses?${q}` })),
    // The feed's filters, across every campaign and within one.
    ...feedJunk(t).flatMap((q) => [
      { name: `GET /v1/responses?${q}`, method: 'GET' as const, path: `/v1/responses?${q}` },
      { name: `GET /v1/responses?campaignId&${q}`, method: 'GET' as const, path: `/v1/responses?campaignId=${t.campaignId}&${q}` },
    ]),
    ...scoreJunk.map((q) => ({ name: `GET /v1/score?${q}`, method: 'GET' as const, path: `/v1/score?${q}` })),
    ...scoreJunk.map((q) => ({
      name: `GET /v1/campaigns/{id}/score?${q}`,
      method: 'GET' as const,
      path: `/v1/campaigns/${t.campaignId}/score?${q}`,
    })),
  ];
};

/**
 * Without a valid API key or ID token every admin route is a 401, whatever else is wrong: no
 * header, a wrong key, another scheme, a garbled token, an unsigned (`alg: none`) token.
 */
const unauthorizedCases = (t: Target): Case[] =>
  [
    ['POST', '/v1/campaigns'],
    ['GET', '/v1/campaigns'],
    ['GET', `/v1/campaigns/${t.campaignId}`],
    ['POST', `/v1/campaigns/${t.campaignId}/recipients`],
    ['GET', `/v1/campaigns/${t.campaignId}/score`],
    ['GET', '/v1/score'],
    ['GET', '/v1/followups'],
    ['PATCH', `/v1/followups/${t.followupId}`],
    ['GET', `/v1/followups/${t.followupId}`],
    ['GET', '/v1/followups/stats'],
    ['POST', `/v1/followups/${t.followupId}/replies`],
    ['GET', '/v1/assignment-rules'],
    ['PUT', '/v1/assignment-rules'],
    ['GET', '/v1/me'],
    ['GET', '/v1/users'],
    ['GET', `/v1/responses?campaignId=${t.campaignId}`],
    ['GET', '/v1/themes'],
    ['PUT', '/v1/themes'],
    ['GET', '/v1/themes/impact'],
    ['DELETE', '/v1/contacts'],
    ['GET', '/v1/me'],
    ['GET', '/v1/users'],
    ['GET', '/v1/followups/stats'],
    ['GET', `/v1/followups/${t.followupId}`],
    ['POST', `/v1/followups/${t.followupId}/replies`],
    ['GET', '/v1/assignment-rules'],
    ['PUT', '/v1/assignment-rules'],
  ].flatMap(([method, path]) =>
    (
      [
        {},
        { authorization: 'Bearer wrong' },
        { authorization: 'Basic x' },
        { authorization: 'Bearer a.b.c' },
        { authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"email":"x@example.com","cognito:groups":["admin"]}').toString('base64url')}.` },
      ] as Record<string, string>[]
    ).map((headers, i) => ({
      name: `${method ?? ''} ${path ?? ''} without a valid key #${i}`,
      method: method as Case['method'],
      path: path ?? '',
      auth: false,
      headers,
      ...(method === 'GET' ? {} : { json: { recipients: [{ email: uniqueEmail('sweep') }], status: 'resolved', name: 'x', brand: 'b', channel: 'email' } }),
      allow: [401],
    })),
  );

const allCases = (t: Target): Case[] => [
  { name: 'GET /health with junk in the query', method: 'GET', path: '/health?__proto__=1&constructor=x', auth: false, allow: [200] },
  ...campaignCases(),
  ...recipientsCases(t),
  ...followupPatchCases(t),
  ...replyCases(t),
  ...assignmentRuleCases(),
  ...erasureCases(),
  ...answerCases(t),
  ...pageCases(t),
  ...tokenCases(t),
  ...idCases(),
  ...queryCases(t),
  ...themeCases(t),
  ...unauthorizedCases(t),
];

// --- the table, as it is at rest ---

const localEnv = inject('localEnv');
const table = localEnv.TABLE_NAME ?? '';
const ddb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: localCredentials, endpoint: localEnv.AWS_ENDPOINT_URL_DYNAMODB }),
);

/**
 * Items the machinery writes on its own schedule, whatever requests arrive: stream checkpoints,
 * aggregate counter slots, held-invitation buckets and the release cursor.
 */
const BACKGROUND = /^(STREAM#|AGG#|DUE#)/;

/** Every item but the background ones, by key, as comparable text. */
const snapshot = async (): Promise<Map<string, string>> => {
  const items = new Map<string, string>();
  for await (const page of paginateScan({ client: ddb }, { TableName: table, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      const pk = String(item.PK);
      if (BACKGROUND.test(pk)) continue;
      const sorted = Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)));
      items.set(`${pk}|${String(item.SK)}`, JSON.stringify(sorted));
    }
  }
  return items;
};

const differences = (before: Map<string, string>, after: Map<string, string>): string[] => {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => (before.has(k) ? (after.has(k) ? `changed ${k}` : `removed ${k}`) : `added ${k}`));
};

/** The table once the pipeline has settled: two scans a second apart that agree. */
const settled = async (): Promise<Map<string, string>> => {
  let previous = await snapshot();
  return eventually(
    async () => {
      const current = await snapshot();
      const same = differences(previous, current).length === 0;
      previous = current;
      return same ? current : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 1_000, what: 'the table to stop changing' },
  );
};

// --- the sweep ---

const send = (c: Case): Promise<Reply<unknown>> =>
  request<unknown>(c.method, c.path, {
    ...(c.raw !== undefined ? { raw: c.raw } : {}),
    ...(c.json !== undefined ? { body: c.json } : {}),
    headers: { ...(c.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...(c.headers ?? {}) },
    ...(c.auth === false ? { auth: false } : {}),
  });

const sweep = async (cases: readonly Case[], concurrency = 6) => {
  const results: { case: Case; status: number; text: string; body: unknown; json: boolean }[] = [];
  const queue = [...cases];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const reply = await send(next);
      const json = (reply.headers.get('content-type') ?? '').includes('application/json');
      results.push({ case: next, status: reply.status, text: reply.text, body: reply.body, json });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
};

let target: Target;

beforeAll(async () => {
  // A campaign with a segment, one invitation whose link was clicked, and a detractor's open case.
  const { id: campaignId } = (
    await api('POST /v1/campaigns', { body: { name: 'Sweep', brand: 'Acme', channel: 'email', segments: ['plan'] } })
  ).body;
  const email = uniqueEmail('sweep');
  await api('POST /v1/campaigns/{id}/recipients', { params: { id: campaignId }, body: { recipients: [{ email, attributes: { plan: 'pro' } }] } });
  const html = await eventually(
    async () => (await outbox<{ html: string }>({ box: 'email', to: email }))[0]?.html,
    { what: 'the invitation e-mail' },
  );
  const token = /\/s\/([^?"]+)\?score=/.exec(html)?.[1] ?? '';
  const unsubscribeToken = /\/u\/([^?"]+)"/.exec(html)?.[1] ?? '';
  await request('GET', `/s/${token}`, { auth: false });
  await request('POST', `/s/${token}`, { body: { score: 2 }, auth: false });
  const followupId = await eventually(
    async () => (await api('GET /v1/followups', { query: { campaignId } })).body.items[0]?.id,
    { what: 'the follow-up case' },
  );
  if (!token || !unsubscribeToken) throw new Error('the invitation e-mail carries no survey or unsubscribe link');
  target = { campaignId, token, unsubscribeToken, followupId };
}, 120_000);

describe('a sweep of bad input over every public and admin route', () => {
  it('covers every route of the HTTP functions', () => {
    const routes = Object.values(functions)
      .flatMap((f) => (f.source.kind === 'http' ? f.source.routes : []))
      .filter((r) => r !== 'GET /health');
    const swept = new Set(
      allCases(target).map((c) => {
        const path = c.path.split('?')[0] ?? '';
        const route = routes.find((r) => {
          const [method, template = ''] = r.split(' ');
          const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
          return method === c.method && pattern.test(path);
        });
        return route;
      }),
    );
    expect(routes.filter((r) => !swept.has(r))).toEqual([]);
  });

  it('answers every bad request with a 4xx (or the documented page), never a 5xx, and writes nothing', async () => {
    const cases = allCases(target);
    const before = await settled();

    const results = await sweep(cases);

    const after = await settled();
    console.info(`bad-input sweep: ${results.length} requests, statuses ${JSON.stringify(countBy(results.map((r) => r.status)))}`);
    expect(results.length).toBeGreaterThanOrEqual(200);
    const unexpected = results
      .filter((r) => (r.case.allow ? !r.case.allow.includes(r.status) : !isClientError(r.status)))
      .map((r) => `${r.case.name} → ${r.status} ${r.text.slice(0, 120)}`);
    // A JSON refusal is the contract's error body, which the CLI and the console read.
    const offContract = results.filter((r) => r.json && r.status >= 400 && !ErrorBody.safeParse(r.body).success).map((r) => `${r.case.name} → ${r.text.slice(0, 120)}`);
    const leaks = results.filter((r) => /native code|at .+\.ts:\d+/.test(r.text)).map((r) => r.case.name);
    expect({ unexpected, offContract, leaks, writes: differences(before, after) }).toEqual({ unexpected: [], offContract: [], leaks: [], writes: [] });
  });
});

function countBy(values: readonly number[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort());
}
