import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../../cli/command.ts';
import { summaryText } from '../../../cli/commands/recipients.ts';
import type { Io } from '../../../cli/io.ts';
import { main } from '../../../cli/main.ts';
import type { Campaign, CampaignCounts } from '#shared/contract/campaigns';

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** Runs the CLI in-process with captured output and an API that answers `answer` to everything. */
const cli = async (argv: string[], answer?: { status: number; body: unknown }, env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const sent: Sent[] = [];
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    fetch: async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({
        url: String(input),
        method: init?.method ?? 'GET',
        authorization: headers.authorization,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      if (!answer) throw new Error('the test expected no request');
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, sent };
};

const campaign: Campaign = {
  id: '01JCAMPAIGN',
  name: 'Checkout',
  brand: 'Acme',
  channel: 'email',
  locale: 'en',
  segments: ['plan', 'region'],
  throttleDays: 90,
  createdAt: '2026-11-01T10:00:00.000Z',
};
const counts: CampaignCounts = {
  recipients: 9_700,
  scheduled: 0,
  queued: 9_700,
  sent: 0,
  failed: 0,
  suppressed: 0,
  withdrawn: 0,
  reminded: 0,
  skipped: { duplicate: 150, invalid_email: 150 },
  clicked: 0,
  responded: 0,
  clickToAnswerRate: null,
};

describe('command lines', () => {
  it('creates a campaign from flags, sending only what was given, and prints the id first', async () => {
    const run = await cli(
      ['campaign', 'create', '--name', 'Checkout', '--brand', 'Acme', '--segments', 'plan, region,', '--throttle-days', '0',
        '--send-at', '2026-11-20T09:00:00+01:00', '--reminder-after-hours', '48'],
      { status: 201, body: campaign },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.sent).toEqual([
      {
        url: 'http://localhost:3000/v1/campaigns',
        method: 'POST',
        authorization: 'Bearer local-dev-key',
        body: {
          name: 'Checkout',
          brand: 'Acme',
          channel: 'email',
          segments: ['plan', 'region'],
          throttleDays: 0,
          sendAt: '2026-11-20T08:00:00.000Z',
          reminderAfterHours: 48,
        },
      },
    ]);
    expect(run.stdout.split('\n')[0]).toMatch(/^id\s+01JCAMPAIGN$/);
  });

  it('sends the branding flags as the API names them, a typed \\n separating address lines', async () => {
    const run = await cli(
      ['campaign', 'create', '--name', 'Checkout', '--brand', 'Acme', '--brand-color', '#0f766e', '--logo-url', 'https://acme.example/logo.png',
        '--sender-name', 'Acme Support', '--postal-address', 'Acme Ltd\\n10 Market St', '--privacy-url', 'https://acme.example/privacy'],
      { status: 201, body: { ...campaign, senderName: 'Acme Support', postalAddress: 'Acme Ltd\n10 Market St' } },
    );
    expect(run.code).toBe(0);
    expect(run.sent[0]?.body).toMatchObject({
      brandColor: '#0f766e',
      logoUrl: 'https://acme.example/logo.png',
      senderName: 'Acme Support',
      postalAddress: 'Acme Ltd\n10 Market St',
      privacyUrl: 'https://acme.example/privacy',
    });
    expect(run.stdout).toMatch(/^postal address\s+Acme Ltd, 10 Market St$/m);
  });

  it('shows how many who clicked in the e-mail also answered', async () => {
    const run = await cli(['campaign', 'show', '01JCAMPAIGN'], {
      status: 200,
      body: { ...campaign, counts: { ...counts, clicked: 50, responded: 31, clickToAnswerRate: 0.62 } },
    });
    expect(run.stdout).toMatch(/^click → answer\s+62% \(31 of 50 who clicked\)$/m);
    const none = await cli(['campaign', 'show', '01JCAMPAIGN'], { status: 200, body: { ...campaign, counts } });
    expect(none.stdout).toMatch(/^click → answer\s+– \(no clicks yet\)$/m);
  });

  it('takes global options before, between or after the command words', async () => {
    const page = { items: [{ ...campaign, counts }] };
    const before = await cli(['--api-url', 'http://127.0.0.1:9/', '--json', 'campaign', 'list'], { status: 200, body: page });
    const between = await cli(['campaign', '--api-url', 'http://127.0.0.1:9/', 'list', '--json'], { status: 200, body: page });
    for (const run of [before, between]) {
      expect(run.code).toBe(0);
      expect(run.sent[0]?.url).toBe('http://127.0.0.1:9/v1/campaigns?limit=50');
      expect(JSON.parse(run.stdout)).toEqual(page);
    }
  });

  it('shows a campaign with its counts, skipped by reason', async () => {
    const run = await cli(['campaign', 'show', '01JCAMPAIGN'], { status: 200, body: { ...campaign, counts } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^recipients\s+9,700$/m);
    expect(run.stdout).toMatch(/^skipped\s+300 \(duplicate 150, invalid_email 150\)$/m);
  });

  it('shows every count the API has, so a campaign held for its sendAt reads as scheduled', async () => {
    const held = { ...counts, scheduled: 1_950, queued: 0, recipients: 1_950, suppressed: 3, withdrawn: 2, reminded: 7 };
    const run = await cli(['campaign', 'show', '01JCAMPAIGN'], { status: 200, body: { ...campaign, counts: held } });
    for (const [name, value] of [['scheduled', '1,950'], ['queued', '0'], ['sent', '0'], ['failed', '0'], ['suppressed', '3'], ['withdrawn', '2'], ['reminded', '7'], ['clicked', '0'], ['responded', '0']]) {
      expect(run.stdout).toMatch(new RegExp(`^${name}\\s+${value}$`, 'm'));
    }
  });

  it('prints help for every command without calling the API', async () => {
    for (const argv of [['--help'], ['campaign', '--help'], ['campaign', 'create', '--help'], ['help', 'recipients', 'add'], ['score', '-h']]) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(0);
      expect(run.stdout, argv.join(' ')).toMatch(/^Usage: npsloop/);
      expect(run.sent).toEqual([]);
    }
  });

  it('answers a wrong command line with one line on stderr and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /a command is needed/],
      [['campaigns'], /unknown command "campaigns"/],
      [['campaign'], /campaign needs a command: create, show, list/],
      [['campaign', 'delete'], /unknown command "campaign delete"/],
      [['campaign', 'create', '--brand', 'Acme'], /--name is required/],
      [['campaign', 'create', '--name', 'N', '--brand', 'B', '--nme', 'x'], /Unknown option '--nme'/],
      [['campaign', 'create', '--name', 'N', '--brand', 'B', '--throttle-days', 'soon'], /--throttle-days must be a whole number from 0 to 3650/],
      [['campaign', 'create', '--name', 'N', '--brand', 'B', '--channel', 'fax'], /--channel must be email or sms/],
      [['campaign', 'create', '--name', 'N', '--brand', 'B', '--send-at', 'tomorrow'], /--send-at must be an ISO 8601 time/],
      [['campaign', 'show'], /campaign show needs a campaign id/],
      [['recipients', 'add', 'C1'], /--csv FILE is required/],
      [['recipients', 'add', 'C1', '--csv', 'a.csv', '--skipped-out', './a.csv'], /--skipped-out must not be the --csv file/],
      [['score', '--compare', 'previous'], /--compare previous needs --from and --to/],
      [['score', '--from', '2026-13-45'], /--from must be a day like 2026-11-01/],
      [['score', 'C1', 'C2'], /unexpected argument "C2"/],
      [['campaign', 'list', '--api-url', 'https://nps.example.com'], /an API key is needed for https:\/\/nps\.example\.com/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
      expect(run.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(run.sent).toEqual([]);
    }
  });

  it('answers an API refusal with its message on one line and exit code 1', async () => {
    const run = await cli(['campaign', 'show', 'nope'], { status: 404, body: { error: { code: 'not_found', message: 'Campaign not found' } } });
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'npsloop: Campaign not found (HTTP 404 not_found)\n' });
  });

  it('answers a missing CSV file with exit code 1', async () => {
    const run = await cli(['recipients', 'add', 'C1', '--csv', '/nonexistent/people.csv']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^npsloop: ENOENT: no such file or directory.*people\.csv/);
  });

  it('prints the score with its interval and the segments as a table', async () => {
    const figures = (p: number, pa: number, d: number) => {
      const n = p + pa + d;
      return { promoters: p, passives: pa, detractors: d, responses: n, nps: (100 * (p - d)) / n, ci95: { low: -10, high: 40.5 } };
    };
    const body = { ...figures(6, 2, 2), days: [{ day: '2026-11-02', ...figures(6, 2, 2) }], segments: { plan: { free: figures(1, 1, 2), pro: figures(5, 1, 0) } } };
    const run = await cli(['score', 'C1'], { status: 200, body });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('NPS 40.0  (95% CI −10.0 to 40.5)  from 10 responses');
    expect(run.stdout).toContain('promoters 6 (60.0%)  passives 2 (20.0%)  detractors 2 (20.0%)');
    expect(run.stdout).toMatch(/^plan\s+NPS\s+95% CI\s+responses/m);
    expect(run.stdout).toMatch(/^pro\s+83\.3\s+−10\.0 to 40\.5\s+6\s+5\s+1\s+0$/m);
  });
});

describe('resolveConnection', () => {
  it('prefers flags to the environment, and the environment to the defaults', () => {
    const env = { NPSLOOP_API_URL: 'https://nps.example.com', NPSLOOP_API_KEY: 'from-env' };
    expect(resolveConnection({}, env)).toEqual({ baseUrl: 'https://nps.example.com', apiKey: 'from-env' });
    expect(resolveConnection({ 'api-url': 'http://localhost:4000', 'api-key': 'flag' }, env)).toEqual({
      baseUrl: 'http://localhost:4000',
      apiKey: 'flag',
    });
  });

  it('uses the local runtime key only for this machine', () => {
    expect(resolveConnection({}, {})).toEqual({ baseUrl: 'http://localhost:3000', apiKey: 'local-dev-key' });
    expect(resolveConnection({ 'api-url': 'http://[::1]:3000' }, {}).apiKey).toBe('local-dev-key');
    expect(() => resolveConnection({ 'api-url': 'http://localhost.example.com' }, {})).toThrow(/an API key is needed/);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => resolveConnection({ 'api-url': 'localhost:3000' }, {})).toThrow(/must be http or https/);
    expect(() => resolveConnection({ 'api-url': 'not a url' }, {})).toThrow(/is not a URL/);
  });
});

describe('the import summary', () => {
  it('gives the accepted total and the skips by reason, marking the rows never sent', () => {
    const text = summaryText({
      campaignId: 'C1',
      file: 'people.csv',
      rows: 10_000,
      accepted: 9_799,
      alreadyImported: 0,
      skipped: { duplicate: 102, invalid_email: 98, invalid_row: 1 },
      requests: 10,
      seconds: 12.34,
      skippedOut: 'skipped.csv',
    });
    expect(text).toBe(
      [
        'Imported people.csv into campaign C1: 10,000 rows in 12.3 s (10 requests)',
        '  accepted         9,799',
        '  skipped            201',
        '    duplicate        102',
        '    invalid_email     98',
        '    invalid_row        1  (not sent)',
        'Skipped rows, with their reason, line and detail: skipped.csv',
        '',
      ].join('\n'),
    );
  });

  it('says which duplicates repeat an earlier line of the file, naming the first few, and which were already in the campaign', () => {
    const text = summaryText({
      campaignId: 'C1',
      file: 'people.csv',
      rows: 100,
      accepted: 95,
      alreadyImported: 0,
      skipped: { duplicate: 5 },
      duplicates: {
        sameAsEarlierLine: 4,
        alreadyInCampaign: 1,
        examples: [
          { line: 18, sameAs: 17 },
          { line: 40, sameAs: 3 },
          { line: 41, sameAs: 3 },
        ],
      },
      requests: 1,
      seconds: 1,
    });
    expect(text).toMatch(/^ {4}duplicate +5 {2}\(4 repeat an earlier line \(line 18 = line 17, line 40 = line 3, line 41 = line 3, …\); 1 already in the campaign\)$/m);
  });

  it('says a re-run added nobody: its rows were already imported, one row is a row, and no empty skipped file is named', () => {
    const text = summaryText({
      campaignId: 'C1',
      file: 'one.csv',
      rows: 1,
      accepted: 0,
      alreadyImported: 1,
      skipped: {},
      requests: 1,
      seconds: 0.2,
      skippedOut: 'skipped.csv',
    });
    expect(text).toBe(
      [
        'Imported one.csv into campaign C1: 1 row in 0.2 s (1 request)',
        '  accepted          0',
        '  already imported  1  (an earlier run of this import added them; nothing added now)',
        '  skipped           0',
        '',
      ].join('\n'),
    );
  });
});
