import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, consoleCsp, isHashedName, type ConsoleBuild } from '../../../console/build.ts';
import { CONSOLE_JS_BUDGET_KB } from '../../../bench/console.ts';

let build: ConsoleBuild;
const text = (name: string) => new TextDecoder().decode(build.files.get(name));

beforeAll(async () => {
  build = await buildConsole();
}, 30_000);

describe("the console's build", () => {
  it('names its script and stylesheet by their contents, so they can be cached for good', () => {
    const hashed = [...build.files.keys()].filter(isHashedName);
    expect(hashed.filter((n) => n.endsWith('.js'))).toHaveLength(1);
    expect(hashed.filter((n) => n.endsWith('.css'))).toHaveLength(1);
    expect(isHashedName('index.html')).toBe(false);
  });

  it('has an index.html that loads them with no inline script or style, so a strict CSP holds', () => {
    const html = text('index.html');
    const [script] = [...build.files.keys()].filter((n) => n.endsWith('.js'));
    const [style] = [...build.files.keys()].filter((n) => n.endsWith('.css'));
    expect(html).toContain(`<script type="module" src="${script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="${style}">`);
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son\w+=/i);
  });

  it(`keeps its JavaScript within the ${CONSOLE_JS_BUDGET_KB} KB gzipped budget`, () => {
    const js = [...build.files].filter(([n]) => n.endsWith('.js')).reduce((sum, [, c]) => sum + gzipSync(c).byteLength, 0);
    expect(js / 1024).toBeLessThan(CONSOLE_JS_BUDGET_KB);
  });

  it('ships zod with its English messages only', () => {
    const js = text([...build.files.keys()].find((n) => n.endsWith('.js')) ?? '');
    expect(js).not.toContain('Неверный ввод'); // zod's Russian locale
  });
});

describe("the console's Content-Security-Policy", () => {
  it('allows its own origin and the identity provider, and nothing inline', () => {
    const policy = consoleCsp('https://auth.example.com/oauth2/x');
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self' https://auth.example.com;");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('also allows the token endpoint’s origin where it differs from the issuer’s (Cognito)', () => {
    const policy = consoleCsp('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', 'https://npsloop.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(policy).toContain("connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com https://npsloop.auth.eu-west-1.amazoncognito.com;");
  });
});
