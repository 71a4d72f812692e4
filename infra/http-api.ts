import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpRouteIntegration,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteKey } from '#shared/wiring';

/**
 * Stage-wide throttle: far above what a survey send produces (answers trickle in over hours,
 * mail scanners fetch in bursts), low enough to cap the bill of a runaway client or a flood.
 */
const throttle = { rateLimit: 100, burstLimit: 200 };

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
}

/** The HTTP API: a `$default` stage with access logs and throttling, and routes added from wiring.ts. */
export class NpsloopHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: NpsloopHttpApiProps) {
    super(scope, id);
    // The default stage HttpApi would create cannot take access logs, so this one replaces it.
    this.api = new HttpApi(this, 'Api', { apiName: 'npsloop', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
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
    return routes;
  }
}
