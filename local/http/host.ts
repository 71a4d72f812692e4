import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalFunction } from '../lambda/local-function.ts';
import type { RuntimeLog } from '../log.ts';
import {
  internalServerError,
  jsonResponse,
  splitTarget,
  toApiGatewayEvent,
  toHttpResponse,
  type OutgoingResponse,
} from './api-gateway-event.ts';
import type { RouteTable } from './route-table.ts';

/**
 * A route the runtime answers itself (outboxes, simulated inbound messages); never deployed.
 * New local routes (e.g. `GET /local/outbox/sms`, `POST /local/sms/inbound`) are added to the
 * list the runtime passes in, nothing here changes.
 */
export interface LocalRoute {
  readonly method: 'GET' | 'POST';
  readonly path: `/local/${string}`;
  handle(request: { readonly body: Buffer; readonly query: URLSearchParams }): Promise<OutgoingResponse>;
}

/**
 * A whole path prefix the runtime hands to another local server as plain Node request and
 * response (the console's files under `/console/`, the local OIDC provider under `/oidc/`).
 * On AWS these are CloudFront and Cognito, never the API.
 */
export interface LocalMount {
  /** Starts and ends with `/`, e.g. `/console/`; a request for the bare prefix without its slash is redirected to it. */
  readonly prefix: `/${string}/`;
  handle(request: IncomingMessage, response: ServerResponse): void | Promise<void>;
}

export interface HttpHostOptions {
  readonly routes: RouteTable<LocalFunction>;
  readonly localRoutes: readonly LocalRoute[];
  readonly mounts?: readonly LocalMount[];
  readonly log: RuntimeLog;
}

export interface HttpHost {
  /** Starts accepting requests; resolves with the bound port (useful with port 0). */
  listen(port: number): Promise<number>;
  close(): Promise<void>;
}

// API Gateway's payload limit; a larger request never reaches the function.
const maxBodyBytes = 10 * 1024 * 1024;

/** The API Gateway stand-in: every HTTP request becomes one invocation of the matching function. */
export function createHttpHost(options: HttpHostOptions): HttpHost {
  const { routes, localRoutes, log } = options;
  const mounts = options.mounts ?? [];
  let boundPort = 0;
  const server: Server = createServer((request, response) => {
    void serve(request, response);
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const { rawPath, rawQueryString } = splitTarget(url);
    const mount = mounts.find((m) => rawPath.startsWith(m.prefix) || rawPath === m.prefix.slice(0, -1));
    if (mount) {
      await serveMount(mount, request, response, rawPath, rawQueryString);
      log.info(`${method} ${mount.prefix}* ${response.statusCode} ${Math.round(performance.now() - started)} ms`);
      return;
    }
    const requestId = randomUUID();
    let routeLabel = `${method} -`;
    let reply: OutgoingResponse;
    try {
      const localRoute = localRoutes.find((route) => route.method === method && route.path === rawPath);
      const match = localRoute ? undefined : routes(method, rawPath);
      if (localRoute) {
        routeLabel = `${localRoute.method} ${localRoute.path}`;
        reply = await localRoute.handle({ body: await readBody(request), query: new URLSearchParams(rawQueryString) });
      } else if (match) {
        routeLabel = match.routeKey;
        const incoming = {
          method,
          url,
          rawHeaders: request.rawHeaders,
          body: await readBody(request),
          sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          port: boundPort,
        };
        const invocation = await match.target.invoke(toApiGatewayEvent(incoming, match, { requestId, timeEpoch: Date.now() }));
        reply = invocation.ok ? toHttpResponse(invocation.result) : internalServerError;
      } else {
        reply = jsonResponse(404, { error: { code: 'not_found', message: `No route for ${method} ${rawPath}` } });
      }
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        reply = jsonResponse(413, { error: { code: 'payload_too_large', message: error.message } });
      } else {
        log.error(`${routeLabel} failed in the local host`, error);
        reply = internalServerError;
      }
    }
    response.writeHead(reply.statusCode, { ...reply.headers, 'apigw-requestid': requestId });
    response.end(reply.body);
    // The route template, never the raw path: paths carry survey tokens.
    log.info(`${routeLabel} ${reply.statusCode} ${Math.round(performance.now() - started)} ms`);
  }

  async function serveMount(mount: LocalMount, request: IncomingMessage, response: ServerResponse, rawPath: string, rawQueryString: string) {
    if (rawPath === mount.prefix.slice(0, -1)) {
      response.writeHead(308, { location: `${mount.prefix}${rawQueryString ? `?${rawQueryString}` : ''}` });
      response.end();
      return;
    }
    try {
      await mount.handle(request, response);
    } catch (error) {
      log.error(`${mount.prefix} failed in the local host`, error);
      if (!response.headersSent) {
        response.writeHead(internalServerError.statusCode, { 'content-type': 'application/json; charset=utf-8' });
        response.end(internalServerError.body);
      } else response.end();
    }
  }

  return {
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          server.off('error', reject);
          boundPort = (server.address() as AddressInfo).port;
          resolve(boundPort);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

class PayloadTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes) throw new PayloadTooLargeError(`Request body exceeds ${maxBodyBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
