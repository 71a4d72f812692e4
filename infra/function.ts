import path from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundling, repoRoot } from '#infra/bundling';
import type { Settings } from '#infra/settings';
import { serviceName, type FunctionDeclaration } from '#shared/contract/wiring';

const outputFormat = { esm: OutputFormat.ESM, cjs: OutputFormat.CJS } as const;
const logLevel = { warning: LogLevel.WARNING, error: LogLevel.ERROR } as const;

export interface NpsloopFunctionProps {
  readonly declaration: FunctionDeclaration;
  /** Handler configuration (table name, queue URLs, secret ARNs, …), added to the defaults. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logLevel: Settings['logLevel'];
  /** CloudWatch namespace of the business metrics (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: Settings['metricsNamespace'];
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Every npsloop Lambda: Node 24 on arm64, one ESM bundle with source maps, JSON logs and EMF
 * metrics in its own log group with a retention, and no X-Ray tracing. Entry, timeout and memory
 * come from the wiring declaration.
 *
 * The role is created here rather than by NodejsFunction so it does not get the
 * AWSLambdaBasicExecutionRole managed policy (logs:* on every log group in the account): it may
 * write only to this function's log group, and everything else is granted from `uses`.
 */
export class NpsloopFunction extends NodejsFunction {
  readonly executionRole: iam.Role;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: NpsloopFunctionProps) {
    const { declaration } = props;
    // Created beside the function because nothing can be attached to `this` before super().
    const logs = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the npsloop ${id} function`,
    });
    logs.grantWrite(role);

    super(scope, id, {
      description: `npsloop ${id} (${declaration.entry})`,
      entry: path.join(repoRoot, declaration.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(declaration.timeoutSeconds),
      memorySize: declaration.memoryMB,
      role,
      logGroup: logs,
      // JSON platform logs; Lambda's own level filter must match LOG_LEVEL or it drops what Powertools writes.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      // Off, so no X-Ray grant either. Tracing the SDK calls needs Powertools Tracer (aws-xray-sdk-core)
      // in every bundle: +~120 KB and +~15 ms CPU at each cold start (`npm run bench bundles`), and a
      // trace would still end at the DynamoDB stream between an answer and its alert. Logs carry
      // the request id, metrics the business counts.
      tracing: Tracing.DISABLED,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: {
        target: bundling.target,
        format: outputFormat[bundling.format],
        minify: bundling.minify,
        sourceMap: bundling.sourcemap,
        sourcesContent: bundling.sourcesContent,
        mainFields: [...bundling.mainFields],
        externalModules: [...bundling.external],
        banner: bundling.banner,
        logLevel: logLevel[bundling.logLevel],
      },
    });
    this.executionRole = role;
    this.logs = logs;
  }
}
