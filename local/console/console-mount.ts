import type { IncomingMessage, ServerResponse } from 'node:http';
import { consoleCsp, isHashedName, type ConsoleBuild, type ConsoleConfig } from '../../console/build.ts';
import type { LocalMount } from '../http/host.ts';

/**
 * The console under `/console/`, as CloudFront serves it from S3 on AWS: the built files, and
 * `config.json` telling the page where to sign in. Hashed files are cached for good, the rest
 * revalidated; every answer carries the console's Content-Security-Policy. There is no fallback
 * to index.html: the console routes by hash, so an unknown path is a plain 404.
 */
export const consolePrefix = '/console/';

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json; charset=utf-8',
};

export const consoleMount = (build: ConsoleBuild, config: ConsoleConfig): LocalMount => {
  const files = new Map(build.files);
  files.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
  const policy = consoleCsp(config.issuer);
  return {
    prefix: consolePrefix,
    handle(request: IncomingMessage, response: ServerResponse) {
      const headers = { 'content-security-policy': policy, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        response.end('Method not allowed');
        return;
      }
      const path = new URL(request.url ?? '/', 'http://localhost').pathname.slice(consolePrefix.length);
      const name = path === '' ? 'index.html' : path;
      const contents = files.get(name);
      if (!contents) {
        response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        response.end('Not found');
        return;
      }
      response.writeHead(200, {
        ...headers,
        'content-type': contentTypes[name.split('.').pop() ?? ''] ?? 'application/octet-stream',
        'content-length': contents.byteLength,
        'cache-control': isHashedName(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : contents);
    },
  };
};
