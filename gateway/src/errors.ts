import { randomUUID } from 'node:crypto';
import { clientErrorCodes } from '@gongzhi/kit';
import type { GraphQLFormattedError } from 'graphql';

/** Extensions a client may see; anything else (a subgraph's response, a stack trace, SQL) stays in the log. */
const clientExtensions = ['code', 'argument', 'serviceName', 'limit', 'retryAfter', 'errorId', 'cost', 'budget'];

const pick = (extensions: Record<string, unknown> | undefined) =>
  Object.fromEntries(clientExtensions.filter((key) => extensions?.[key] !== undefined).map((key) => [key, extensions![key]]));

/**
 * The gateway's `formatError`. Errors with a client-facing code keep their message and a short list of
 * extensions. In production anything else — an unexpected failure here, or one a subgraph did not mask
 * — becomes INTERNAL_SERVER_ERROR with an opaque id; the detail goes to the log under that id. A
 * subgraph's own masked error (already an id) passes as it came.
 */
export function formatGatewayError(production: boolean, log: (line: string) => void = (line) => console.error(line)) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let code = formatted.extensions?.code as string | undefined;
    const status = (error as { extensions?: { http?: { status?: number } } })?.extensions?.http?.status;
    // The GraphQL server's own refusals of a request (e.g. an unsupported persisted-query version) carry a
    // 4xx status but no code.
    if ((code === undefined || code === 'INTERNAL_SERVER_ERROR') && status !== undefined && status >= 400 && status < 500)
      code = 'BAD_REQUEST';
    let message = formatted.message;
    const extensions: Record<string, unknown> = { ...pick(formatted.extensions), ...(code && { code }) };
    if (code === 'BAD_USER_INPUT' && extensions.argument === undefined) {
      // A variable graphql could not coerce: the variable is the argument the client sent.
      const variable = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(message);
      if (variable) extensions.argument = `$${variable[1]}`;
    }
    // Which slice answered is the gateway's business, except when a slice is missing from the answer.
    if (code !== 'SUBGRAPH_UNAVAILABLE') delete extensions.serviceName;
    if (production) message = message.replace(/\s*Did you mean [^?]*\?/g, '');
    const base = {
      message,
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
    };
    if (code && clientErrorCodes.has(code)) return { ...base, extensions };
    if (code === 'INTERNAL_SERVER_ERROR' && typeof formatted.extensions?.errorId === 'string' && message === 'Internal server error')
      return { ...base, extensions };
    if (!production) return formatted;
    const errorId = randomUUID();
    const original = (error as { originalError?: Error })?.originalError ?? error;
    log(
      JSON.stringify({
        level: 'error',
        service: 'gateway',
        errorId,
        code,
        message: formatted.message,
        path: formatted.path,
        detail: (original as Error)?.stack ?? String(original),
      }),
    );
    return {
      message: 'Internal server error',
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}
