/**
 * The one address the browser talks to: a CloudFront distribution that serves the console's
 * static files from a private S3 bucket (origin access control) and passes the API and the
 * customers' survey and unsubscribe pages through to the HTTP API, uncached. One origin means the
 * console calls the API with no CORS, and survey links, alert links and the console share a host.
 */
import { Aws, DefaultStackSynthesizer, Duration, Fn, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, type CfnBucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Where the console lives on the distribution, and its key prefix in the bucket. */
export const consolePath = '/console/';

/** The paths the HTTP API answers (shared/contract/wiring.ts routes): everything else is the console. */
export const apiPathPatterns = ['/v1/*', '/health', '/s/*', '/u/*'] as const;

export interface NpsloopDistributionProps {
  readonly api: HttpApi;
  /** Origins besides its own the console may call: the identity provider's discovery, token and JWKS endpoints. */
  readonly identityOrigins: readonly string[];
  /** A host name of the company's own, with an ACM certificate in us-east-1 (where CloudFront reads certificates). */
  readonly domain?: { readonly name: string; readonly certificate: ICertificate } | undefined;
}

export class NpsloopDistribution extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<host>`, no trailing slash: the base of survey links and of the API. */
  readonly url: string;
  /** `https://<host>/console/`: the sign-in's callback and logout URL, and the base of case links in alerts. */
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: NpsloopDistributionProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'ConsoleFiles', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Rebuilt from the repository on every deploy: nothing in it is worth keeping. The console
      // deployments delete their files when the stack goes, so the bucket is empty by then.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of the console, written by the deployment alone and read only by ' +
        'CloudFront through origin access control; an access log of it would record nothing worth auditing.',
    });

    // CloudFront's names are global to the account, and the stack may stand in several Regions under one name.
    // (A Region's name is at most 14 characters.)
    const globalName = (id: string, maxLength: number) =>
      `${Aws.REGION}-${Names.uniqueResourceName(this, { maxLength: maxLength - 16 - id.length })}-${id}`;
    const consoleOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket, {
      originAccessControl: new S3OriginAccessControl(this, 'ConsoleAccess', {
        originAccessControlName: globalName('console', 64),
        description: 'npsloop: CloudFront reads the console bucket',
      }),
    });
    // The console is served from /console/; anything else that is not the API leads there.
    const consoleEntry = new EdgeFunction(this, 'ConsoleEntry', {
      comment: 'npsloop: /console/ serves its index.html; other paths that are not the API redirect to /console/',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var uri = event.request.uri;',
          `  if (uri.startsWith('${consolePath}')) {`,
          "    if (uri.endsWith('/')) event.request.uri = uri + 'index.html';",
          '    return event.request;',
          '  }',
          `  return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${consolePath}' } } };`,
          '}',
        ].join('\n'),
      ),
    });
    const consoleHeaders = new ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      responseHeadersPolicyName: globalName('console-headers', 128),
      comment: 'npsloop console: strict CSP, no framing, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            ["connect-src 'self'", ...props.identityOrigins].join(' '),
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: false, override: true },
      },
    });
    const consoleFiles: BehaviorOptions = {
      origin: consoleOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: consoleHeaders,
      functionAssociations: [{ function: consoleEntry, eventType: FunctionEventType.VIEWER_REQUEST }],
      compress: true,
    };

    // The API's own host ($default stage, no path); `Host` stays the API's, as API Gateway requires.
    const apiHost = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const api: BehaviorOptions = {
      origin: new HttpOrigin(apiHost, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Every viewer header (Authorization, Accept, Idempotency-Key…), cookie and query string.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'npsloop: console, admin API, survey and unsubscribe pages',
      defaultBehavior: consoleFiles,
      additionalBehaviors: {
        [`${consolePath}*`]: consoleFiles,
        ...Object.fromEntries(apiPathPatterns.map((pattern) => [pattern, api])),
      },
      domainNames: props.domain ? [props.domain.name] : undefined,
      certificate: props.domain?.certificate,
      // Only a certificate of our own can set it; *.cloudfront.net's policy is CloudFront's.
      minimumProtocolVersion: props.domain ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableIpv6: true,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: customers answer surveys from wherever they are, and the console is used by staff who ' +
          'travel; access is controlled by invitation tokens and sign-in, not by country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL: it costs at least $5 a month plus $1 per rule even when idle. Each API route has its own ' +
          'API Gateway throttle, admin routes need a key or a signed-in user, and survey tokens are HMAC-signed.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'CloudFront standard logs would hold every survey link (a customer token) and viewer IP; the API behind it ' +
          'keeps its own JSON access log (API Gateway) without path or IP, which is the record of every data request.',
      },
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without a customDomain the distribution uses the *.cloudfront.net certificate, whose minimum TLS ' +
                'version CloudFront fixes; with a customDomain the stack sets TLSv1.2_2021.',
            },
          ]),
    );

    const host = props.domain ? props.domain.name : this.distribution.distributionDomainName;
    this.url = `https://${host}`;
    this.consoleUrl = `${this.url}${consolePath}`;
  }

  /**
   * Uploads the console's built files under /console/ with the `config.json` it signs in with.
   * index.html and config.json are revalidated on every load, so a deploy shows at once without a
   * CloudFront invalidation (which CDK would grant on every distribution, "*"); the other files
   * (the hashed bundles) are cached for an hour.
   */
  deployConsole(files: string, config: Record<string, unknown>, logs: { retention: RetentionDays; removalPolicy: RemovalPolicy }): void {
    // Our own role and log group for CDK's deployment handler: its default role carries the
    // AWSLambdaBasicExecutionRole managed policy, and its log group would keep logs for two years.
    const logGroup = new LogGroup(this, 'ConsoleDeploymentLogs', { retention: logs.retention, removalPolicy: logs.removalPolicy });
    const role = new iam.Role(this, 'ConsoleDeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Role of CDK's BucketDeployment handler that uploads the npsloop console",
    });
    logGroup.grantWrite(role);
    const entryFiles = ['index.html', 'config.json'];
    const common = {
      destinationBucket: this.bucket,
      destinationKeyPrefix: consolePath.slice(1),
      role,
      logGroup,
      memoryLimit: 256,
      // `cdk destroy` empties the bucket this way, so the bucket can go with the stack.
      retainOnDelete: false,
    };
    const bundles = new BucketDeployment(this, 'ConsoleDeployment', {
      ...common,
      sources: [Source.asset(files)],
      // Excluded files are neither uploaded nor pruned here: the second deployment owns them.
      exclude: entryFiles,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.hours(1))],
    });
    const entry = new BucketDeployment(this, 'ConsoleEntryDeployment', {
      ...common,
      sources: [Source.asset(files), Source.jsonData('config.json', config)],
      exclude: ['*'],
      include: entryFiles,
      prune: false,
      cacheControl: [CacheControl.noCache()],
    });
    // The new index.html may name bundles only the first deployment uploads.
    entry.node.addDependency(bundles);
    this.acknowledgeDeploymentHandler(role);
  }

  /** The findings on CDK's BucketDeployment handler and on the grants it adds to its role, each naming what it excuses. */
  private acknowledgeDeploymentHandler(role: iam.Role): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler where expected: its cdk-nag acknowledgements need a new home');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "aws-cdk-lib picks the BucketDeployment handler's Python runtime together with the AWS CLI layer it ships, and " +
        'moves it forward with each aws-cdk-lib release; the handler runs only during deployments, on no customer data.',
    });
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const assetBucket = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
    const copies =
      'The BucketDeployment handler (CDK, run only during deployments) copies the console asset from the CDK asset ' +
      'bucket and replaces the objects of the console bucket: ';
    Validations.of(role).acknowledge(
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${copies}${action} is CDK's grant (bucket.grantRead / grantReadWrite), limited to those two buckets.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${assetBucket}]`,
        reason: `${copies}it reads the asset's object in the CDK asset bucket, whose key is the asset hash.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason: `${copies}every object of the console bucket may be replaced or pruned, and the bucket holds nothing else.`,
      },
    );
  }
}
