import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';

/** The rows one table receives in a bulk load, in insertion order. */
export interface TableLoad {
  table: PgTable;
  rows: Iterable<object>;
  /** How many rows to expect, when known: progress reports show how far along they are. */
  expected?: number;
}

export interface LoadProgress {
  /** `<schema>.<table>`, or `indexes` and `constraints` while those are rebuilt. */
  step: string;
  rows: number;
  expected: number | undefined;
  elapsedMs: number;
  done: boolean;
}

export interface BulkLoadOptions {
  /** Called about once a second per table, and once when each step is done. */
  onProgress?: (progress: LoadProgress) => void;
  /** Keep indexes and foreign keys in place during the load (slower; `npm run bench` measures by how much). */
  keepIndexes?: boolean;
  /** How rows travel to a server: COPY (default) or JSON chunks as on embedded PostgreSQL (for measuring). */
  transport?: 'copy' | 'json';
}

/** The two ways rows travel: COPY on a server, JSON chunks on embedded PostgreSQL. */
export interface BulkWriter {
  query(text: string): Promise<Record<string, unknown>[]>;
  /** Writes `lines` (COPY text format, newline-terminated) into `target (columns)`. */
  copy?(target: string, columns: string[], lines: AsyncIterable<string>): Promise<void>;
  /** Inserts records keyed by column name into `target`. */
  insertJson(target: string, columns: string[], records: object[]): Promise<void>;
}

interface Loadable {
  target: string;
  columns: [key: string, column: Column][];
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function loadable(table: PgTable): Loadable {
  const { schema } = getTableConfig(table);
  const name = getTableName(table);
  return {
    target: `${schema ? `${quoteIdent(schema)}.` : ''}${quoteIdent(name)}`,
    // Generated columns are the database's to fill.
    columns: Object.entries(getTableColumns(table)).filter(([, column]) => !column.generated && !column.generatedIdentity),
  };
}

const copyEscapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const needsEscape = /[\\\n\r\t]/;
const escapeCopy = (text: string) => (needsEscape.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => copyEscapes[c]!) : text);
const arrayElement = (value: unknown) => (value === null ? 'NULL' : `"${String(value).replace(/["\\]/g, '\\$&')}"`);

/** One value in COPY's text format; arrays become Postgres array literals. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return escapeCopy(`{${value.map(arrayElement).join(',')}}`);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return escapeCopy(JSON.stringify(value));
  return escapeCopy(String(value));
}

/** Rows as COPY text, about 1 MB per chunk so the socket sees few large writes. */
/**
 * A column's constant default (drizzle `.default(1)`), used where a row leaves the column out: a bulk
 * load names every column, so the database's own default would never apply (e.g. rows' `version`).
 */
const constantDefaults = (columns: [key: string, column: Column][]): unknown[] =>
  columns.map(([, column]) => (['string', 'number', 'boolean'].includes(typeof column.default) ? column.default : undefined));

async function* copyLines(
  rows: Iterable<object>,
  keys: string[],
  defaults: unknown[],
  counted: (n: number) => void,
): AsyncGenerator<string> {
  // Lines are joined once per chunk: appending each to one growing string left the collector with
  // millions of rope fragments to walk (it cost more than formatting the rows).
  let lines: string[] = [];
  let size = 0;
  const values: string[] = new Array(keys.length);
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    for (let k = 0; k < keys.length; k++) values[k] = copyValue(record[keys[k]!] === undefined ? defaults[k] : record[keys[k]!]);
    const line = values.join('\t');
    lines.push(line);
    size += line.length + 1;
    if (size >= 1 << 20) {
      yield `${lines.join('\n')}\n`;
      counted(lines.length);
      lines = [];
      size = 0;
    }
  }
  if (lines.length) {
    yield `${lines.join('\n')}\n`;
    counted(lines.length);
  }
}

function reporter(step: string, expected: number | undefined, onProgress: BulkLoadOptions['onProgress']) {
  const started = performance.now();
  let rows = 0;
  let lastReport = started;
  return {
    add(n: number) {
      rows += n;
      const now = performance.now();
      if (onProgress && now - lastReport >= 1000) {
        lastReport = now;
        onProgress({ step, rows, expected, elapsedMs: now - started, done: false });
      }
    },
    done() {
      onProgress?.({ step, rows, expected, elapsedMs: performance.now() - started, done: true });
      return rows;
    },
  };
}

/**
 * Replaces every row of the given tables, inside the caller's transaction: foreign keys and secondary
 * indexes are dropped, the tables truncated, the rows streamed in, then indexes and foreign keys are
 * rebuilt once over the whole data and the tables analysed. Building an index once is far cheaper than
 * maintaining it row by row, and adding a foreign key checks it with one join. Answers rows per table.
 */
export async function replaceTables(
  writer: BulkWriter,
  loads: TableLoad[],
  options: BulkLoadOptions = {},
): Promise<Record<string, number>> {
  const tables = loads.map((load) => ({ load, ...loadable(load.table) }));
  const targets = tables.map((t) => t.target);
  const regclasses = `array[${targets.map((t) => `'${t.replaceAll("'", "''")}'::regclass`).join(', ')}]`;

  // Every foreign key from or to these tables, and every index that backs no constraint. Tables with
  // triggers of their own keep both: their (deferred) checks run against complete indexes, and Postgres
  // refuses to build an index or add a constraint while trigger events are pending.
  const deferred = `(select array_agg(distinct tgrelid) from pg_trigger where not tgisinternal and tgrelid = any(${regclasses}))`;
  const foreignKeys = await writer.query(
    `select conrelid::regclass::text as "table", quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
       from pg_constraint
      where contype = 'f' and (conrelid = any(${regclasses}) or confrelid = any(${regclasses}))
        and not (conrelid = any(coalesce(${deferred}, '{}')) or confrelid = any(coalesce(${deferred}, '{}')))`,
  );
  const indexes = await writer.query(
    `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
       from pg_index i
      where indrelid = any(${regclasses}) and not indrelid = any(coalesce(${deferred}, '{}'))
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))`,
  );
  if (options.keepIndexes) {
    foreignKeys.length = 0;
    indexes.length = 0;
  }
  for (const fk of foreignKeys) await writer.query(`alter table ${fk.table} drop constraint ${fk.name}`);
  for (const index of indexes) await writer.query(`drop index ${index.name}`);
  await writer.query(`truncate ${targets.join(', ')}`);

  const counts: Record<string, number> = {};
  for (const { load, target, columns } of tables) {
    const progress = reporter(
      target.replaceAll('"', ''),
      load.expected ?? (Array.isArray(load.rows) ? load.rows.length : undefined),
      options.onProgress,
    );
    const names = columns.map(([, column]) => column.name);
    if (writer.copy) {
      await writer.copy(
        target,
        names,
        copyLines(
          load.rows,
          columns.map(([key]) => key),
          constantDefaults(columns),
          progress.add,
        ),
      );
    } else {
      let chunk: object[] = [];
      const flush = async () => {
        await writer.insertJson(target, names, chunk);
        progress.add(chunk.length);
        chunk = [];
      };
      const defaults = constantDefaults(columns);
      for (const row of load.rows) {
        const record = row as Record<string, unknown>;
        chunk.push(
          Object.fromEntries(
            columns.map(([key, column], k) => [column.name, (record[key] === undefined ? defaults[k] : record[key]) ?? null]),
          ),
        );
        if (chunk.length === 5_000) await flush();
      }
      if (chunk.length) await flush();
    }
    counts[target.replaceAll('"', '')] = progress.done();
  }

  const rebuild = reporter('indexes', indexes.length, options.onProgress);
  for (const index of indexes) {
    await writer.query(String(index.definition));
    rebuild.add(1);
  }
  rebuild.done();
  const constraints = reporter('foreign keys', foreignKeys.length, options.onProgress);
  for (const fk of foreignKeys) {
    await writer.query(`alter table ${fk.table} add constraint ${fk.name} ${fk.definition}`);
    constraints.add(1);
  }
  constraints.done();
  await writer.query(`analyze ${targets.join(', ')}`);
  return counts;
}

export const jsonInsertStatement = (target: string, columns: string[]) => {
  const names = columns.map(quoteIdent).join(', ');
  return `insert into ${target} (${names}) select ${names} from json_populate_recordset(null::${target}, $1::json)`;
};

export const copyStatement = (target: string, columns: string[], freeze: boolean) =>
  `copy ${target} (${columns.map(quoteIdent).join(', ')}) from stdin${freeze ? ' with (freeze)' : ''}`;
