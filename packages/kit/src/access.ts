import type { IncomingMessage } from 'node:http';
import {
  defaultFieldResolver,
  GraphQLError,
  valueFromASTUntyped,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from './env.ts';

/** Who is asking, as the gateway verified it: the same shape in every slice. */
export const roles = ['public', 'partner', 'analyst', 'staff', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Caller {
  role: Role;
  /** The token's subject; null for the public. */
  subject: string | null;
  /** The organisation a partner acts for (required for partners, null otherwise). */
  organisationId: string | null;
  /** The department a member of staff works in. */
  department: string | null;
  /** Scopes the token grants, e.g. `read:personal`, `write:services`. */
  scopes: string[];
  /** The client's network address as the gateway saw it (rate limits for anonymous writes); never from a token. */
  origin?: string | null;
}

export const publicCaller: Caller = Object.freeze({
  role: 'public',
  subject: null,
  organisationId: null,
  department: null,
  scopes: [],
}) as Caller;

/** Every grant there is: what tests and internal tooling act as. */
export const adminCaller: Caller = Object.freeze({
  role: 'admin',
  subject: 'admin',
  organisationId: null,
  department: null,
  scopes: [],
}) as Caller;

/** The claims a caller's token carries: `role`, `org` (partners), `dept` (staff), `scope` (space-separated). */
const claimsShape = z
  .object({
    sub: z.string().min(1).optional(),
    role: z.enum(roles),
    org: z.string().min(1).optional(),
    dept: z.string().min(1).optional(),
    scope: z.string().optional(),
  })
  .refine((claims) => claims.role !== 'partner' || claims.org !== undefined, { message: 'a partner token names its organisation (org)' });

/** The caller a verified token describes; throws UNAUTHENTICATED when its claims do not make one. */
export function callerFromClaims(payload: JWTPayload): Caller {
  const parsed = claimsShape.safeParse(payload);
  if (!parsed.success) throw unauthenticated(`token claims: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const claims = parsed.data;
  return {
    role: claims.role,
    subject: claims.sub ?? null,
    organisationId: claims.role === 'partner' ? claims.org! : null,
    department: claims.dept ?? null,
    scopes: (claims.scope ?? '').split(' ').filter(Boolean),
  };
}

export const callerClaims = (caller: Caller): JWTPayload => ({
  role: caller.role,
  ...(caller.subject && { sub: caller.subject }),
  ...(caller.organisationId && { org: caller.organisationId }),
  ...(caller.department && { dept: caller.department }),
  ...(caller.scopes.length > 0 && { scope: caller.scopes.join(' ') }),
  ...(caller.origin && { ip: caller.origin }),
});

/**
 * Scopes count for staff (as granted) and admins (all of them): analysts and partners read no personal
 * data whatever their token says.
 */
export function hasScope(caller: Caller, scope: string): boolean {
  return caller.role === 'admin' || (caller.role === 'staff' && caller.scopes.includes(scope));
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

// The gateway's credential to the subgraphs: the verified caller, signed with the secret they share.
export const callerHeader = 'x-gongzhi-caller';

/** Shared by the gateway and the subgraphs outside production, so `npm start` and `npm run dev` work as is. */
export const developmentSubgraphSecret = 'gongzhi-development-only-subgraph-secret';

/** SUBGRAPH_SECRET: must be set in production (any 32+ characters the gateway and the subgraphs share). */
export const subgraphSecretVar = () =>
  z
    .string()
    .min(32)
    .default(developmentSubgraphSecret)
    .refine((value) => process.env.NODE_ENV !== 'production' || value !== developmentSubgraphSecret, {
      message: 'required in production: a random string of 32 or more characters shared by the gateway and every subgraph',
    });
const internalIssuer = 'gongzhi-gateway';
const internalAudience = 'gongzhi-subgraphs';
const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs `caller` for one subgraph call (valid for a minute: long enough for one request, no more). */
export async function signCaller(caller: Caller, secret: string): Promise<string> {
  return new SignJWT(callerClaims(caller))
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(internalIssuer)
    .setAudience(internalAudience)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key(secret));
}

/** The caller of a subgraph request; anything but a valid gateway credential is UNAUTHENTICATED. */
export async function callerOfRequest(request: IncomingMessage, secret: string): Promise<Caller> {
  const header = request.headers[callerHeader];
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw unauthenticated('subgraphs answer the gateway only: no gateway credential');
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], issuer: internalIssuer, audience: internalAudience });
    // The client's address is the gateway's to state, never a caller's token's.
    return { ...callerFromClaims(payload), origin: typeof payload.ip === 'string' ? payload.ip : null };
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    throw unauthenticated('subgraphs answer the gateway only: the gateway credential is not valid');
  }
}

/**
 * A rule a field's directives state: `@authenticated`, `@requiresScopes(scopes: [[...]])` (any one list,
 * every scope of it) and `@policy(policies: [[...]])` (any one list, every policy of it). Policies are
 * named checks a slice registers; they may look at the parent object (e.g. whose grant this is).
 */
export type Policy = (caller: Caller, parent: any, context: any) => boolean | Promise<boolean>;

interface FieldRule {
  authenticated: boolean;
  scopes: string[][] | null;
  policies: string[][] | null;
}

function fieldRule(
  directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: any }[] }[],
): FieldRule | null {
  const rule: FieldRule = { authenticated: false, scopes: null, policies: null };
  for (const directive of directives) {
    const argument = (name: string) => {
      const node = directive.arguments?.find((a) => a.name.value === name);
      return node ? (valueFromASTUntyped(node.value) as string[][]) : null;
    };
    if (directive.name.value === 'authenticated') rule.authenticated = true;
    if (directive.name.value === 'requiresScopes') rule.scopes = argument('scopes');
    if (directive.name.value === 'policy') rule.policies = argument('policies');
  }
  return rule.authenticated || rule.scopes || rule.policies ? rule : null;
}

/**
 * Enforces the access directives of the subgraph's SDL inside the subgraph, whatever gateway is in front:
 * a field the caller may not read resolves to null with a FORBIDDEN error, and the rest of the answer
 * still arrives. `context.caller` is the verified caller. Answers how many fields carry a rule.
 */
export function enforceAccessRules(schema: GraphQLSchema, policies: Record<string, Policy> = {}): number {
  let guarded = 0;
  for (const named of Object.values(schema.getTypeMap())) {
    // By tag, not instanceof: the schema may come from another copy of graphql (ESM and CJS builds).
    if (Object.prototype.toString.call(named) !== '[object GraphQLObjectType]' || named.name.startsWith('__')) continue;
    const type = named as GraphQLObjectType;
    const typeRule = type.astNode
      ? fieldRule([...(type.astNode.directives ?? []), ...(type.extensionASTNodes ?? []).flatMap((n) => n.directives ?? [])])
      : null;
    for (const field of Object.values(type.getFields())) {
      const rule = fieldRule(field.astNode?.directives ?? []) ?? typeRule;
      if (!rule) continue;
      for (const list of rule.policies ?? [])
        for (const name of list) if (!policies[name]) throw new Error(`${type.name}.${field.name}: no policy named ${name}`);
      const resolve: GraphQLFieldResolver<unknown, any> = field.resolve ?? defaultFieldResolver;
      const where = `${type.name}.${field.name}`;
      field.resolve = async (parent, args, context, info) => {
        const caller: Caller = context.caller ?? publicCaller;
        if (rule.authenticated && caller.role === 'public') throw forbidden(`${where} needs a signed-in caller`);
        if (rule.scopes && !rule.scopes.some((all) => all.every((scope) => hasScope(caller, scope)))) {
          throw forbidden(`${where} needs the scope ${rule.scopes.map((all) => all.join(' and ')).join(' or ')}`);
        }
        if (rule.policies) {
          let allowed = false;
          for (const all of rule.policies) {
            let every = true;
            for (const name of all) if (!(await policies[name]!(caller, parent, context))) every = false;
            if (every) allowed = true;
          }
          if (!allowed) throw forbidden(`${where} is not open to this caller`);
        }
        return resolve(parent, args, context, info);
      };
      guarded += 1;
    }
  }
  return guarded;
}
