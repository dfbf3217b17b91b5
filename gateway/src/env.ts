import { fileURLToPath } from 'node:url';
import { envVars, subgraphSecretVar, z, type Role } from '@gongzhi/kit';
import { defaultArgumentLimits } from './arguments.ts';
import { defaultCostCapacity } from './capacity.ts';
import { defaultCostBudgets } from './front-door.ts';
import { defaultDocumentLimits } from './limits.ts';
import { defaultReadRateLimits, parseRoleNumbers } from './rate-limit.ts';
import { tokenEnvShape } from './tokens.ts';

/** The committed supergraph, wherever the gateway is started from. */
export const defaultSupergraphPath = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

const formatRoles = (numbers: Record<Role, number>) =>
  Object.entries(numbers)
    .map(([role, n]) => `${role}:${n}`)
    .join(',');

/** `role:number,…` validated into a number per role (the roles not named keep their defaults). */
const perRole = (defaults: Record<Role, number>) =>
  z
    .string()
    .default(formatRoles(defaults))
    .transform((text, context) => {
      try {
        return parseRoleNumbers(text, defaults);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** Every variable the gateway reads, with its default; subgraph URLs are read by `subgraphUrlsFromEnv`. */
export const gatewayEnvShape = {
  GATEWAY_PORT: envVars.port(4000),
  GATEWAY_HOST: envVars.host('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().min(1).default(defaultSupergraphPath),
  /** The whole request's budget: planning and every subgraph call end when it runs out. */
  REQUEST_TIMEOUT_MS: envVars.positiveInt(15_000),
  SUBGRAPH_TIMEOUT_MS: envVars.positiveInt(10_000),
  SUBGRAPH_MAX_SOCKETS: envVars.positiveInt(128),
  MAX_BODY_BYTES: envVars.positiveInt(256 * 1024),
  MAX_DOCUMENT_BYTES: envVars.positiveInt(defaultDocumentLimits.maxDocumentBytes),
  MAX_TOKENS: envVars.positiveInt(defaultDocumentLimits.maxTokens),
  MAX_QUERY_DEPTH: envVars.positiveInt(defaultDocumentLimits.maxDepth),
  MAX_FIELDS: envVars.positiveInt(defaultDocumentLimits.maxFields),
  MAX_ALIASES: envVars.positiveInt(defaultDocumentLimits.maxAliases),
  MAX_DIRECTIVES: envVars.positiveInt(defaultDocumentLimits.maxDirectives),
  MAX_ARGUMENT_LENGTH: envVars.positiveInt(defaultArgumentLimits.maxArgumentLength),
  MAX_INPUT_TEXT_LENGTH: envVars.positiveInt(defaultArgumentLimits.maxInputTextLength),
  /** Largest estimated cost per role, e.g. `public:5000,partner:10000`. */
  COST_BUDGETS: perRole(defaultCostBudgets),
  /** Estimated cost that may run at once, all requests together; more waits (SERVER_BUSY when its deadline passes). */
  COST_CAPACITY: envVars.positiveInt(defaultCostCapacity),
  /** Reads per caller per window, per role (0 = unlimited), counted in PostgreSQL. */
  READ_RATE_LIMITS: perRole(defaultReadRateLimits.perWindow),
  READ_RATE_WINDOW_SECONDS: envVars.positiveInt(defaultReadRateLimits.windowSeconds),
  /** Where the rate-limit counts live, shared by every gateway instance; unset = DATABASE_URL, else embedded (in memory). */
  GATEWAY_DATABASE_URL: envVars.url(),
  DATABASE_URL: envVars.url(),
  /** Signs the verified caller into every subgraph request; the subgraphs check it. */
  SUBGRAPH_SECRET: subgraphSecretVar(),
  /** Behind a reverse proxy, `true` takes the client's address from X-Forwarded-For. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  ...tokenEnvShape,
};

export type GatewayEnv = z.infer<z.ZodObject<typeof gatewayEnvShape>>;

/** `<NAME>_URL` overrides the URL the supergraph records for subgraph `name` (e.g. ORGANISATIONS_URL). */
export function subgraphUrlsFromEnv(
  names: readonly string[],
  source: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of names) {
    const value = source[`${name.toUpperCase()}_URL`];
    if (value) urls[name] = value;
  }
  return urls;
}
