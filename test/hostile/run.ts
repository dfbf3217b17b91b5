/**
 * Sends hostile requests to a gateway and judges every answer: status, error codes, leaks, time, and
 * after each category whether `/healthz` still answers within a second.
 *
 *   node --import tsx test/hostile/run.ts http://127.0.0.1:4000/graphql
 *
 * With JWT_SECRET set (the gateway's), some requests are sent as partner, analyst, staff and admin; without
 * it, with the development secret, which only a gateway outside production accepts. MAX_BODY_BYTES is the
 * gateway's body limit (default 256 KiB); HOSTILE_ADDRESSES spreads the requests over that many
 * X-Forwarded-For addresses, for a gateway started with TRUST_PROXY=true.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { categories, defaultBodyLimit, generate, type Category, type HostileRequest, type Role } from './generate.ts';

export interface Outcome {
  request: HostileRequest;
  /** null when no answer came (time-out, reset). */
  status: number | null;
  headers: IncomingHttpHeaders;
  text: string;
  latencyMs: number;
  codes: string[];
  error?: string;
  findings: string[];
}

export interface Finding {
  count: number;
  examples: string[];
}

export interface CategorySummary {
  category: Category;
  count: number;
  sent: number;
  /** Not sent: the category ran out of its time budget. */
  skipped: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  maxLatencyMs: number;
  p95LatencyMs: number;
  findings: Record<string, Finding>;
  healthz: { ok: boolean; ms: number; detail: string };
  elapsedMs: number;
}

export interface RunOptions {
  concurrency?: number;
  /** Per request. */
  timeoutMs?: number;
  /**
   * Wall time for all categories: each gets what is left in proportion to its share of the requests left
   * (at least `minCategoryMs`), so time a quick category leaves goes to the ones after it.
   */
  /** Stop sending a category once the run has used this much (unsent requests are reported); default: send all. */
  budgetMs?: number;
  /** Judge refusals against their `withinMs` (timing: for a quiet machine and the command line, not for CI). */
  latency?: boolean;
  /** How long `/healthz` may take after each category. */
  healthzTimeoutMs?: number;
  minCategoryMs?: number;
  /** How many examples each finding keeps. */
  examples?: number;
  onCategory?: (summary: CategorySummary) => void;
  /** Every outcome, for callers that look closer (the test's specific expectations). */
  onOutcome?: (outcome: Outcome) => void;
}

/**
 * Findings that must never happen, whatever the request. Each detector is named for what it leaks; the
 * request's own planted strings are removed from the answer first, so echoing input is not a leak.
 */
export const leakDetectors: [string, RegExp][] = [
  [
    'leak: SQL',
    /Failed query|syntax error at or near|relation "[^"]*" does not exist|invalid input syntax for|violates [\w ]*constraint|duplicate key value|\bparams:|column "[^"]*"|PostgresError|PGlite|drizzle|invalid byte sequence|unsupported Unicode escape|out of range for type|value too long for type|canceling statement|\bselect\b[^"]{0,300}\bfrom\b|\binsert into\b|\bset_config\(|\bcurrent_setting\(|\$\d+::/i,
  ],
  ['leak: internal URL', /(127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0):\d+|postgres(ql)?:\/\/|ECONNREFUSED|socket hang up|fetch failed/i],
  ['leak: file path', /\/work\/|\/home\/|\/usr\/|\/tmp\/|node_modules|file:\/\/|\.[cm]?[tj]sx?:\d+/],
  ['leak: stack trace', /(\\n|\n)\s+at [\w.<[]|\s{4}at [\w.<[]|"stacktrace"/],
  [
    'leak: subgraph response',
    /"response"\s*:\s*\{|Received status code|Response not successful|"exception"|invalid json response body|Unexpected token [^"]{0,40} in JSON/i,
  ],
  ['leak: field suggestion', /Did you mean/],
];

/** The answer with every echo of the request's planted strings taken out (raw, JSON-escaped, twice escaped). */
function withoutEchoes(text: string, echoes: readonly string[] = []): string {
  let out = text;
  for (const echo of echoes) {
    if (echo.length === 0) continue;
    const once = JSON.stringify(echo).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    for (const form of [twice, once, echo]) out = out.split(form).join('');
  }
  return out;
}

interface ErrorShape {
  message?: unknown;
  extensions?: { code?: unknown; argument?: unknown };
}

/** What is wrong with one answer; an empty list is a clean answer. */
export function judge(
  request: HostileRequest,
  status: number | null,
  headers: IncomingHttpHeaders,
  text: string,
  latencyMs: number,
  error?: string,
  checkLatency = true,
): { codes: string[]; findings: string[] } {
  const findings: string[] = [];
  if (status === null) return { codes: [], findings: [`no answer (${error ?? 'unknown'})`] };
  if (status >= 500) findings.push(`status ${status}`);
  let body: { errors?: ErrorShape[]; data?: unknown } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const errors = Array.isArray(body?.errors) ? body!.errors : [];
  const codes = errors.map((e) => (typeof e?.extensions?.code === 'string' ? e.extensions.code : '(no code)'));
  if (codes.includes('INTERNAL_SERVER_ERROR') || /Internal server error/i.test(text)) findings.push('INTERNAL_SERVER_ERROR');
  // A subgraph is named only when it is missing from the answer (SUBGRAPH_UNAVAILABLE), never otherwise.
  if (
    errors.some(
      (e) =>
        (e?.extensions as { serviceName?: unknown } | undefined)?.serviceName !== undefined &&
        e?.extensions?.code !== 'SUBGRAPH_UNAVAILABLE',
    )
  ) {
    findings.push('leak: subgraph name (serviceName)');
  }
  const scanned = withoutEchoes(text, request.echoes);
  for (const [name, pattern] of leakDetectors) if (pattern.test(scanned)) findings.push(name);
  // Every refusal has the same shape: JSON errors, each with a message and a code.
  if (status >= 400 && status < 500) {
    const wellFormed = errors.length > 0 && errors.every((e) => typeof e?.message === 'string' && typeof e?.extensions?.code === 'string');
    if (!wellFormed) findings.push(`refusal not in the errors shape (${status})`);
    if (status === 429 && !headers['retry-after']) findings.push('429 without Retry-After');
  }
  if (errors.some((e) => e?.extensions?.code === 'BAD_USER_INPUT' && typeof e.extensions.argument !== 'string'))
    findings.push('BAD_USER_INPUT without extensions.argument');

  const expect = request.expect;
  const describe = `${status} ${[...new Set(codes)].join(',') || '(no error)'}`;
  if (expect.notStatuses?.includes(status)) findings.push(`unexpected ${status}`);
  const codeOk = !expect.codes || codes.some((code) => expect.codes!.includes(code)) || (status === 429 && codes.includes('RATE_LIMITED'));
  if (expect.kind === 'refused') {
    const statusOk = status >= 400 && status < 500 && (!expect.statuses || expect.statuses.includes(status) || status === 429);
    if (!statusOk || !codeOk)
      findings.push(
        `expected refusal ${expect.statuses?.join('/') ?? '4xx'} ${expect.codes?.join('|') ?? ''}`.trim() + `, got ${describe}`,
      );
    else if (checkLatency && expect.withinMs !== undefined && latencyMs > expect.withinMs)
      findings.push(`refusal slower than ${expect.withinMs} ms`);
  } else if (expect.kind === 'error') {
    if (errors.length === 0 || !codeOk || status >= 500) findings.push(`expected error ${expect.codes?.join('|') ?? ''}, got ${describe}`);
  } else if (expect.kind === 'accepted') {
    if (status !== 200 || body?.data === undefined || body?.data === null) findings.push(`expected acceptance, got ${describe}`);
  }
  return { codes, findings };
}

/** Findings that are the gateway failing outright (as opposed to answering differently than intended). */
export const isHardFinding = (finding: string) => /^(status 5|no answer|INTERNAL_SERVER_ERROR|leak: )/.test(finding);

/** Status, headers and body of a raw HTTP/1.1 response (content-length, chunked or up to the close). */
function parseRawResponse(raw: Buffer): { status: number; headers: IncomingHttpHeaders; text: string } | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) return null;
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', offset);
      if (lineEnd < 0) break;
      const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length']) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return { status, headers, text: body.toString('utf8') };
}

/**
 * Large bodies go over a bare socket that keeps reading while it writes: a server may answer 413 and close
 * before the upload ends, and Node's client then reports the broken pipe instead of the answer (curl and
 * browsers show the answer). Chunked uploads are framed here too.
 */
function sendRaw(
  origin: string,
  request: HostileRequest,
  body: Buffer,
  chunked: boolean,
  timeoutMs: number,
): Promise<Omit<Outcome, 'codes' | 'findings'>> {
  const started = performance.now();
  const url = new URL(request.path + (request.search ?? ''), origin);
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseRawResponse(Buffer.concat(received));
      const latencyMs = performance.now() - started;
      if (parsed) resolve({ request, ...parsed, latencyMs });
      else resolve({ request, status: null, headers: {}, text: '', latencyMs, error: error ?? 'connection closed without an answer' });
    };
    const socket = connect(Number(url.port), url.hostname);
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // A reset after the answer arrived still leaves the answer.
    socket.on('error', (error: NodeJS.ErrnoException) => finish(received.length > 0 ? undefined : (error.code ?? error.message)));
    const headers = {
      ...request.headers,
      host: url.host,
      connection: 'close',
      ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }),
    };
    const head = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n`;
    const piece = 16 * 1024;
    const pieces = function* () {
      yield Buffer.from(head, 'latin1');
      for (let offset = 0; offset < body.length; offset += piece) {
        const part = body.subarray(offset, offset + piece);
        yield chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part;
      }
      if (chunked) yield Buffer.from('0\r\n\r\n');
    };
    // One piece at a time, and none once the server has answered: what a browser or curl does.
    const writer = pieces();
    const writeNext = () => {
      if (settled || received.length > 0 || socket.destroyed) return;
      const next = writer.next();
      // setImmediate: the poll phase in between reads an answer that has come meanwhile.
      if (!next.done) socket.write(next.value, (error) => !error && setImmediate(writeNext));
    };
    socket.on('connect', writeNext);
  });
}

/** Sends one request and waits for its whole answer (or `timeoutMs`). */
export function send(
  origin: string,
  request: HostileRequest,
  agent: Agent,
  timeoutMs: number,
): Promise<Omit<Outcome, 'codes' | 'findings'>> {
  const chunked = request.headers['transfer-encoding'] === 'chunked';
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  if (body && (chunked || body.length > 64 * 1024)) return sendRaw(origin, request, body, chunked, timeoutMs);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, headers: IncomingHttpHeaders, text: string, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ request, status, headers, text, latencyMs: performance.now() - started, ...(error && { error }) });
    };
    const url = new URL(request.path + (request.search ?? ''), origin);
    const headers: Record<string, string | number> = { ...request.headers };
    if (body) headers['content-length'] = body.length;
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest(url, { method: request.method, headers, agent }, onResponse);
    } catch (error) {
      resolve({ request, status: null, headers: {}, text: '', latencyMs: 0, error: `not sendable: ${(error as Error).message}` });
      return;
    }
    function onResponse(res: IncomingMessage) {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(res.statusCode ?? null, res.headers, Buffer.concat(chunks).toString('utf8')));
      res.on('error', (error) => finish(res.statusCode ?? null, res.headers, Buffer.concat(chunks).toString('utf8'), error.message));
    }
    const timer = setTimeout(() => {
      req.destroy();
      finish(null, {}, '', `no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    // A server that answers before reading the whole body (413) may reset the upload: the answer counts if it came.
    req.on('error', (error: NodeJS.ErrnoException) => finish(null, {}, '', error.code ?? error.message));
    req.end(body);
  });
}

/** `/healthz` of the gateway: it must answer 200 within a second, whatever came before. */
export async function healthz(origin: string, timeoutMs = 1_000): Promise<{ ok: boolean; ms: number; detail: string }> {
  const started = performance.now();
  try {
    const response = await fetch(new URL('/healthz', origin), { signal: AbortSignal.timeout(timeoutMs) });
    await response.text();
    const ms = performance.now() - started;
    return { ok: response.status === 200 && ms <= timeoutMs, ms, detail: `${response.status}` };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, detail: (error as Error).message };
  }
}

/** One line for a report: method, label, status, and the answer trimmed to 200 characters. */
export function example(outcome: Outcome): string {
  const answer = (outcome.text || outcome.error || '').replace(/\s+/g, ' ').slice(0, 200);
  return `[${outcome.request.caller}] ${outcome.request.label.slice(0, 90)} → ${outcome.status ?? '-'} ${Math.round(outcome.latencyMs)} ms: ${answer}`;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

/** Sends every request, category by category in `categories` order, and summarises each category. */
export async function run(graphqlUrl: string, requests: HostileRequest[], options: RunOptions = {}): Promise<CategorySummary[]> {
  const origin = new URL(graphqlUrl).origin;
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const budgetMs = options.budgetMs ?? Number.POSITIVE_INFINITY;
  const checkLatency = options.latency ?? true;
  const minCategoryMs = options.minCategoryMs ?? 4_000;
  const examples = options.examples ?? 3;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const summaries: CategorySummary[] = [];
  const runStarted = performance.now();
  let left = requests.length;
  try {
    for (const category of categories) {
      const batch = requests.filter((request) => request.category === category);
      if (batch.length === 0) continue;
      const categoryBudget = Math.max(minCategoryMs, ((budgetMs - (performance.now() - runStarted)) * batch.length) / left);
      left -= batch.length;
      const started = performance.now();
      const outcomes: Outcome[] = [];
      let next = 0;
      const worker = async () => {
        while (next < batch.length && performance.now() - started < categoryBudget) {
          const request = batch[next++]!;
          const sent = await send(origin, request, agent, timeoutMs);
          const outcome: Outcome = {
            ...sent,
            ...judge(request, sent.status, sent.headers, sent.text, sent.latencyMs, sent.error, checkLatency),
          };
          outcomes.push(outcome);
          options.onOutcome?.(outcome);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const elapsedMs = performance.now() - started;
      const summary: CategorySummary = {
        category,
        count: batch.length,
        sent: outcomes.length,
        skipped: batch.length - outcomes.length,
        statuses: {},
        codes: {},
        maxLatencyMs: Math.max(0, ...outcomes.map((o) => o.latencyMs)),
        p95LatencyMs: percentile(
          outcomes.map((o) => o.latencyMs),
          0.95,
        ),
        findings: {},
        healthz: await healthz(origin, options.healthzTimeoutMs),
        elapsedMs,
      };
      for (const outcome of outcomes) {
        const status = String(outcome.status ?? 'none');
        summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
        for (const code of new Set(outcome.codes)) summary.codes[code] = (summary.codes[code] ?? 0) + 1;
        for (const finding of outcome.findings) {
          const entry = (summary.findings[finding] ??= { count: 0, examples: [] });
          entry.count++;
          if (entry.examples.length < examples) entry.examples.push(example(outcome));
        }
      }
      if (summary.skipped > 0)
        summary.findings[`not sent: category over its ${Math.round(categoryBudget / 1000)} s budget`] = {
          count: summary.skipped,
          examples: [],
        };
      summaries.push(summary);
      options.onCategory?.(summary);
    }
  } finally {
    agent.destroy();
  }
  return summaries;
}

/** The summary of one category as text lines. */
export function format(summary: CategorySummary): string {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${key}×${n}`)
      .join(' ');
  const lines = [
    `${summary.category}: ${summary.sent}/${summary.count} sent in ${(summary.elapsedMs / 1000).toFixed(1)} s, max ${Math.round(summary.maxLatencyMs)} ms, p95 ${Math.round(summary.p95LatencyMs)} ms; healthz ${summary.healthz.ok ? 'ok' : 'FAILED'} (${summary.healthz.detail}, ${Math.round(summary.healthz.ms)} ms)`,
    `  statuses ${counts(summary.statuses)}`,
    `  codes    ${counts(summary.codes) || '-'}`,
  ];
  for (const [finding, { count, examples }] of Object.entries(summary.findings).sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`  ! ${finding}: ${count}`);
    for (const line of examples) lines.push(`      ${line}`);
  }
  return lines.join('\n');
}

/** Tokens for every signed-in role, signed with `secret` (the gateway's JWT_SECRET). */
export async function tokensFor(secret: string | undefined): Promise<Partial<Record<Role, string>>> {
  const { developmentToken, mintToken } = await import('@gongzhi/gateway');
  const issuer = process.env.JWT_ISSUER ?? 'gongzhi';
  const audience = process.env.JWT_AUDIENCE ?? 'gongzhi-graph';
  const mint = (request: Parameters<typeof developmentToken>[0]) =>
    secret ? mintToken(request, secret, issuer, audience) : developmentToken(request);
  return {
    partner: await mint({ role: 'partner', organisationId: 'hostile-partner-organisation' }),
    analyst: await mint({ role: 'analyst' }),
    staff: await mint({ role: 'staff', department: 'civil-affairs', scopes: ['read:personal', 'write:services'] }),
    admin: await mint({ role: 'admin' }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';
  const tokens = await tokensFor(process.env.JWT_SECRET);
  // HOSTILE_ADDRESSES=100 spreads the requests over 100 X-Forwarded-For addresses (a gateway with TRUST_PROXY=true).
  const requests = generate({
    tokens,
    bodyLimit: Number(process.env.MAX_BODY_BYTES ?? defaultBodyLimit),
    addresses: Number(process.env.HOSTILE_ADDRESSES ?? 0),
  });
  console.log(`${requests.length} hostile requests to ${url}`);
  const started = performance.now();
  const summaries = await run(url, requests, { onCategory: (summary) => console.log(format(summary)) });
  const hard = summaries.reduce(
    (n, s) =>
      n +
      Object.entries(s.findings)
        .filter(([f]) => isHardFinding(f))
        .reduce((m, [, f]) => m + f.count, 0),
    0,
  );
  console.log(
    `\n${summaries.reduce((n, s) => n + s.sent, 0)} sent in ${((performance.now() - started) / 1000).toFixed(1)} s; ${hard} answers with a 5xx, a leak, an internal error or no answer`,
  );
  process.exitCode = hard > 0 ? 1 : 0;
}
