/**
 * The validating proxy: forwards each request unchanged (method, path, query, headers, body; only the
 * hop-by-hop headers and Host belong to each connection) to the real API, streams the answer back unchanged
 * byte for byte, and checks the exchange against the contract on the way (validate.ts), keeping the findings
 * for `GET /__proxy/report`. When no answer comes it answers 502 (unreachable) or 504 (timeout) itself, in the
 * API's own error envelope, and records that too; so is an answer it cannot pass on (a 101 nobody asked for, a
 * status outside 200–599).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readCredential } from '../auth/index.ts';
import { nodeHttp } from '../node/http-module.ts';
import { DEFAULT_LIMITS, guardTransport, serverOptions } from '../node/transport.ts';
import { apiModel, type ApiName } from '../model/index.ts';
import { assumptionLinks } from './links.ts';
import { dialectFor, MAX_BODY_BYTES } from './mock-parts.ts';
import { decodeBody, Kept, rawHeaderReader } from './messages.ts';
import { StateRecorder } from './record.ts';
import { Recorder, type ProxyReport, type Violation } from './report.ts';
import {
  createUpstream,
  DEFAULT_TIMEOUT_MS,
  endToEndHeaders,
  upstreamBase,
  upstreamTarget,
  UpstreamError,
  type UpstreamOptions,
} from './upstream.ts';
import { createExchangeValidator, operationRouter } from './validate.ts';

export const CONTROL_PREFIX = '/__proxy';

export interface ProxyOptions extends Partial<UpstreamOptions> {
  api: ApiName;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** One line per exchange, the key masked; silent when omitted. */
  log?: (line: string) => void;
  /** Request bodies up to this size are validated (larger ones are forwarded, not validated); the mock's limit by default. */
  maxBodyBytes?: number;
  /** Response bodies up to this size (decoded) are validated. */
  maxResponseBytes?: number;
  /** Keep what the API returned as a state document (`--seed`), written to this file when the proxy closes. */
  record?: string;
}

export interface ValidationProxy {
  api: ApiName;
  url: string;
  port: number;
  /** Where requests go, for people: the target, or the spec's hosts. */
  upstream: string;
  report(): ProxyReport;
  markdown(): string;
  /** The state document recorded so far (`record`), or undefined when not recording. */
  recorded(): Record<string, unknown> | undefined;
  /** Writes the recorded state document to the `record` file now (close does it too). */
  writeRecord(): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
function splitTarget(target: string): { path: string; query: string } {
  const at = target.indexOf('?');
  return at === -1 ? { path: target, query: '' } : { path: target.slice(0, at), query: target.slice(at + 1) };
}

function summary(violations: Violation[]): string {
  if (!violations.length) return 'ok';
  const parts = violations.map(
    (violation) => `${violation.check}${violation.assumptions.length ? ` (${violation.assumptions.join(', ')})` : ''}`,
  );
  return `${violations.length} violation${violations.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export async function startProxy(options: ProxyOptions): Promise<ValidationProxy> {
  const { api, log } = options;
  const model = apiModel(api);
  const links = assumptionLinks(api);
  const validate = createExchangeValidator(api, links);
  const route = operationRouter(api);
  const recorder = new Recorder(api, links);
  const stateRecorder = options.record ? new StateRecorder(api) : undefined;
  const dialect = dialectFor(model);
  const upstream = createUpstream({
    target: options.target,
    ca: options.ca,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxResponse = options.maxResponseBytes ?? 8 * MAX_BODY_BYTES;

  const sendJson = (res: ServerResponse, status: number, body: unknown, type = JSON_TYPE) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const control = (req: IncomingMessage, res: ServerResponse, path: string, query: string) => {
    if (path !== `${CONTROL_PREFIX}/report`)
      return sendJson(res, 404, dialect.error(404, `The proxy serves GET ${CONTROL_PREFIX}/report only`));
    if (req.method !== 'GET')
      return sendJson(res, 405, dialect.error(405, `${CONTROL_PREFIX}/report answers GET only`));
    if (new URLSearchParams(query).get('format') === 'markdown')
      return sendJson(res, 200, recorder.markdown(options.target), 'text/markdown; charset=utf-8');
    sendJson(res, 200, recorder.report());
  };

  const proxy = async (req: IncomingMessage, res: ServerResponse, target: string, path: string, query: string) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const requestHeaders = rawHeaderReader(req.rawHeaders);
    const credential = readCredential(requestHeaders, model.schemes);
    const secrets = credential.present ? [credential.key] : [];
    const destination = upstreamTarget(upstreamBase(api, route(method, path), options.target), target);
    const requestBody = new Kept(maxBody);
    req.on('data', (chunk: Buffer) => requestBody.add(chunk));
    const { request, response } = upstream.open(destination, method, endToEndHeaders(req.rawHeaders));
    req.pipe(request);
    res.once('close', () => {
      if (!res.writableFinished) request.destroy();
    });

    let answer: IncomingMessage;
    try {
      answer = await response;
    } catch (cause) {
      if (!(cause instanceof UpstreamError)) throw cause;
      req.unpipe(request);
      req.resume();
      const message = `The validation proxy ${cause.message}`;
      recorder.recordUpstreamError({ method, path, status: cause.status, message }, secrets);
      log?.(recorder.scrub(`${method} ${path} → ${cause.status} (proxy: ${cause.message})`, secrets));
      if (!res.headersSent) sendJson(res, cause.status, dialect.error(cause.status, message));
      return;
    }

    res.writeHead(answer.statusCode!, answer.statusMessage, endToEndHeaders(answer.rawHeaders));
    const responseBody = new Kept(maxResponse);
    answer.on('data', (chunk: Buffer) => {
      responseBody.add(chunk);
      if (!res.write(chunk)) answer.pause();
    });
    res.on('drain', () => answer.resume());
    const complete = await new Promise<boolean>((resolve) => {
      answer.once('end', () => resolve(true));
      answer.on('error', () => resolve(false));
      answer.once('aborted', () => resolve(false));
    });
    if (!complete) {
      // The upstream broke off mid-answer: the client gets the same cut-off answer.
      log?.(recorder.scrub(`${method} ${path} → ${answer.statusCode} (upstream broke off the answer)`, secrets));
      res.destroy();
      return;
    }
    const responseHeaders = rawHeaderReader(answer.rawHeaders);
    const responseText = decodeBody(responseBody.bytes, responseHeaders('content-encoding'), maxResponse);
    const verdict = validate({
      method,
      path,
      query,
      requestHeaders,
      // An upstream may answer before the client has sent all of its body: a part is not judged.
      requestBody: req.complete
        ? decodeBody(requestBody.bytes, requestHeaders('content-encoding'), maxBody)
        : undefined,
      status: answer.statusCode!,
      responseHeaders,
      responseBody: responseText,
    });
    const violations = recorder.record({ method, path, query, status: answer.statusCode! }, verdict, secrets);
    const op = route(method, path);
    if (
      stateRecorder &&
      op &&
      credential.present &&
      responseText !== undefined &&
      !verdict.findings.some((finding) => !finding.passed && (finding.check === 'body' || finding.check === 'field'))
    ) {
      try {
        const pathId = op.path.endsWith('}') ? decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) : undefined;
        stateRecorder.observe({
          op,
          key: credential.key,
          status: answer.statusCode!,
          body: responseText === '' ? undefined : JSON.parse(responseText),
          pathId,
        });
      } catch {
        // Not JSON (the verdict says so): nothing to keep.
      }
    }
    // Recorded before the answer ends, so whoever reads the report after their answer finds it there.
    res.end();
    log?.(
      `${method} ${recorder.scrub(path, secrets)} → ${answer.statusCode} ${(performance.now() - started).toFixed(1)}ms key=${verdict.keyHint ?? '-'} ${summary(violations)}`,
    );
  };

  const server: Server = nodeHttp.createServer(serverOptions(DEFAULT_LIMITS), async (req, res) => {
    const target = req.url ?? '/';
    const { path, query } = splitTarget(target);
    try {
      if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) control(req, res, path, query);
      else await proxy(req, res, target, path, query);
    } catch (cause) {
      // A bug of ours, never the caller's: say so in the API's envelope and keep serving.
      log?.(`error ${req.method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
      if (!res.headersSent) sendJson(res, 500, dialect.error(500, 'The validation proxy failed unexpectedly'));
      else res.destroy();
    }
  });

  // The proxy's own refusals (bytes that are not HTTP, headers over 16 KiB, `CONNECT`) in the API's envelope too.
  guardTransport(server, DEFAULT_LIMITS, (status, message) => dialect.error(status, message), log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    api,
    url: `http://${host}:${port}`,
    port,
    upstream:
      options.target ??
      `the hosts of openapi/${api} (${[...new Set(model.operations.map((op) => upstreamBase(api, op)))].join(', ')})`,
    report: () => recorder.report(),
    markdown: () => recorder.markdown(options.target),
    recorded: () => stateRecorder?.document(),
    writeRecord: () => {
      if (stateRecorder && options.record) stateRecorder.write(options.record);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (stateRecorder && options.record) stateRecorder.write(options.record);
        upstream.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
