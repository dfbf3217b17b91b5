import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { subgraphs } from '../scripts/subgraphs.ts';

const root = new URL('..', import.meta.url).pathname;

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `npm start` as a user runs it, on embedded PostgreSQL (no database URL) and free ports. */
export function npmStart(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_PORT: '0', DATA_DIR: dataDir, ...extraEnv };
  delete env.DATABASE_URL;
  for (const { name } of subgraphs) {
    env[`${name.toUpperCase()}_PORT`] = '0';
    delete env[`${name.toUpperCase()}_DATABASE_URL`];
  }
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in time:\n${output}`)), 90_000);
    const poll = setInterval(() => {
      const match = /community graph ready at (\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/** Ctrl-C: SIGINT to the whole process group, then wait until every process of it is gone. */
export async function ctrlC({ child }: Started): Promise<void> {
  // 'close' comes once every process holding the output pipes has exited and all output has been read.
  const closed = new Promise((resolve) => child.on('close', resolve));
  process.kill(-child.pid!, 'SIGINT');
  await closed;
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('processes of npm start outlived Ctrl-C');
}

/** A pulled plug: SIGKILL to every process of `npm start`, nothing gets to flush or stop cleanly. */
export async function kill9({ child }: Started): Promise<void> {
  const closed = new Promise((resolve) => child.on('close', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await closed;
}

export async function query(url: string, text: string, variables: Record<string, unknown> = {}, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) };
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: text, variables }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { data: any; errors?: unknown[] };
}
