/**
 * The signed-in console: who is signed in (GET /v1/me), the navigation their role allows, and
 * the screens behind hash routes (`#/overview`, `#/inbox`, `#/cases/<id>`, `#/rules`). Hash
 * routes, because one CloudFront distribution serves the API too: no SPA fallback may turn an API
 * error into index.html.
 */
import { effect } from '@preact/signals';
import { useEffect, useErrorBoundary, useMemo, useRef, useState } from 'preact/hooks';
import { Link, Redirect, Route, Router, Switch, useLocation, useRoute } from 'wouter-preact';
import { useHashLocation } from 'wouter-preact/use-hash-location';
import type { Me } from '#shared/contract/users';
import type { Role } from '#shared/core/vocabulary';
import { api, connectApi } from './api.ts';
import type { Auth } from './auth.ts';
import { locale, t } from './i18n.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { Show, useLoad } from './load.tsx';
import { Logo } from './logo.tsx';
import { CaseScreen } from './screens/case.tsx';
import { InboxScreen } from './screens/inbox.tsx';
import { OverviewScreen } from './screens/overview.tsx';
import { NewCampaignScreen } from './screens/campaign-new.tsx';
import { campaigners, CampaignsScreen } from './screens/campaigns.tsx';
import { RecipientsScreen } from './screens/recipients.tsx';
import { ResponsesScreen } from './screens/responses.tsx';
import { RulesScreen } from './screens/rules.tsx';

effect(() => {
  document.documentElement.lang = locale.value;
});

/** Who may open the case screens: the API enforces it too (403); this only keeps the page honest. */
export const worksCases = (me: Me): boolean => me.roles.some((role) => role === 'admin' || role === 'manager');

const mainRole = (roles: readonly Role[]): Role => (['admin', 'manager', 'marketing'] as const).find((r) => roles.includes(r)) ?? 'marketing';

/** A bug in a screen shows a sentence and a way out, never a blank page. */
const Crashed = () => (
  <div class="page">
    <div class="notice notice-error" role="alert">
      <p>{t('error.crashed')}</p>
      <button type="button" class="button button-quiet" onClick={() => location.reload()}>
        {t('reload')}
      </button>
    </div>
  </div>
);

let signingIn = false;

export const App = ({ auth, idToken }: { auth: Auth; idToken: string }) => {
  const [crashed] = useErrorBoundary();
  const [expired, setExpired] = useState(false);
  useMemo(() => {
    let token = idToken;
    auth.onRenewed((renewed) => {
      token = renewed;
    });
    connectApi({
      token: () => token,
      renew: async () => {
        const renewed = await auth.renew();
        if (renewed) token = renewed;
        return renewed !== null;
      },
      expired: () => {
        // Several calls may fail at once: one sign-in. Drafts are already on this device; the sign-in comes back to this very page.
        if (signingIn) return;
        signingIn = true;
        setExpired(true);
        void auth.signIn(location.hash);
      },
    });
  }, [auth, idToken]);
  const [me, retry] = useLoad(() => api('GET /v1/me'), []);
  if (crashed) return <Crashed />;
  if (expired)
    return (
      <p class="loading" role="status">
        {t('signin.again')}
      </p>
    );
  return (
    <Show loaded={me} retry={retry}>
      {(who) => <Shell me={who} onSignOut={() => void auth.signOut()} />}
    </Show>
  );
};

const NavLink = ({ href, children }: { href: string; children: preact.ComponentChildren }) => {
  const [active] = useRoute(`${href}/*?`);
  return (
    <Link href={href} class={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
};

/** A new page starts at its top, and a screen reader starts reading there too. */
const FocusOnNavigate = () => {
  const [location] = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location]);
  return null;
};

const Shell = ({ me, onSignOut }: { me: Me; onSignOut: () => void }) => {
  const caseworker = worksCases(me);
  const role = mainRole(me.roles);
  return (
    <Router hook={useHashLocation}>
      <FocusOnNavigate />
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('nav.main')}
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <Link href="/overview" class="brand">
            <Logo />
          </Link>
          <nav class="nav" aria-label={t('nav.main')}>
            <NavLink href="/overview">{t('nav.overview')}</NavLink>
            <NavLink href="/campaigns">{t('nav.campaigns')}</NavLink>
            <NavLink href="/responses">{t('nav.responses')}</NavLink>
            {caseworker && <NavLink href="/inbox">{t('nav.inbox')}</NavLink>}
            {caseworker && <NavLink href="/rules">{t('nav.rules')}</NavLink>}
          </nav>
          <div class="account">
            <span class="who">
              <span class="who-email">{me.email ?? 'API key'}</span>
              <span class="who-role">{t(`role.${role}`)}</span>
            </span>
            <LanguageSwitch />
            <button type="button" class="button button-quiet" onClick={onSignOut}>
              {t('signout')}
            </button>
          </div>
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <Switch>
          <Route path="/overview">
            <OverviewScreen />
          </Route>
          <Route path="/campaigns">
            <CampaignsScreen me={me} />
          </Route>
          <Route path="/campaigns/new">{() => (campaigners(me) ? <NewCampaignScreen /> : <NotForRole role={role} page="campaigners" />)}</Route>
          <Route path="/campaigns/:id/recipients">
            {(params) => (campaigners(me) ? <RecipientsScreen id={params.id} /> : <NotForRole role={role} page="campaigners" />)}
          </Route>
          <Route path="/responses/:filters?">
            <ResponsesScreen me={me} />
          </Route>
          <Route path="/inbox/:view?/:theme?">{(params) => (caseworker ? <InboxScreen view={params.view} theme={params.theme} /> : <NotForRole role={role} />)}</Route>
          <Route path="/cases/:id">{(params) => (caseworker ? <CaseScreen id={params.id} me={me} /> : <NotForRole role={role} />)}</Route>
          <Route path="/rules">{() => (caseworker ? <RulesScreen me={me} /> : <NotForRole role={role} />)}</Route>
          <Route>
            <Redirect to="/overview" replace />
          </Route>
        </Switch>
      </main>
    </Router>
  );
};

const NotForRole = ({ role, page = 'managers' }: { role: Role; page?: 'managers' | 'campaigners' }) => (
  <div class="notice" role="status">
    <p>{t(page === 'managers' ? 'notForRole' : 'notForRole.campaigners', { role: t(`role.${role}`) })}</p>
    <Link href="/overview" class="button button-quiet">
      {t('nav.overview')}
    </Link>
  </div>
);
