import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { subgraphs } from '../../scripts/subgraphs.ts';
import type { Started } from '../npm-start.ts';

const root = new URL('../..', import.meta.url).pathname;

export interface Production extends Started {
  jwtSecret: string;
}

/**
 * `npm start` as production runs it: NODE_ENV=production with fresh random secrets, free ports, on the
 * PostgreSQL server at `databaseUrl` or, without one, on embedded PostgreSQL under `dataDir`.
 * (test/npm-start.ts always uses embedded PostgreSQL; CI runs this one on a server.)
 */
export function startProduction(dataDir: string, databaseUrl: string | undefined, extraEnv: NodeJS.ProcessEnv = {}): Promise<Production> {
  const jwtSecret = randomBytes(36).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SUBGRAPH_SECRET: randomBytes(36).toString('base64url'),
    JWT_SECRET: jwtSecret,
    GATEWAY_PORT: '0',
    DATA_DIR: dataDir,
    ...extraEnv,
  };
  delete env.GATEWAY_DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  for (const { name } of subgraphs) {
    env[`${name.toUpperCase()}_PORT`] = '0';
    delete env[`${name.toUpperCase()}_DATABASE_URL`];
    delete env[`${name.toUpperCase()}_URL`];
  }
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`npm start was not ready in time:\n${output}`));
    }, 120_000);
    const poll = setInterval(() => {
      const match = /community graph ready at (\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, jwtSecret });
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}
