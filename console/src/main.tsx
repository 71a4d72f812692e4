/**
 * The console's entry: read where to sign in (config.json), finish a sign-in that just came back,
 * then show the landing page or the app. Every failure on the way is a readable message.
 */
import './styles.css';
import { render } from 'preact';
import { App } from './app.tsx';
import { createAuth } from './auth.ts';
import { loadConfig } from './config.ts';
import { t } from './i18n.ts';
import { Landing } from './screens/landing.tsx';

const root = document.getElementById('app');

const boot = async () => {
  if (!root) return;
  root.replaceChildren(); // the placeholder index.html shows until the script runs
  let config;
  try {
    config = await loadConfig();
  } catch {
    render(<Landing problem={t('error.config')} />, root);
    return;
  }
  const auth = createAuth(config);
  try {
    await auth.completeIfReturning();
  } catch (error) {
    render(<Landing problem={t('signin.failed', { message: error instanceof Error ? error.message : String(error) })} onSignIn={() => auth.signIn('#/')} />, root);
    return;
  }
  const user = await auth.current();
  if (!user?.id_token) {
    render(<Landing onSignIn={() => auth.signIn()} />, root);
    return;
  }
  render(<App auth={auth} idToken={user.id_token} />, root);
};

void boot();
