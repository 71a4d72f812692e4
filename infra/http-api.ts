import { Lazy, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpRouteIntegration,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteKey } from '#shared/contract/wiring';

export interface RouteThrottle {
  /** Steady requests per second. */
  readonly rateLimit: number;
  /** Requests at once above the rate (the token bucket's size). */
  readonly burstLimit: number;
}

/**
 * Who calls a route, which decides its throttle. Customers follow links in mail and SMS
 * (`/s/{token}`, `/u/{token}`, and any other route outside `/v1`); marketing, managers and their
 * systems call `/v1`. Each class has its own limits, set on every route of the class, so a flood
 * on a survey link cannot throttle the admin API, nor a runaway script the customers.
 */
export type RouteAudience = 'public' | 'admin';

/** Where a route belongs; `GET /health` belongs to neither and keeps the stage default. */
export const audienceOf = (routeKey: RouteKey): RouteAudience | undefined => {
  const path = routeKey.slice(routeKey.indexOf(' ') + 1);
  if (path === '/health') return undefined;
  return path === '/v1' || path.startsWith('/v1/') ? 'admin' : 'public';
};

/**
 * The stage default, for routes of no audience (`GET /health`): a monitor's few calls a
 * second, and a cap on what anyone can make it cost.
 */
export const defaultThrottle: RouteThrottle = { rateLimit: 10, burstLimit: 20 };

/**
 * One JSON line per request. Deliberately without the path, query string and source IP: the
 * path carries the invitation token, the query the score, and the IP is personal data.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface NpsloopHttpApiProps {
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Each route's own throttle, by audience (settings: publicRateLimit, adminRateLimit, …). */
  readonly throttles: Readonly<Record<RouteAudience, RouteThrottle>>;
}

/**
 * The HTTP API: a `$default` stage with access logs, routes added from wiring.ts, and a throttle
 * on each route by its audience (CloudFormation `RouteSettings`, keyed by route key).
 */
export class NpsloopHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** One JSON line per request; the throttle alarm counts its 429s. */
  readonly accessLogs: LogGroup;
  private readonly throttles: Readonly<Record<RouteAudience, RouteThrottle>>;
  /** Raw CloudFormation JSON (`RouteSettings` is a map CDK passes through unchanged, so its keys are PascalCase). */
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, props: NpsloopHttpApiProps) {
    super(scope, id);
    // The default stage HttpApi would create cannot take access logs, so this one replaces it.
    this.api = new HttpApi(this, 'Api', { apiName: 'npsloop', createDefaultStage: false });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: defaultThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: accessLogFormat },
    });
    this.throttles = props.throttles;
    (this.stage.node.defaultChild as CfnStage).routeSettings = Lazy.any({
      produce: () => (Object.keys(this.routeSettings).length > 0 ? this.routeSettings : undefined),
    });
  }

  /** The invoke URL, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }

  /**
   * Adds a wiring route. No route has an API Gateway authorizer (each function authenticates
   * its callers itself), so the caller states how, and that becomes the cdk-nag APIG4
   * acknowledgement on the route.
   */
  addRoute(routeKey: RouteKey, integration: HttpRouteIntegration, authentication: string): HttpRoute[] {
    const [method, path] = routeKey.split(' ') as [keyof typeof HttpMethod, string];
    const routes = this.api.addRoutes({ path, methods: [HttpMethod[method]], integration });
    for (const route of routes) Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: authentication });
    const audience = audienceOf(routeKey);
    if (audience) {
      const { rateLimit, burstLimit } = this.throttles[audience];
      this.routeSettings[routeKey] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
      // API Gateway refuses settings for a route key that does not exist yet.
      for (const route of routes) this.stage.node.addDependency(route);
    }
    return routes;
  }
}
