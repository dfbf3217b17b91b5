import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { runInRequestScope } from './request-scope.ts';

export interface HttpServiceOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext>;
  /** Resolves when the service can do its work (database reachable, dependencies up). */
  ready: () => Promise<void>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /**
   * Looks at a GraphQL request before the GraphQL server does (the gateway's limits): a refusal is sent
   * as it is, with the status and headers its `extensions.http` name (400 unless they say otherwise).
   */
  admit?: (request: IncomingMessage, graphql: HTTPGraphQLRequest) => Promise<GraphQLError | null>;
}

/** A refusal as GraphQL over HTTP sends one: `{ errors: [...] }`, its status, its headers. */
export function sendRefusal(response: ServerResponse, refusal: GraphQLError): void {
  const { http, ...extensions } = refusal.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  sendJson(response, http?.status ?? 400, { errors: [{ message: refusal.message, extensions }] }, Object.fromEntries(http?.headers ?? []));
}

class PayloadTooLarge extends Error {
  constructor(readonly drained: boolean) {
    super('payload too large');
  }
}

/** Past the limit a body is still read (and dropped) up to this much, so the client hears the 413 rather than a reset. */
const drainBytes = 32 * 1024 * 1024;

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      chunks.length = 0;
      if (size > Math.max(drainBytes, limit)) throw new PayloadTooLarge(false);
      continue;
    }
    chunks.push(chunk);
  }
  if (size > limit) throw new PayloadTooLarge(true);
  return Buffer.concat(chunks).toString('utf8');
}

/** `application/json` or any `+json` type, whatever its case and parameters (RFC 9110: media types are case-insensitive). */
function isJsonMediaType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

const requestError = (message: string, code = 'BAD_REQUEST') => ({ errors: [{ message, extensions: { code } }] });

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * A signal that aborts when the client goes away (the gateway gave up on the call, or its client did)
 * before the response is finished: the work still running for it is stopped, down to SQL.
 */
function abandonment(request: IncomingMessage, response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) controller.abort();
  };
  response.once('close', onClose);
  // The connection may drop while the body is still being read, before the response is ever touched.
  request.once('close', () => {
    if (!request.complete) controller.abort();
  });
  return controller.signal;
}

/**
 * GraphQL at `/graphql` (and `/`), liveness at `/healthz`, readiness at `/readyz`. Each GraphQL request
 * runs in a request scope (see request-scope.ts) whose signal aborts when its client goes away.
 */
export function graphqlRequestListener<TContext extends BaseContext>(options: HttpServiceOptions<TContext>) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://service.invalid');
    try {
      if (url.pathname === '/healthz') return sendJson(response, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        try {
          await options.ready();
          return sendJson(response, 200, { status: 'ready' });
        } catch (error) {
          return sendJson(response, 503, { status: 'unavailable', reason: (error as Error).message });
        }
      }
      if (url.pathname !== '/graphql' && url.pathname !== '/') return sendJson(response, 404, { error: 'not found' });

      const abandoned = abandonment(request, response);
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown;
      if (request.method === 'POST') {
        const text = await readBody(request, maxBodyBytes);
        if (!isJsonMediaType(headers.get('content-type'))) {
          return sendJson(response, 415, requestError('POST requests must have Content-Type: application/json'));
        }
        try {
          body = JSON.parse(text);
        } catch {
          return sendJson(response, 400, requestError('Request body is not valid JSON'));
        }
      }
      const httpGraphQLRequest: HTTPGraphQLRequest = { method: (request.method ?? 'GET').toUpperCase(), headers, search: url.search, body };
      const refusal = await options.admit?.(request, httpGraphQLRequest);
      if (refusal) return sendRefusal(response, refusal);
      const result = await runInRequestScope(abandoned, () =>
        options.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: () => options.context(request),
        }),
      );
      for (const [name, value] of result.headers) response.setHeader(name, value);
      response.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        response.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) response.write(chunk);
        response.end();
      }
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        // A body too large even to drain is left unread, so this connection cannot carry another request.
        return sendJson(
          response,
          413,
          requestError(`Request body exceeds ${maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE'),
          error.drained ? {} : { connection: 'close' },
        );
      }
      if (!response.headersSent) {
        sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      } else {
        response.end();
      }
    }
  };
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting connections and waits for in-flight requests, at most `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  port: number,
  host: string,
): Promise<RunningHttpServer> {
  let draining = false;
  let lastRequestAt = 0;
  const server = createServer((request, response) => {
    lastRequestAt = performance.now();
    if (draining) {
      // Finish this request, but tell keep-alive clients (the gateway) to take their next one elsewhere,
      // and tell probes this instance is going away.
      response.setHeader('connection', 'close');
      if (request.url === '/readyz') return sendJson(response, 503, { status: 'draining' });
    }
    listener(request, response);
  });
  server.keepAliveTimeout = 65_000; // longer than the gateway's idle sockets, so it never reuses a closing one
  server.headersTimeout = 66_000;
  // A request's body must arrive within this: a client trickling one byte at a time holds nothing for long.
  server.requestTimeout = 70_000;
  // Requests Node refuses before any listener sees them (headers too large, malformed HTTP) get a JSON answer too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const [status, reason, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'Request headers are too large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'The request took too long to arrive']
          : [400, 'Bad Request', 'Malformed HTTP request'];
    const body = JSON.stringify(requestError(message));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    port: actualPort,
    url: `http://${displayHost}:${actualPort}/graphql`,
    close: async (graceMs = 10_000) => {
      if (!server.listening) return;
      draining = true;
      await quietPeriod(() => lastRequestAt);
      await drain(server, graceMs);
    },
  };
}

/** Requests must have stopped arriving for this long before the listener closes. */
const quietMs = 200;
/** ...but the listener closes after this long whatever still arrives. */
const maxQuietWaitMs = 3_000;

/**
 * Keeps accepting and serving (readiness already says 503) until no request has arrived for `quietMs`.
 * Closing the listener at once would reset connections that are accepted by the kernel but not yet by
 * Node, which happens whenever the event loop is busy. The check runs in a setImmediate, after the event
 * loop has polled for new connections and requests, so a loop blocked by work cannot look quiet.
 */
function quietPeriod(lastRequestAt: () => number): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const check = () =>
      setImmediate(() => {
        const now = performance.now();
        if (now - lastRequestAt() >= quietMs || now - started >= maxQuietWaitMs) resolve();
        else setTimeout(check, quietMs - (now - lastRequestAt()));
      });
    setTimeout(check, quietMs);
  });
}

/**
 * Stop accepting connections and let in-flight requests finish; idle keep-alive connections are closed
 * as they become idle. Whatever is left after `graceMs` is cut.
 */
function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. Later signals are ignored: process managers relay
 * one Ctrl-C more than once, and the drain is bounded anyway (`deadlineMs`, then exit 1). Services run
 * as `node --import tsx`, one process: the tsx CLI would SIGKILL a child that is slow to acknowledge a
 * signal, cutting the drain short.
 */
export function stopOnSignals(stop: () => Promise<void>, log: (line: string) => void = console.log, deadlineMs = 20_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: draining in-flight requests`);
    setTimeout(() => {
      console.error(`still draining after ${deadlineMs} ms: exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
