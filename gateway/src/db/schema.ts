import { integer, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The gateway's own state, shared by every gateway instance: what must not live in one process's memory. */
export const gateway = pgSchema('gateway');

/** Reads per caller per fixed window, counted by every instance alike (the read rate limit). */
export const requestCounts = gateway.table(
  'request_counts',
  {
    caller: text('caller').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true, mode: 'string' }).notNull(),
    hits: integer('hits').notNull(),
  },
  (table) => [primaryKey({ columns: [table.caller, table.windowStart] })],
);
