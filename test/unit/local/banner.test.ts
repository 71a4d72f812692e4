import { describe, expect, it } from 'vitest';
import { startBanner, type BannerFacts } from '#local/banner';

const facts: BannerFacts = {
  url: 'http://localhost:3000',
  apiKey: 'local-dev-key',
  apiKeyWasSet: false,
  signIns: { emails: ['admin@example.com', 'marketing@example.com', 'manager@example.com'], password: 'local-dev-password' },
  passwordWasSet: false,
  issuer: 'http://localhost:3000/oidc',
  sesViewerUrl: 'http://127.0.0.1:4567',
  smsFrom: '+18005550100',
  localRoutes: ['GET /local/outbox/email', 'POST /local/sms/inbound'],
};

describe('the npm start banner', () => {
  it('names the API key once', () => {
    const banner = startBanner(facts);
    expect(banner.match(/local-dev-key/g)?.length).toBe(2); // the key line, and the first curl that uses it
    expect(banner).toContain('API key   local-dev-key  (the local default; set NPSLOOP_API_KEY to choose another)');
  });

  it('lists the console sign-ins with their password and the issuer', () => {
    const banner = startBanner(facts);
    expect(banner).toContain('Sign in   admin@example.com, marketing@example.com, manager@example.com');
    expect(banner).toContain('password local-dev-password  (the local default; set NPSLOOP_LOCAL_PASSWORD to choose another)');
    expect(banner).toContain('issuer http://localhost:3000/oidc');
  });

  it('prints a password the user chose without calling it the default', () => {
    const banner = startBanner({ ...facts, signIns: { ...facts.signIns, password: 'chosen' }, passwordWasSet: true });
    expect(banner).toMatch(/password chosen\n/);
    expect(banner).not.toContain('NPSLOOP_LOCAL_PASSWORD');
  });

  it('ends with the first step of the tour, pointing at the README', () => {
    const banner = startBanner({ ...facts, apiKey: 'k1', apiKeyWasSet: true });
    expect(banner).toContain('follow "Try it" in README.md');
    expect(banner).toContain('curl -s -X POST http://localhost:3000/v1/campaigns -H "Authorization: Bearer k1"');
    expect(banner.trimEnd().endsWith('Ctrl-C to stop.')).toBe(true);
  });

  it('lists the outboxes and the simulations under their own headings', () => {
    expect(startBanner(facts)).toMatch(/Outboxes\s+http:\/\/localhost:3000\/local\/outbox\/email\n\s+Simulate\s+POST http:\/\/localhost:3000\/local\/sms\/inbound/);
  });

  it('points to the e-mail outbox for large imports, which the SES viewer cannot show', () => {
    expect(startBanner(facts)).toContain(
      'Emails    http://127.0.0.1:4567  (SES emulator viewer, for the first 1,000 e-mails;\n            after a large import read http://localhost:3000/local/outbox/email?to=<address> instead)',
    );
  });
});
