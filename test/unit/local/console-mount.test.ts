import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleMount } from '#local/console/console-mount';

const encode = (s: string) => new TextEncoder().encode(s);
const build = { files: new Map([['index.html', encode('<!doctype html><title>c</title>')], ['app-ABCDEFGH.js', encode('export {};')]]) };
const mount = consoleMount(build, { issuer: 'http://localhost:4000/oidc', clientId: 'npsloop-console' });

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => void mount.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}/console/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the console under /console/ in the local runtime', () => {
  it('serves index.html for the bare prefix, never cached, under the console CSP', async () => {
    const res = await fetch(base);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' http://localhost:4000");
    expect(await res.text()).toContain('<title>c</title>');
  });

  it('caches hashed files for good', async () => {
    const res = await fetch(`${base}app-ABCDEFGH.js`);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('tells the page where to sign in', async () => {
    const res = await fetch(`${base}config.json`);
    expect(await res.json()).toEqual({ issuer: 'http://localhost:4000/oidc', clientId: 'npsloop-console' });
  });

  it('answers an unknown path with a plain 404, not the app (routes live in the hash)', async () => {
    const res = await fetch(`${base}cases/123`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not found');
  });

  it('refuses writes', async () => {
    const res = await fetch(base, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
