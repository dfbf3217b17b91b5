import { roles, type Caller, type Database, type Role } from '@gongzhi/kit';
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type * as schema from './db/schema.ts';

export interface ReadRateLimits {
  windowSeconds: number;
  /** Requests per window for each role; 0 means unlimited. */
  perWindow: Record<Role, number>;
}

export const defaultReadRateLimits: ReadRateLimits = {
  windowSeconds: 60,
  perWindow: { public: 600, partner: 1_200, analyst: 6_000, staff: 6_000, admin: 6_000 },
};

/** `public:600,partner:1200,…`: the roles named replace their defaults. */
export function parseRoleNumbers(text: string, defaults: Record<Role, number>): Record<Role, number> {
  const result = { ...defaults };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [role, value] = part.split(/[:=]/).map((p) => p.trim());
    if (!roles.includes(role as Role) || !/^\d+$/.test(value ?? ''))
      throw new Error(`"${part}" is not role:number (roles: ${roles.join(', ')})`);
    result[role as Role] = Number(value);
  }
  return result;
}

/**
 * Who a limit counts against: a partner's organisation (all its tokens together), a signed-in caller's
 * subject, the public's network address.
 */
export function rateKeyOf(caller: Caller): string {
  if (caller.role === 'partner' && caller.organisationId) return `org:${caller.organisationId}`;
  if (caller.subject) return `${caller.role}:${caller.subject}`;
  return `${caller.role}@${caller.origin ?? 'unknown'}`;
}

export function rateLimited(retryAfterSeconds: number, limit: number): GraphQLError {
  return new GraphQLError(`Too many requests: at most ${limit} per window; retry after ${retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

export interface ReadLimiter {
  /** Counts one request of `caller`; answers the refusal when it is over its role's limit, else null. */
  admit(caller: Caller): Promise<GraphQLError | null>;
  close(): void;
}

interface Count {
  hits: number;
  retryAfter: number;
}

/**
 * Fixed-window request counts in PostgreSQL, so every gateway instance counts against the same limit.
 * Requests arriving in the same tick share one statement (one array parameter, however many callers);
 * old windows are deleted by whichever instance gets there first.
 */
export function createReadLimiter(database: Database<typeof schema>, limits: ReadRateLimits): ReadLimiter {
  const window = limits.windowSeconds;
  const counts = new DataLoader<string, Count>(
    async (keys) => {
      const rows = await database.rows<{ caller: string; hits: number; retry_after: number }>(sql`
        with now_ as (select to_timestamp(floor(extract(epoch from now()) / ${window}) * ${window}) as window_start, now() as at)
        insert into gateway.request_counts (caller, window_start, hits)
        select caller, (select window_start from now_), count(*)::int from unnest(${sql.param([...keys])}::text[]) as t(caller) group by caller
        on conflict (caller, window_start) do update set hits = gateway.request_counts.hits + excluded.hits
        returning caller, hits, ceil(extract(epoch from (window_start + make_interval(secs => ${window})) - (select at from now_)))::int as retry_after`);
      const byCaller = new Map(rows.map((row) => [row.caller, row]));
      // The batch added every occurrence at once: the i-th of n requests of a caller is hit (total - n + 1 + i).
      const seen = new Map<string, number>();
      const occurrences = new Map<string, number>();
      for (const key of keys) occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
      return keys.map((key) => {
        const row = byCaller.get(key)!;
        const index = seen.get(key) ?? 0;
        seen.set(key, index + 1);
        return { hits: Number(row.hits) - occurrences.get(key)! + 1 + index, retryAfter: Math.max(1, Number(row.retry_after)) };
      });
    },
    { cache: false },
  );
  const sweep = setInterval(() => {
    database
      .rows(sql`delete from gateway.request_counts where window_start < now() - make_interval(secs => ${2 * window})`)
      .catch(() => {});
  }, window * 1000);
  sweep.unref();
  return {
    admit: async (caller) => {
      const limit = limits.perWindow[caller.role];
      if (!limit) return null;
      const { hits, retryAfter } = await counts.load(rateKeyOf(caller));
      return hits > limit ? rateLimited(retryAfter, limit) : null;
    },
    close: () => clearInterval(sweep),
  };
}
