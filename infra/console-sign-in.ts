/**
 * Who may open the console: a Cognito user pool of the company's managers and marketers, its
 * groups (the roles the API enforces, read from the ID token's `cognito:groups`), the hosted
 * sign-in pages on a Cognito prefix domain, and the console's public app client (authorization
 * code + PKCE from the browser, so no secret).
 *
 * Nothing here is granted to a function: the admin API verifies ID tokens against the pool's
 * public JWKS (`<issuer>/.well-known/jwks.json`), which needs no IAM.
 */
import { Aws, Duration, Fn, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { roles } from '#shared/core/vocabulary';

export interface ConsoleSignInProps {
  /** The console's address (`https://<host>/console/`): where the hosted UI sends users back after sign-in and sign-out. */
  readonly consoleUrl: string;
  /** The hosted UI's prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** RETAIN keeps the users (and their MFA devices) when the stack goes. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/** The scopes the console asks for; the ID token then carries `email` and `cognito:groups`. */
export const consoleScopes = ['openid', 'email', 'profile'] as const;

/** The hosted UI of a Cognito prefix domain in the stack's Region. */
export const hostedUiUrlOf = (domainPrefix: string): string =>
  Fn.join('', ['https://', domainPrefix, '.auth.', Aws.REGION, '.amazoncognito.com']);

/** How long an invited user's first password works; `admin-create-user --message-action RESEND` sends a new one. */
const temporaryPasswordDays = 7;

/** How long an ID token (the API's credential) lives; the console renews it with the refresh token. */
const idTokenValidity = Duration.hours(1);

export class ConsoleSignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the `iss` of its tokens, and the OIDC discovery base. */
  readonly issuer: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the hosted sign-in, token and logout endpoints. */
  readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleSignInProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: 'npsloop-console',
      // Free for the first 10,000 monthly active users, as Lite is; unlike Lite it can rotate refresh tokens.
      featurePlan: FeaturePlan.ESSENTIALS,
      // An administrator invites each user (README: "The console's first user"); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(temporaryPasswordDays),
      },
      // Cognito's own invitation, for people who have never heard of the console: where, and how.
      userInvitation: {
        emailSubject: 'Your npsloop console account',
        emailBody:
          'You have been invited to the npsloop console, where your team follows up on customer feedback.<br><br>' +
          `Open ${props.consoleUrl} and sign in with<br>e-mail: {username}<br>temporary password: {####}<br><br>` +
          `You will then choose your own password. The temporary one works for ${temporaryPasswordDays} days.`,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional with TOTP: each user can turn on an authenticator app on the hosted sign-in page. Requiring it ' +
          'would make every manager enrol a device before reading a first alert; an operator who wants it required ' +
          'sets MFA to "Required" on the pool.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection needs the Plus feature plan, billed for every monthly active user (no free tier), for a ' +
          'pool of a few invited staff accounts with strong passwords, optional TOTP and no self sign-up; Essentials ' +
          'keeps the first 10,000 users free.',
      },
    );
    for (const role of roles) {
      this.userPool.addGroup(`${role.charAt(0).toUpperCase()}${role.slice(1)}Group`, {
        groupName: role,
        description: `npsloop console role "${role}" (the API reads it from the ID token's cognito:groups)`,
      });
    }
    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      // The classic pages work without a branding resource; managed login (v2) would need one.
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    this.client = this.userPool.addClient('Console', {
      userPoolClientName: 'npsloop-console',
      // A browser app cannot keep a secret: PKCE protects the code instead.
      generateSecret: false,
      // The hosted UI is the only way in; no password or SRP flow straight against the API.
      authFlows: { user: false, userSrp: false, custom: false, adminUserPassword: false },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      idTokenValidity,
      accessTokenValidity: idTokenValidity,
      refreshTokenValidity: Duration.days(30),
      // Each refresh returns a new refresh token; the old one stays valid 10 s for a retried request.
      refreshTokenRotationGracePeriod: Duration.seconds(10),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    this.issuer = this.userPool.userPoolProviderUrl;
    this.hostedUiUrl = hostedUiUrlOf(props.domainPrefix);
  }

  /**
   * What the console reads from `/console/config.json` to sign in with oidc-client-ts: discovery
   * from the issuer, and Cognito's `/logout` (which wants `client_id` and `logout_uri`, not the
   * standard end-session parameters) as a ready URL.
   */
  consoleConfig(consoleUrl: string) {
    const endSession = `${this.hostedUiUrl}/logout`;
    return {
      issuer: this.issuer,
      clientId: this.client.userPoolClientId,
      redirectUri: consoleUrl,
      postLogoutRedirectUri: consoleUrl,
      scope: consoleScopes.join(' '),
      metadataSeed: { end_session_endpoint: endSession, revocation_endpoint: `${this.hostedUiUrl}/oauth2/revoke` },
      logoutUrl: `${endSession}?client_id=${this.client.userPoolClientId}&logout_uri=${consoleUrl}`,
    };
  }
}
