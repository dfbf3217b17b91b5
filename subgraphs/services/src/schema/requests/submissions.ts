import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { envVars, parseEnv, subgraphSecretVar, type Db } from '@gongzhi/kit';
import { and, eq, lt, sql } from 'drizzle-orm';
import type * as schema from '../../db/schema.ts';
import { submissionWindows } from '../../db/schema.ts';

/**
 * The slice's own settings for public submissions. Kit's subgraph environment shape does not know them,
 * so they are validated here, once, when the module loads: a bad value stops the process at start
 * (listing every problem), not at the first submission. Unset, the defaults apply.
 */
export const submissionEnvShape = {
  /** Public submissions allowed per origin (client address) in one window. */
  SUBMISSION_RATE_LIMIT: envVars.positiveInt(5),
  SUBMISSION_RATE_WINDOW_SECONDS: envVars.positiveInt(600),
};

export interface SubmissionLimits {
  limit: number;
  windowSeconds: number;
}

export function submissionLimitsFrom(source: Record<string, string | undefined>): SubmissionLimits {
  const env = parseEnv('services', submissionEnvShape, source);
  return { limit: env.SUBMISSION_RATE_LIMIT, windowSeconds: env.SUBMISSION_RATE_WINDOW_SECONDS };
}

export const submissionLimits: SubmissionLimits = submissionLimitsFrom(process.env);

let secret: string | undefined;
/**
 * SUBGRAPH_SECRET, read when the first receipt is made: a running subgraph validated it at start, and
 * tools that only import the slice (seeding, composition) need not set it.
 */
const receiptSecret = () => (secret ??= parseEnv('services', { SUBGRAPH_SECRET: subgraphSecretVar() }).SUBGRAPH_SECRET);

/**
 * Counts one public submission of `origin` in the current window and answers whether it is within the
 * limit. The window is fixed (its start a multiple of its length, on the database's clock) and counted in
 * one upsert, so every instance of the subgraph shares it and concurrent submissions queue on its row.
 * Run inside the submission's transaction: a refused or failed submission rolls its count back.
 */
export async function withinSubmissionLimit(
  tx: Db<typeof schema>,
  origin: string,
  limits: SubmissionLimits = submissionLimits,
): Promise<boolean> {
  const windowStart = sql`to_timestamp(floor(extract(epoch from now()) / ${limits.windowSeconds}) * ${limits.windowSeconds})`;
  const [counted] = await tx
    .insert(submissionWindows)
    .values({ origin, windowStart, submissions: 1 })
    .onConflictDoUpdate({
      target: [submissionWindows.origin, submissionWindows.windowStart],
      set: { submissions: sql`${submissionWindows.submissions} + 1` },
    })
    .returning({ submissions: submissionWindows.submissions });
  // The first submission of a window clears the origin's past windows, so the table stays small.
  if (counted!.submissions === 1) {
    await tx.delete(submissionWindows).where(and(eq(submissionWindows.origin, origin), lt(submissionWindows.windowStart, windowStart)));
  }
  return counted!.submissions <= limits.limit;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The receipt of a submission: derived, not stored, so a retry with the same idempotency key can answer
 * it again. Keyed by the slice's secret and bound to the request, the caller who submitted it and their
 * key; only its SHA-256 is stored (`receipt_hash`), which is what a rating is checked against.
 */
export function receiptFor(requestId: string, actor: string, idempotencyKey: string, key: string = receiptSecret()): string {
  return createHmac('sha256', key).update(`service-request-receipt\0${requestId}\0${actor}\0${idempotencyKey}`).digest('base64url');
}

export const receiptHash = sha256;

/** Whether `receipt` is the one whose hash was stored (in constant time). */
export function receiptMatches(receipt: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const given = Buffer.from(sha256(receipt), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
