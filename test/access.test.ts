import { developmentToken, developmentTokenSecret, type RunningGateway } from '@gongzhi/gateway';
import { adminCaller, callerHeader, signCaller, type Role } from '@gongzhi/kit';
import { gatewayCredential } from '@gongzhi/kit/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestGraph, type ServedSlice } from './seeded-graph.ts';

/** Every slice on its own seeded database behind the gateway, asked by every role. */
let graph: Awaited<ReturnType<typeof serveTestGraph>>;
let served: Map<string, ServedSlice>;
let gateway: RunningGateway;

interface Answer {
  status: number;
  data: any;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

async function ask(query: string, variables: Record<string, unknown> = {}, token?: string, url = gateway.url): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: Answer['errors'] };
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}

const token = (claims: { role: Role; org?: string; scopes?: string[]; dept?: string }) =>
  developmentToken({ role: claims.role, organisationId: claims.org, scopes: claims.scopes, department: claims.dept });

/** The callers of the matrix, by name; partner A is the recipient of `grantOfA`. */
const callers: Record<string, string | undefined> = {};
let grantOfA: string;
let grantOfB: string;
let partnerA: string;

beforeAll(async () => {
  graph = await serveTestGraph();
  ({ served, gateway } = graph);
  const admin = await token({ role: 'admin' });
  const { data } = await ask(`{ grants(first: 200) { edges { node { id recipient { id } implementer { id } } } } }`, {}, admin);
  const grants = data.grants.edges.map((e: any) => e.node);
  partnerA = grants[0].recipient.id;
  grantOfA = grants[0].id;
  grantOfB = grants.find((g: any) => g.recipient.id !== partnerA && g.implementer.id !== partnerA).id;
  Object.assign(callers, {
    public: undefined,
    partnerA: await token({ role: 'partner', org: partnerA }),
    analyst: await token({ role: 'analyst' }),
    staff: await token({ role: 'staff', dept: 'civil-affairs' }),
    staffPersonal: await token({ role: 'staff', dept: 'civil-affairs', scopes: ['read:personal'] }),
    // A partner's or an analyst's token cannot grant itself personal data.
    analystWithScope: await token({ role: 'analyst', scopes: ['read:personal'] }),
    admin,
  });
}, 300_000);

afterAll(async () => graph?.stop());

/** Each caller's answer at `path`: the value when allowed, 'FORBIDDEN' when refused there or above it. */
function outcome(answer: Answer, path: (string | number)[]): unknown {
  const refused = answer.errors.find(
    (e) =>
      e.extensions?.code === 'FORBIDDEN' && e.path !== undefined && JSON.stringify(path.slice(0, e.path.length)) === JSON.stringify(e.path),
  );
  let value = answer.data;
  for (const key of path) value = value?.[key];
  if (refused) {
    expect(value ?? null, `refused ${path.join('.')} must be null`).toBeNull();
    return 'FORBIDDEN';
  }
  expect(value, `${path.join('.')} must be there when allowed`).not.toBeUndefined();
  expect(value, `${path.join('.')} must be there when allowed`).not.toBeNull();
  return 'allowed';
}

const everyone = ['public', 'partnerA', 'analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin'];
const only = (...allowed: string[]) => Object.fromEntries(everyone.map((c) => [c, allowed.includes(c) ? 'allowed' : 'FORBIDDEN']));
const signedIn = only('partnerA', 'analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin');
const personal = only('staffPersonal', 'admin');

interface Case {
  what: string;
  query: string;
  variables?: () => Record<string, unknown>;
  paths: [path: (string | number)[], expected: Record<string, string>][];
}

const cases: Case[] = [
  {
    what: 'a person by id (root field), and the personal fields on it',
    query: `query($id: ID!) { person(id: $id) { name idNumber phone address birthDate } }`,
    variables: () => ({ id: 'per-440306001001-000001' }),
    paths: [
      [['person'], signedIn],
      [['person', 'idNumber'], only('staffPersonal', 'admin')],
      [['person', 'phone'], only('staffPersonal', 'admin')],
      [['person', 'address'], only('staffPersonal', 'admin')],
      [['person', 'birthDate'], only('staffPersonal', 'admin')],
    ],
  },
  {
    what: 'committee members reached from another slice (elections → people): names public, the rest not',
    query: `{ community(code: "440306001001") { residentsCommittees { members { name gender hukou idNumber phone } } } }`,
    paths: [
      [['community', 'residentsCommittees', 0, 'members', 0, 'name'], only(...everyone)],
      [['community', 'residentsCommittees', 0, 'members', 0, 'gender'], signedIn],
      [['community', 'residentsCommittees', 0, 'members', 0, 'hukou'], signedIn],
      [['community', 'residentsCommittees', 0, 'members', 0, 'idNumber'], personal],
      [['community', 'residentsCommittees', 0, 'members', 0, 'phone'], personal],
    ],
  },
  {
    what: 'lists of residents, volunteers and workers (root and nested connections)',
    query: `{ people(first: 1) { totalCount } communityWorkers(first: 1) { totalCount }
      community(code: "440306001001") { residents(first: 1) { totalCount } volunteers(first: 1) { totalCount } workers(first: 1) { totalCount } } }`,
    paths: [
      [['people'], signedIn],
      [['communityWorkers'], signedIn],
      [['community', 'residents'], signedIn],
      [['community', 'volunteers'], signedIn],
      [['community', 'workers'], signedIn],
    ],
  },
  {
    what: 'service request submitters (root list and a community’s list)',
    query: `{ serviceRequests(first: 1) { edges { node { submitterName submitterPhone } } }
      community(code: "440306001001") { serviceRequests(first: 1) { edges { node { submitterName } } } } }`,
    paths: [
      [['serviceRequests', 'edges', 0, 'node', 'submitterName'], personal],
      [['serviceRequests', 'edges', 0, 'node', 'submitterPhone'], personal],
      [['community', 'serviceRequests', 'edges', 0, 'node', 'submitterName'], personal],
    ],
  },
  {
    what: 'voter registrations (who registered is personal)',
    query: `{ elections(first: 1) { edges { node { result { registered } registrations(first: 1) { totalCount } } } } }`,
    paths: [
      [['elections', 'edges', 0, 'node', 'result'], only(...everyone)],
      [['elections', 'edges', 0, 'node', 'registrations'], personal],
    ],
  },
  {
    what: 'third-party evaluations (services), for signed-in callers only',
    query: `{ microProjects(status: EVALUATED, first: 1) { edges { node { title evaluations { score } } } } }`,
    paths: [
      [['microProjects', 'edges', 0, 'node', 'title'], only(...everyone)],
      [['microProjects', 'edges', 0, 'node', 'evaluations'], signedIn],
    ],
  },
  {
    what: 'a grant’s headline is public; its money flows and reports belong to its parties (root field)',
    query: `query($a: ID!, $b: ID!) {
      a: grant(id: $a) { title amountAwarded { amount } recipient { name } transactions { type } balance { committed { amount } } progressReports { outputs } }
      b: grant(id: $b) { title transactions { type } balance { committed { amount } } progressReports { outputs } } }`,
    variables: () => ({ a: grantOfA, b: grantOfB }),
    paths: [
      [['a', 'title'], only(...everyone)],
      [['a', 'amountAwarded'], only(...everyone)],
      [['a', 'recipient', 'name'], only(...everyone)],
      [['a', 'transactions'], only('partnerA', 'analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin')],
      [['a', 'balance'], only('partnerA', 'analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin')],
      [['a', 'progressReports'], only('partnerA', 'analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin')],
      [['b', 'title'], only(...everyone)],
      [['b', 'transactions'], only('analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin')],
      [['b', 'balance'], only('analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin')],
      [['b', 'progressReports'], only('analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin')],
    ],
  },
  {
    what: 'the same grants reached from another slice (organisations → funding)',
    query: `query($org: ID!) { organisation(id: $org) { grantsReceived(first: 1) { edges { node { id transactions { type } } } } } }`,
    variables: () => ({ org: partnerA }),
    paths: [
      [
        ['organisation', 'grantsReceived', 'edges', 0, 'node', 'transactions'],
        only('partnerA', 'analyst', 'staff', 'staffPersonal', 'analystWithScope', 'admin'),
      ],
    ],
  },
];

describe('the access matrix: every role × every sensitive field, through the gateway', () => {
  for (const { what, query, variables, paths } of cases) {
    it(what, async () => {
      for (const caller of everyone) {
        const answer = await ask(query, variables?.() ?? {}, callers[caller]);
        expect(answer.status, caller).toBe(200);
        // Refusals are FORBIDDEN on the field; nothing else goes wrong.
        expect(
          answer.errors.filter((e) => e.extensions?.code !== 'FORBIDDEN'),
          caller,
        ).toEqual([]);
        for (const [path, expected] of paths) expect(outcome(answer, path), `${caller} at ${path.join('.')}`).toBe(expected[caller]);
      }
    });
  }
});

describe('tokens', () => {
  const secret = new TextEncoder().encode(developmentTokenSecret);
  const signed = (claims: Record<string, unknown>, change: (jwt: SignJWT) => SignJWT = (jwt) => jwt, key = secret) =>
    change(
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('gongzhi')
        .setAudience('gongzhi-graph')
        .setIssuedAt()
        .setExpirationTime('5m'),
    ).sign(key);
  const unsigned = (claims: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, iss: 'gongzhi', aud: 'gongzhi-graph', exp: Math.floor(Date.now() / 1000) + 300 }),
    ).toString('base64url')}.`;

  it('refuses every bad token as UNAUTHENTICATED, never treating it as the public', async () => {
    const bad: Record<string, string> = {
      'wrong signature': await signed({ role: 'admin' }, undefined, new TextEncoder().encode('x'.repeat(40))),
      'wrong issuer': await signed({ role: 'admin' }, (jwt) => jwt.setIssuer('someone-else')),
      'wrong audience': await signed({ role: 'admin' }, (jwt) => jwt.setAudience('another-api')),
      expired: await signed({ role: 'admin' }, (jwt) =>
        jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600),
      ),
      'alg none': unsigned({ role: 'admin' }),
      'no expiry': await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('gongzhi')
        .setAudience('gongzhi-graph')
        .sign(secret),
      'unknown role': await signed({ role: 'superuser' }),
      'partner without organisation': await signed({ role: 'partner' }),
      'not a JWT': 'hello',
    };
    for (const [what, bearer] of Object.entries(bad)) {
      const answer = await ask(`{ district { name } }`, {}, bearer);
      expect(answer.status, what).toBe(401);
      expect(answer.data, what).toBeNull();
      expect(
        answer.errors.map((e) => e.extensions?.code),
        what,
      ).toEqual(['UNAUTHENTICATED']);
    }
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
      body: JSON.stringify({ query: '{ district { name } }' }),
    });
    expect(response.status).toBe(401);
  });
});

describe('subgraphs answer the gateway only', () => {
  it('refuses direct requests and forged credentials, and serves health endpoints to anyone', async () => {
    const people = served.get('people')!;
    const origin = new URL(people.url).origin;
    const query = { query: '{ person(id: "per-440306001001-000001") { idNumber } }' };
    const post = (headers: Record<string, string>) =>
      fetch(people.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(query) });

    const direct = await post({});
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await post({ [callerHeader]: await signCaller(adminCaller, 'a-forger-does-not-know-the-secret-0123456789') });
    expect(forged.status).toBe(401);
    const garbage = await post({ [callerHeader]: 'not-a-token' });
    expect(garbage.status).toBe(401);

    const trusted = await post(await gatewayCredential(adminCaller));
    expect(trusted.status).toBe(200);
    expect(((await trusted.json()) as any).data.person.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  });
});
