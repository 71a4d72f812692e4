import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPathPatterns } from '#infra/distribution';
import type { NpsloopStack } from '#infra/stack';
import { roles } from '#shared/core/vocabulary';
import { env, type FunctionName, functions } from '#shared/contract/wiring';
import { allIamStatements, fastApp, logicalId, synthStack } from './synth.ts';

/**
 * The console on AWS (issue 11): Cognito sign-in, the console's files in a private bucket, and
 * one CloudFront distribution in front of the console, the API and the survey pages.
 */

/** CloudFront's managed policies, by the ids CloudFormation names them with. */
const managed = {
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
};

type Behavior = {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  AllowedMethods: string[];
  ViewerProtocolPolicy: string;
  ResponseHeadersPolicyId?: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
};
type Origin = { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: { OriginAccessIdentity: string } };

/** A CloudFormation string value written out, with `${Ref}` for each reference. */
const readable = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(readable).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  return JSON.stringify(value);
};

/** A CloudFront path pattern (`*` any characters) against a concrete path. */
const matches = (pattern: string, requestPath: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(requestPath);

describe('the console on AWS', () => {
  let stack: NpsloopStack;
  let template: Template;
  let config: Record<string, unknown>;

  const resources = () => template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const distributionConfig = () =>
    Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      DefaultCacheBehavior: Behavior;
      CacheBehaviors: Behavior[];
      Origins: Origin[];
      Aliases?: string[];
      ViewerCertificate?: Record<string, unknown>;
    };
  const ref = (element: { node: { defaultChild?: unknown } }) => logicalId(stack, element.node.defaultChild as CfnFunction);
  const distributionId = () => ref(stack.web.distribution);
  const poolId = () => ref(stack.consoleSignIn.userPool);
  const clientId = () => ref(stack.consoleSignIn.client);
  const consoleUrl = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/console/']] });
  const variablesOf = (name: FunctionName) =>
    resources()[logicalId(stack, stack.functions[name].node.defaultChild as CfnFunction)]!.Properties.Environment as {
      Variables: Record<string, unknown>;
    };

  // GIVEN the default settings, WHEN the app is synthesized (no bundling)
  beforeAll(() => {
    const { app, stack: synthesized } = fastApp();
    const assembly = app.synth();
    stack = synthesized;
    template = synthStack().template;
    // config.json, as the deployment writes it: the staged asset with its deploy-time values put back.
    const [deployment] = Object.values(
      assembly.getStackArtifact(stack.artifactId).template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).filter((r) => r.Type === 'Custom::CDKBucketDeployment' && JSON.stringify(r.Properties.Include ?? []).includes('config.json'));
    const keys = deployment!.Properties.SourceObjectKeys as string[];
    const markers = deployment!.Properties.SourceMarkers as Record<string, unknown>[];
    const index = keys.findIndex((_, i) => Object.keys(markers[i] ?? {}).length > 0);
    const staged = readFileSync(path.join(assembly.directory, `asset.${keys[index]!.replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
    // Each marker stands for a CloudFormation value; put them back as JSON so the shape can be asserted.
    const withValues = staged.replace(/"([^"]*<<marker:[^"]*)"/g, (_, text: string) => {
      const parts = text.split(/(<<marker:0xbaba:\d+>>)/).filter(Boolean);
      const values = parts.map((part) => markers[index]![part] ?? part);
      return JSON.stringify(values.length === 1 ? values[0] : { join: values });
    });
    config = JSON.parse(withValues) as Record<string, unknown>;
  }, 60_000);

  describe('sign-in (Cognito)', () => {
    it('has a user pool that signs in with e-mail, invited users only, a strong password, optional TOTP and e-mail recovery', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        UserPoolTier: 'ESSENTIALS',
      });
    });

    it('invites users with a message that says where the console is and how to sign in', () => {
      const invitation = Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!.Properties.AdminCreateUserConfig
        .InviteMessageTemplate as { EmailSubject: string; EmailMessage: unknown };
      expect(invitation.EmailSubject).toBe('Your npsloop console account');
      const body = readable(invitation.EmailMessage);
      expect(body).toContain(`Open https://${JSON.stringify({ 'Fn::GetAtt': [distributionId(), 'DomainName'] })}/console/ and sign in`);
      // Cognito refuses a template without the user name and the temporary password.
      expect(body).toContain('{username}');
      expect(body).toContain('{####}');
    });

    it('keeps its users when the stack goes, unless retainData=false', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
        DeletionPolicy: 'Retain',
      });
      synthStack({ retainData: 'false' }).template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
        DeletionPolicy: 'Delete',
      });
    });

    it.each(roles)('has the group %s, the role the API reads from cognito:groups', (role) => {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role, UserPoolId: { Ref: poolId() } });
    });

    it('has exactly the three role groups', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolGroup', roles.length);
    });

    it('serves the classic hosted UI on a prefix named after the stack and the account', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: { 'Fn::Join': ['', ['npsloopstack-', { Ref: 'AWS::AccountId' }]] },
        UserPoolId: { Ref: poolId() },
        ManagedLoginVersion: 1,
      });
    });

    it('takes the hosted UI prefix from the context', () => {
      synthStack({ consoleDomainPrefix: 'acme-nps' }).template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-nps' });
    });

    it.each([
      ['AWS-nps', /consoleDomainPrefix: lower-case letters, digits and hyphens/],
      ['my-cognito-login', /consoleDomainPrefix: may not contain "aws", "amazon" or "cognito"/],
    ])('refuses the prefix %s, naming the setting', (prefix, message) => {
      expect(() => synthStack({ consoleDomainPrefix: prefix })).toThrow(message);
    });

    it('gives the console a public client: no secret, the code grant only (PKCE), back to the console URL', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        UserPoolId: { Ref: poolId() },
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        CallbackURLs: [consoleUrl()],
        LogoutURLs: [consoleUrl()],
        SupportedIdentityProviders: ['COGNITO'],
        // No password or SRP sign-in straight against Cognito's API: the hosted UI is the only way in.
        ExplicitAuthFlows: [],
      });
    });

    it('issues ID tokens for one hour and rotates refresh tokens', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        IdTokenValidity: 60,
        TokenValidityUnits: Match.objectLike({ IdToken: 'minutes' }),
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: Match.anyValue() },
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
      });
    });
  });

  describe('the console bucket', () => {
    it('is private, encrypted and TLS-only', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });

    it('is read by this distribution alone, through origin access control', () => {
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
      });
      // CloudFront names are global to the account: the Region keeps two stacks of one name apart.
      const [oac] = Object.values(template.findResources('AWS::CloudFront::OriginAccessControl'));
      expect(readable(oac!.Properties.OriginAccessControlConfig.Name)).toMatch(/^\$\{AWS::Region\}-NpsloopStack\w+-console$/);
      const s3 = distributionConfig().Origins.filter((o) => o.S3OriginConfig);
      expect(s3).toHaveLength(1);
      expect(s3[0]!.OriginAccessControlId).toBeDefined();
      expect(s3[0]!.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      const reads = Object.values(template.findResources('AWS::S3::BucketPolicy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[])
        .filter((s) => s.Effect === 'Allow');
      expect(reads).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: {
            StringEquals: {
              'AWS:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId() }]],
              },
            },
          },
        }),
      ]);
    });

    it('receives the built console under console/, and config.json revalidated on every load', () => {
      const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')).map((d) => d.Properties);
      expect(deployments).toHaveLength(2);
      for (const d of deployments) expect(d.DestinationBucketKeyPrefix).toBe('console/');
      const entry = deployments.find((d) => JSON.stringify(d.Include ?? []).includes('config.json'));
      expect(entry).toMatchObject({ Include: ['index.html', 'config.json'], SystemMetadata: { 'cache-control': 'no-cache' } });
    });

    it('deploys the config.json oidc-client-ts signs in with', () => {
      const hostedUi = { 'Fn::Join': ['', ['https://npsloopstack-', { Ref: 'AWS::AccountId' }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] };
      const distributionHost = { 'Fn::GetAtt': [distributionId(), 'DomainName'] };
      expect(config).toEqual({
        issuer: { 'Fn::GetAtt': [poolId(), 'ProviderURL'] },
        clientId: { Ref: clientId() },
        redirectUri: { join: ['https://', distributionHost, '/console/'] },
        postLogoutRedirectUri: { join: ['https://', distributionHost, '/console/'] },
        scope: 'openid email profile',
        metadataSeed: { end_session_endpoint: { join: [hostedUi, '/logout'] }, revocation_endpoint: { join: [hostedUi, '/oauth2/revoke'] } },
        logoutUrl: { join: [hostedUi, '/logout?client_id=', { Ref: clientId() }, '&logout_uri=https://', distributionHost, '/console/'] },
      });
    });
  });

  describe('the distribution', () => {
    const apiOrigin = () => distributionConfig().Origins.find((o) => JSON.stringify(o.DomainName).includes('ApiEndpoint'))!;
    const behavior = (pattern: string) => distributionConfig().CacheBehaviors.find((b) => b.PathPattern === pattern);

    it('reaches the HTTP API on its own host, over HTTPS', () => {
      expect(apiOrigin()).toMatchObject({
        DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(stack, stack.api.api.node.defaultChild as CfnApi), 'ApiEndpoint'] }] }] },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      });
    });

    it.each(apiPathPatterns)('sends %s to the API uncached, with every method, viewer header (but Host) and query string', (pattern) => {
      expect(behavior(pattern)).toEqual(
        expect.objectContaining({
          TargetOriginId: apiOrigin().Id,
          CachePolicyId: managed.cachingDisabled,
          OriginRequestPolicyId: managed.allViewerExceptHostHeader,
          AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
          ViewerProtocolPolicy: 'redirect-to-https',
        }),
      );
      expect(behavior(pattern)?.ResponseHeadersPolicyId).toBeUndefined();
    });

    const routes = Object.values(functions).flatMap((f) => (f.source.kind === 'http' ? f.source.routes : []));
    it.each(routes)('routes %s of wiring.ts to the API', (route) => {
      const requestPath = route.split(' ')[1]!.replace(/\{\w+\}/g, 'x');
      expect(apiPathPatterns.some((pattern) => matches(pattern, requestPath))).toBe(true);
    });

    it('serves /console/* and everything else from the bucket, cached, with the console security headers', () => {
      const s3OriginId = distributionConfig().Origins.find((o) => o.S3OriginConfig)!.Id;
      for (const b of [behavior('/console/*'), distributionConfig().DefaultCacheBehavior]) {
        expect(b).toEqual(
          expect.objectContaining({
            TargetOriginId: s3OriginId,
            CachePolicyId: managed.cachingOptimized,
            AllowedMethods: ['GET', 'HEAD'],
            ResponseHeadersPolicyId: { Ref: logicalId(stack, stack.web.node.findChild('ConsoleHeaders').node.defaultChild as CfnFunction) },
          }),
        );
        expect(b?.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: expect.anything() }]);
      }
    });

    it('sends a strict CSP that lets the console reach only itself and Cognito, and no framing', () => {
      const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
      const headers = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(readable(policy!.Properties.ResponseHeadersPolicyConfig.Name)).toMatch(/^\$\{AWS::Region\}-NpsloopStack\w+-console-headers$/);
      expect(readable(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toBe(
        "default-src 'self'; " +
          "connect-src 'self' https://cognito-idp.${AWS::Region}.amazonaws.com https://npsloopstack-${AWS::AccountId}.auth.${AWS::Region}.amazoncognito.com; " +
          "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
      );
      expect(headers).toMatchObject({
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ContentTypeOptions: { Override: true },
        StrictTransportSecurity: expect.objectContaining({ Override: true }),
      });
    });

    describe('its viewer-request function', () => {
      const code = () => String(Object.values(template.findResources('AWS::CloudFront::Function'))[0]!.Properties.FunctionCode);
      const run = (uri: string) =>
        runInNewContext(`${code()}\nhandler(event)`, { event: { request: { uri, method: 'GET', headers: {} } } }) as {
          uri?: string;
          statusCode?: number;
          headers?: { location?: { value: string } };
        };

      it.each(['/', '/console', '/favicon.ico', '/v2/anything'])('redirects %s to /console/', (uri) => {
        expect(run(uri)).toMatchObject({ statusCode: 302, headers: { location: { value: '/console/' } } });
      });

      it('serves index.html for /console/ and files as they are', () => {
        expect(run('/console/')).toMatchObject({ uri: '/console/index.html' });
        expect(run('/console/app-3F2A.js')).toMatchObject({ uri: '/console/app-3F2A.js' });
        expect(run('/console/config.json')).toMatchObject({ uri: '/console/config.json' });
      });
    });

    it('outputs the console URL, the API URL on the distribution, and the user pool id', () => {
      template.hasOutput('ConsoleUrl', { Value: consoleUrl() });
      template.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/']] } });
      template.hasOutput('UserPoolId', { Value: { Ref: poolId() } });
    });
  });

  describe('the functions', () => {
    const declared = Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][];

    it.each(declared)('%s gets the identity provider only if it serves the admin API', (name, { uses }) => {
      const { Variables } = variablesOf(name);
      if (uses.apiKey) {
        expect(Variables[env.oidcIssuer]).toEqual({ 'Fn::GetAtt': [poolId(), 'ProviderURL'] });
        expect(Variables[env.oidcClientId]).toEqual({ Ref: clientId() });
      } else {
        expect(Variables).not.toHaveProperty(env.oidcIssuer);
        expect(Variables).not.toHaveProperty(env.oidcClientId);
      }
    });

    it.each(declared)('%s gets the console URL if it links to cases (the admin API, the alert publishers)', (name, { uses }) => {
      const { Variables } = variablesOf(name);
      if (uses.apiKey || uses.publishTo?.includes('alerts')) expect(Variables[env.consoleUrl]).toEqual(consoleUrl());
      else expect(Variables).not.toHaveProperty(env.consoleUrl);
    });

    it('puts the links in e-mails on the distribution', () => {
      const senders = declared.filter(([, f]) => f.uses.sendsEmail);
      expect(senders.length).toBeGreaterThan(0);
      for (const [name] of senders) {
        expect(variablesOf(name).Variables[env.publicBaseUrl]).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] });
      }
    });

    it('grants no function anything in Cognito (ID tokens are checked against the public JWKS)', () => {
      expect(JSON.stringify(allIamStatements(template))).not.toMatch(/cognito-idp:/);
    });
  });
});
