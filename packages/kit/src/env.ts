import { z } from 'zod';

/** Raised when the environment does not validate; lists every problem, not just the first. */
export class EnvError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid environment\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parse `source` (default `process.env`) with `shape`; throws EnvError naming every bad variable. */
export function parseEnv<T extends z.ZodRawShape>(
  service: string,
  shape: T,
  source: Readonly<Record<string, unknown>> = process.env,
): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new EnvError(service, problems);
}

/** For entry points: parse or print every problem and exit non-zero. */
export function loadEnvOrExit<T extends z.ZodRawShape>(service: string, shape: T): z.infer<z.ZodObject<T>> {
  try {
    return parseEnv(service, shape);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Building blocks shared by every service's env schema. */
export const envVars = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: (fallback = '127.0.0.1') => z.string().min(1).default(fallback),
  url: () =>
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(z.url({ protocol: /^(postgres|postgresql|https?)$/ }).optional()),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  logLevel: () => z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
};

export { z };
