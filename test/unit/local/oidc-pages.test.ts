import { describe, expect, it } from 'vitest';
import { loginPage, readerLocale } from '#local/oidc/pages';

describe("the local sign-in page's language", () => {
  it.each([
    [undefined, 'en'],
    ['ru', 'ru'],
    ['ru-RU,ru;q=0.9,en;q=0.8', 'ru'],
    ['en-US,en;q=0.9,ru;q=0.8', 'en'],
    ['de-DE,ru;q=0.7,en;q=0.5', 'ru'],
    ['en;q=0.2,ru;q=0.8', 'ru'],
    ['fr', 'en'],
    ['ru;q=0', 'en'],
  ] as const)('for Accept-Language %s is %s', (header, locale) => {
    expect(readerLocale(header)).toBe(locale);
  });
});

describe('the local sign-in form', () => {
  it('says what was wrong, keeps the e-mail, and tells screen readers', () => {
    const html = loginPage({ locale: 'en', action: '/oidc/interaction/abc', email: 'manager@example.com', problem: 'wrong' });
    expect(html).toContain('<p class="error" id="problem" role="alert">The e-mail or password is not right. Check both and try again.</p>');
    expect(html).toContain('value="manager@example.com" aria-describedby="problem" aria-invalid="true"');
  });

  it('escapes what the person typed', () => {
    const html = loginPage({ locale: 'en', action: '/oidc/interaction/abc', email: '"><script>alert(1)</script>', problem: 'wrong' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });
});
