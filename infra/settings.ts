import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { serviceName } from '#shared/contract/wiring';

// `cdk.json` gives booleans; `cdk deploy -c retainData=false` gives the string "false".
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** Steady requests per second of a route; API Gateway's own account limit (10,000 a Region) caps it anyway. */
const rateLimit = z.coerce.number().positive().max(10_000);
/** Requests a route may take at once above its rate (API Gateway's bucket size: a whole number, at most 5,000). */
const burstLimit = z.coerce.number().int().positive().max(5_000);

/** A DNS host name: labels of letters, digits and hyphens, at least two of them. */
const hostName = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a host name like surveys.example.com');

/** Deployment settings, read from CDK context (`cdk.json` or `-c key=value`). */
export const Settings = z.object({
  /** Keep the table (deletion protection, RETAIN), secrets and key when the stack goes; false only for dev stacks. */
  retainData: flag.default(true),
  /**
   * The domain survey e-mails come from. The stack creates its SES identity with Easy DKIM and,
   * given `hostedZoneId`, writes the three DKIM CNAME records; otherwise it outputs them for you to add.
   */
  senderDomain: hostName.optional(),
  /**
   * The From address of survey e-mails; default surveys@<senderDomain>. Without senderDomain it
   * (or its domain) must be an identity you verified in SES yourself.
   */
  senderEmail: z.email().optional(),
  /** Base URL of the links in e-mails when something else fronts the stack's CloudFront distribution; default: the customDomain, else the distribution's URL. */
  publicBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https URL, e.g. https://surveys.example.com' }).optional(),
  /**
   * Serve the console, the API and the survey and unsubscribe links on this host name (e.g.
   * surveys.acme.com), an alternate name of the CloudFront distribution. Needs `certificateArn`; with
   * `hostedZoneId` (a Route 53 zone holding the name) the stack writes the alias records, else you add a CNAME.
   */
  customDomain: hostName.optional(),
  /** An ACM certificate for customDomain in us-east-1, the only Region CloudFront reads certificates from. */
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'an ACM certificate ARN')
    .refine((arn) => arn.split(':')[3] === 'us-east-1', 'must be a certificate in us-east-1 (CloudFront reads certificates only from there)')
    .optional(),
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, 'a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ').optional(),
  /** The hosted zone's name; default: customDomain without its first label (surveys.acme.com → acme.com). */
  hostedZoneName: hostName.optional(),
  /**
   * The console's sign-in pages live at https://<prefix>.auth.<region>.amazoncognito.com; the prefix
   * must be free in the Region. Default: the stack name and the account id (npsloopstack-123456789012).
   */
  consoleDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and hyphens, 1 to 63 of them')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'may not contain "aws", "amazon" or "cognito" (Cognito refuses them)')
    .optional(),
  /** Subscribed to detractor alerts (managers). */
  alertEmail: z.email().optional(),
  /** Subscribed to operational alarms (dead letters, failed stream records). */
  alarmEmail: z.email().optional(),
  /**
   * The account's SES maximum send rate, in e-mails per second (1 in the SES sandbox, 14 or more
   * with production access; see the SES console). The e-mail senders share it.
   */
  emailSendRate: z.coerce.number().positive().default(14),
  /**
   * The two-way number survey SMS go out from (E.164), so replies come back to the smsInbound
   * topic; without one SNS picks an origination identity of the account, which may not be two-way.
   */
  smsOriginationNumber: z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be a phone number in E.164 format, e.g. +18005550100').optional(),
  /**
   * SMS per second the origination number may send (its MPS: 1 for a US long code, more for a
   * toll-free number or short code; see End User Messaging). The SMS senders share it.
   */
  smsSendRate: z.coerce.number().positive().default(1),
  /**
   * The account's monthly SMS spend limit in USD, as set once with
   * `aws sns set-sms-attributes --attributes MonthlySpendLimit=<usd>`; the stack alarms at 80% of it.
   */
  smsMonthlySpendLimitUsd: z.coerce.number().positive().optional(),
  /**
   * Days a survey link stays open after its invitation went out; later it shows "this survey has
   * closed" (410). Checked against the stored send time, so a change applies to links already sent.
   * Unsubscribe links never close.
   */
  surveyExpiryDays: z.coerce.number().int().positive().default(90),
  /** Hours a manager has to act on a detractor's follow-up case before it is overdue. */
  followupSlaHours: z.coerce.number().positive().default(48),
  /**
   * Throttle of each customer route (`/s/{token}`, `/u/{token}`), requests per second: a busy
   * campaign's answers plus mail scanners following every link, with room to spare.
   */
  publicRateLimit: rateLimit.default(200),
  publicBurstLimit: burstLimit.default(400),
  /** Throttle of each admin route (`/v1/...`): the CLI, the console and integrations. */
  adminRateLimit: rateLimit.default(50),
  adminBurstLimit: burstLimit.default(100),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /**
   * CloudWatch namespace of the business metrics (invitations sent, answers, detractors, alerts…);
   * give each stack in one account and Region its own. CloudWatch's rules: up to 255 of
   * [A-Za-z0-9 ._/#:-], not starting with "AWS/".
   */
  metricsNamespace: z
    .string()
    .regex(/^[A-Za-z0-9 ._/#:-]{1,255}$/, 'up to 255 letters, digits, spaces and . _ / # : -')
    .refine((namespace) => !namespace.startsWith('AWS/'), 'the AWS/ prefix is reserved for AWS')
    .default(serviceName),
  /** CloudWatch Logs accepts only its own list of periods (1, 3, 5, 7, 14, 30, 60, 90, …). */
  logRetentionDays: z.coerce
    .number()
    .refine((days): days is RetentionDays => Object.values(RetentionDays).includes(days), 'not a CloudWatch Logs retention period')
    .default(RetentionDays.ONE_MONTH),
}).superRefine((s, ctx) => {
  if (s.customDomain && !s.certificateArn) {
    ctx.addIssue({ code: 'custom', path: ['customDomain'], message: 'needs certificateArn, an ACM certificate for it in us-east-1' });
  }
  if (!s.customDomain && s.certificateArn) {
    ctx.addIssue({ code: 'custom', path: ['certificateArn'], message: 'is only used with customDomain' });
  }
  if (!s.customDomain && !s.senderDomain && s.hostedZoneId) {
    ctx.addIssue({ code: 'custom', path: ['hostedZoneId'], message: 'is only used with customDomain or senderDomain' });
  }
  // cdk.json has no sender: a deploy must never go out with a placeholder From address that SES refuses.
  if (!s.senderEmail && !s.senderDomain) {
    ctx.addIssue({
      code: 'custom',
      path: ['senderDomain'],
      message:
        'no sender: add -c senderDomain=yourdomain.com (the stack creates the SES identity with DKIM) or ' +
        '-c senderEmail=surveys@yourdomain.com (an identity already verified in SES)',
    });
  }
  if (s.senderDomain && s.senderEmail && !s.senderEmail.toLowerCase().endsWith(`@${s.senderDomain}`)) {
    ctx.addIssue({ code: 'custom', path: ['senderEmail'], message: `must be an address at senderDomain ${s.senderDomain}` });
  }
  const zone = zoneNameOf(s);
  for (const [key, name] of [['customDomain', s.customDomain], ['senderDomain', s.senderDomain]] as const) {
    if (s.hostedZoneId && zone && name && name !== zone && !name.endsWith(`.${zone}`)) {
      ctx.addIssue({ code: 'custom', path: [key === 'customDomain' ? 'hostedZoneName' : 'senderDomain'], message: `${name} is not inside ${zone}` });
    }
  }
});
export type Settings = z.output<typeof Settings>;

/** The hosted zone's name: hostedZoneName, else customDomain without its first label, else senderDomain. */
export function zoneNameOf(s: Pick<Settings, 'hostedZoneName' | 'customDomain' | 'senderDomain'>): string | undefined {
  return s.hostedZoneName ?? s.customDomain?.slice(s.customDomain.indexOf('.') + 1) ?? s.senderDomain;
}

/** The From address: senderEmail, else surveys@<senderDomain> (the settings refuse neither being set). */
export const senderAddressOf = (s: Settings): string => s.senderEmail ?? `surveys@${s.senderDomain ?? ''}`;

/** A deployment setting the user gave wrong: infra/app.ts prints its message alone, without a stack trace. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Reads and validates the settings; a bad value fails the synth with the key's name in the message. */
export const readSettings = (scope: Construct): Settings => {
  const raw = Object.fromEntries(Object.keys(Settings.shape).map((key) => [key, scope.node.tryGetContext(key)]));
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SettingsError(`Invalid npsloop context: ${problems}`);
  }
  return parsed.data;
};
