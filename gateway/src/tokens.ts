import { readFileSync } from 'node:fs';
import { callerFromClaims, publicCaller, unauthenticated, z, type Caller } from '@gongzhi/kit';
import { createLocalJWKSet, createRemoteJWKSet, errors, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey, type KeyInput } from 'jose';

/** Outside production, tokens are HS256 with this secret unless JWT_SECRET says otherwise (`npm run token`). */
export const developmentTokenSecret = 'gongzhi-development-only-token-secret';
const defaultIssuer = 'gongzhi';
const defaultAudience = 'gongzhi-graph';
const asymmetric = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** How callers' tokens are checked: the key source, and the issuer and audience they must name. */
export const tokenEnvShape = {
  /** HS256 shared secret (development; production may use it too, set explicitly). */
  JWT_SECRET: z.string().min(32).optional(),
  /** PEM public key (SPKI) or JWKS JSON file: verifies RS256/PS256/ES256/EdDSA tokens. */
  JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  /** JWKS endpoint of the identity provider. */
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The algorithm of a PEM key in JWT_PUBLIC_KEY_FILE. */
  JWT_ALGORITHM: z.enum(['RS256', 'PS256', 'ES256', 'EdDSA']).default('RS256'),
  JWT_ISSUER: z.string().min(1).default(defaultIssuer),
  JWT_AUDIENCE: z.string().min(1).default(defaultAudience),
};

type TokenEnv = z.infer<z.ZodObject<typeof tokenEnvShape>>;

export interface TokenSettings {
  issuer: string;
  audience: string;
  algorithms: string[];
  /** A secret or public key, or a key set that picks the key per token (JWKS). */
  key: KeyInput | JWTVerifyGetKey;
}

/**
 * The key source the environment names. A key file or JWKS URL means asymmetric algorithms only; a
 * secret means HS256 only, so a token can never pick a weaker algorithm than the deployment chose.
 * Production must name one; elsewhere the development secret applies.
 */
export async function tokenSettings(env: TokenEnv, production = process.env.NODE_ENV === 'production'): Promise<TokenSettings> {
  const sources = [env.JWT_SECRET, env.JWT_PUBLIC_KEY_FILE, env.JWT_JWKS_URL].filter((value) => value !== undefined);
  if (sources.length > 1) throw new Error('JWT_SECRET, JWT_PUBLIC_KEY_FILE and JWT_JWKS_URL: set one, not several');
  const common = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  if (env.JWT_JWKS_URL) return { ...common, algorithms: asymmetric, key: createRemoteJWKSet(new URL(env.JWT_JWKS_URL)) };
  if (env.JWT_PUBLIC_KEY_FILE) {
    const text = readFileSync(env.JWT_PUBLIC_KEY_FILE, 'utf8');
    if (text.trimStart().startsWith('{')) return { ...common, algorithms: asymmetric, key: createLocalJWKSet(JSON.parse(text)) };
    return { ...common, algorithms: [env.JWT_ALGORITHM], key: await importSPKI(text, env.JWT_ALGORITHM) };
  }
  if (!env.JWT_SECRET && production) throw new Error('JWT_SECRET, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required in production');
  return { ...common, algorithms: ['HS256'], key: new TextEncoder().encode(env.JWT_SECRET ?? developmentTokenSecret) };
}

/** For entry points: the settings the environment names, or every problem printed and exit 1. */
export async function tokenSettingsOrExit(env: TokenEnv): Promise<TokenSettings> {
  try {
    return await tokenSettings(env);
  } catch (error) {
    console.error(`gateway: invalid environment\n  - ${(error as Error).message}`);
    process.exit(1);
  }
}

/** The development settings: HS256 with the development secret, the default issuer and audience. */
export const developmentTokenSettings = (): Promise<TokenSettings> =>
  tokenSettings({ JWT_ALGORITHM: 'RS256', JWT_ISSUER: defaultIssuer, JWT_AUDIENCE: defaultAudience }, false);

/**
 * The caller of a gateway request: no Authorization header is the public; a bearer token must verify
 * (signature, algorithm, issuer, audience, expiry) and carry valid claims, or the request is refused as
 * UNAUTHENTICATED — a bad token is never taken for the public.
 */
export async function callerOfAuthorization(header: string | undefined, settings: TokenSettings): Promise<Caller> {
  if (header === undefined || header === '') return publicCaller;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, settings.key, {
      algorithms: settings.algorithms,
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['exp'],
    });
    return callerFromClaims(payload);
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthenticated('the token has expired');
    if (error instanceof errors.JOSEError) throw unauthenticated(`the token is not valid (${error.code})`);
    throw error;
  }
}

export interface TokenRequest {
  role: Caller['role'];
  subject?: string | undefined;
  organisationId?: string | undefined;
  department?: string | undefined;
  scopes?: string[] | undefined;
  /** e.g. `8h`, `30m`. */
  expiresIn?: string | undefined;
}

/** An HS256 token for development and tests (`npm run token`). */
export async function mintToken(request: TokenRequest, secret: string, issuer: string, audience: string): Promise<string> {
  const claims = callerFromClaims({
    role: request.role,
    sub: request.subject ?? `${request.role}-dev`,
    ...(request.organisationId && { org: request.organisationId }),
    ...(request.department && { dept: request.department }),
    ...(request.scopes?.length && { scope: request.scopes.join(' ') }),
  });
  return new SignJWT({
    role: claims.role,
    ...(claims.organisationId && { org: claims.organisationId }),
    ...(claims.department && { dept: claims.department }),
    ...(claims.scopes.length > 0 && { scope: claims.scopes.join(' ') }),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject!)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(secret));
}

/** A token the development settings accept (tests, benchmarks). */
export const developmentToken = (request: TokenRequest): Promise<string> =>
  mintToken(request, developmentTokenSecret, defaultIssuer, defaultAudience);
