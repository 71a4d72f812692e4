/**
 * The one address the browser talks to: a CloudFront distribution that serves the console's
 * static files from a private S3 bucket (origin access control) and passes the API and the
 * customers' survey and unsubscribe pages through to the HTTP API, uncached. One origin means the
 * console calls the API with no CORS, and survey links, alert links and the console share a host.
 */
import { DefaultStackSynthesizer, Duration, Fn, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, type CfnBucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
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
  readonly removalPolicy: RemovalPolicy;
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
      // Rebuilt from the repository on every deploy: nothing in it is worth keeping.
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of the console, written by the deployment alone and read only by ' +
        'CloudFront through origin access control; an access log of it would record nothing worth auditing.',
    });

    const consoleOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
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
      comment: 'npsloop console: strict CSP, no framing, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: Fn.join('; ', [
            "default-src 'self'",
            Fn.join(' ', ["connect-src 'self'", ...props.identityOrigins]),
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ]),
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
      compress: true,
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
   * Uploads the console's built files under /console/ with the `config.json` it signs in with,
   * and invalidates the console's paths so the new index.html and config.json are served at once.
   */
  deployConsole(files: string, config: Record<string, unknown>): BucketDeployment {
    const deployment = new BucketDeployment(this, 'ConsoleDeployment', {
      sources: [Source.asset(files), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: consolePath.slice(1),
      // Hashed file names change with their content; index.html and config.json are invalidated below.
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(1))],
      distribution: this.distribution,
      distributionPaths: [`${consolePath}*`],
      memoryLimit: 256,
      // `cdk destroy` empties the bucket this way, so the bucket can go with the stack.
      retainOnDelete: false,
    });
    this.acknowledgeDeploymentHandler();
    return deployment;
  }

  /**
   * BucketDeployment's handler is a singleton Lambda at the stack's root, with a role CDK writes;
   * its findings are acknowledged there, each naming exactly what it excuses.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler where expected: its cdk-nag acknowledgements need a new home');
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const assetBucket = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
    const copies =
      'The BucketDeployment handler (CDK, run only during deployments) copies the console asset from the CDK asset ' +
      'bucket and replaces the objects of the console bucket: ';
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK creates the BucketDeployment handler's role with AWSLambdaBasicExecutionRole so it can write its own " +
          'logs; it runs only during deployments and the role cannot be replaced from outside the construct.',
      },
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
      {
        id: 'AwsSolutions-L1',
        reason:
          "aws-cdk-lib picks the BucketDeployment handler's Python runtime together with the AWS CLI layer it ships, and " +
          'moves it forward with each aws-cdk-lib release; the handler runs only during deployments, on no customer data.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The BucketDeployment handler creates and reads the CloudFront invalidation after each upload; CDK grants ' +
          'cloudfront:CreateInvalidation and GetInvalidation on "*" for it.',
      },
    );
  }
}
