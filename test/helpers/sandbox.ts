/**
 * A shared sandbox for tests: replicas of the mock (the real CLI, each its own process) on one Redis, and
 * requests routed to them in turn, as a round-robin reverse proxy would. Replicas are killed by PID.
 */
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { spawnCli } from './spawn-cli.ts';

export interface Replica {
  child: ChildProcess;
  urls: { mvo: string; tvm: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every replica still running (an afterEach / afterAll). */
export function killReplicas(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

/** Starts one replica of both mocks on free ports, resolving once both listen. */
export async function startReplica(args: string[], env: Record<string, string> = {}): Promise<Replica> {
  const { child, urls, exited, output } = await spawnCli(args, ['mvo', 'tvm'], env, running);
  return { child, urls: { mvo: urls.mvo!, tvm: urls.tvm! }, exited, output };
}

export interface Answer {
  status: number;
  headers: Headers;
  json: any;
  /** Which replica answered (its index). */
  replica: number;
}

/** Sends each request to the next replica in turn: several processes behind one address. */
export function roundRobin(replicas: () => Replica[], api: 'mvo' | 'tvm') {
  let next = 0;
  return async (
    path: string,
    init: Omit<RequestInit, 'body'> & { body?: unknown } = {},
    to?: number,
  ): Promise<Answer> => {
    const list = replicas();
    const replica = to ?? next++ % list.length;
    const body = init.body === undefined || typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    const headers = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string>),
    };
    const response = await send(
      list[replica].urls[api] + path,
      init.method ?? 'GET',
      headers,
      body as string | undefined,
    );
    return { ...response, json: response.text ? JSON.parse(response.text) : undefined, replica };
  };
}

/**
 * One request on a connection of its own (no keep-alive): a test that pauses longer than the server's
 * keep-alive never finds a reused connection closed under it.
 */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (typeof value === 'string') answerHeaders.set(name, value);
        resolve({ status: res.statusCode!, headers: answerHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
