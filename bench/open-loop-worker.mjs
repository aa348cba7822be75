// The load generator of the latency bench (bench/open-loop.ts starts it, one process pinned to the load core).
// Plain JavaScript without tsx: the process holds nothing but this loop, so its own garbage collection and
// event-loop stalls stay small next to the latencies it measures.
//
// Open loop, as wrk2 does: request i is due at start + i / rate whatever happened to the earlier ones, and its
// latency runs from that scheduled time (not from when it was written) to the end of its answer. A server that
// stalls therefore pays for every request that should have been sent meanwhile (coordinated omission counted).
// A request due while every connection waits on an answer queues here, its clock already running.
//
// Cheap per request: the request bytes are built once; the answer is read only as far as the status line,
// Content-Length (or the chunked terminator), nothing is decoded or parsed as JSON.
//
// Closed loop (`mode: "closed"`): every connection sends its next request as soon as its answer is complete;
// the figure is then the throughput (a fallback where wrk is missing).
//
// Usage: node bench/open-loop-worker.mjs '<json>' where json = { port, request: "<raw HTTP/1.1 text>",
// rate, seconds, warmupSeconds, connections, mode }. `{{n}}` in the request becomes a number unique to the
// request (Content-Length is computed per request then). Prints one JSON line of figures.
import { connect } from 'node:net';

const config = JSON.parse(process.argv[2]);
const { port, rate = 1000, seconds = 10, warmupSeconds = 2, connections = 32, mode = 'open' } = config;
const UNIQUE = '{{n}}';
const CRLF2 = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/** The bytes of request number n: prebuilt once, unless the request asks for a unique value. */
const requestBytes = (() => {
  const text = config.request;
  const [head, body = ''] = splitOnce(text, '\r\n\r\n');
  if (!text.includes(UNIQUE)) {
    const fixed = Buffer.from(
      body ? `${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}` : `${head}\r\n\r\n`,
      'latin1',
    );
    return () => fixed;
  }
  const run = Math.floor(Math.random() * 1e9);
  return (n) => {
    const filled = body.replaceAll(UNIQUE, `${run}-${n}`);
    return Buffer.from(
      `${head.replaceAll(UNIQUE, `${run}-${n}`)}\r\ncontent-length: ${Buffer.byteLength(filled)}\r\n\r\n${filled}`,
      'latin1',
    );
  };
})();

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

const totalMs = (warmupSeconds + seconds) * 1000;
const perMs = rate / 1000;
const total = mode === 'open' ? Math.floor(totalMs * perMs) : 0;
/** Scheduled times (ms, performance.now()) of requests still waiting for a free connection, in order. */
const queue = new Float64Array(Math.max(total, 1));
let queueHead = 0;
let queueTail = 0;
let scheduled = 0;
let sent = 0;
let start = 0;
let measureFrom = 0;
let stopped = false;

/** Latencies (ms) of requests scheduled after the warm-up; grown as needed in closed mode. */
let latencies = new Float64Array(mode === 'open' ? Math.max(total, 1) : 1 << 16);
let recorded = 0;
/** How late the scheduler noticed a due request (ms): the generator's own lag, not the server's. */
let lateMax = 0;
let lateOverMs = 0;
let completedInWindow = 0;
const statuses = new Map();
let socketErrors = 0;

function record(latency) {
  if (recorded === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[recorded++] = latency;
}

class Connection {
  constructor(socket) {
    this.socket = socket;
    this.busy = false;
    this.scheduledAt = 0;
    this.buffer = null;
    this.need = -1; // bytes of the current answer once its head is read; -2 while a chunked body is still open
    this.headEnd = 0;
    this.status = 0;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.read(chunk));
    this.dead = false;
    socket.on('error', () => socketErrors++);
    socket.on('close', () => {
      // An idle connection the server closed (its keep-alive timeout) is no error: it is just not used again.
      // One closed with a request in flight loses that request: an error, and the run is not counted.
      if (!stopped && this.busy) socketErrors++;
      this.dead = true;
      this.busy = true;
    });
  }

  send(scheduledAt) {
    this.busy = true;
    this.scheduledAt = scheduledAt;
    this.socket.write(requestBytes(sent++));
  }

  read(chunk) {
    let buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.need === -1) {
        const end = buffer.indexOf(CRLF2);
        if (end === -1) break;
        this.status = (buffer[9] - 48) * 100 + (buffer[10] - 48) * 10 + (buffer[11] - 48);
        const head = buffer.toString('latin1', 0, end).toLowerCase();
        const length = head.indexOf('\r\ncontent-length:');
        this.headEnd = end;
        if (length !== -1) this.need = end + 4 + Number.parseInt(head.slice(length + 17), 10);
        else if (head.includes('\r\ntransfer-encoding: chunked')) this.need = -2;
        else this.need = end + 4;
      }
      if (this.need === -2) {
        const last = buffer.indexOf(CHUNKED_END, this.headEnd + 2);
        if (last === -1) break;
        this.need = last + CHUNKED_END.length;
      }
      if (buffer.length < this.need) break;
      const rest = buffer.length === this.need ? null : buffer.subarray(this.need);
      this.need = -1;
      this.answered();
      if (!rest) {
        buffer = null;
        break;
      }
      buffer = rest;
    }
    this.buffer = buffer;
  }

  answered() {
    const now = performance.now();
    statuses.set(this.status, (statuses.get(this.status) ?? 0) + 1);
    if (this.scheduledAt >= measureFrom && this.scheduledAt < start + totalMs) {
      record(now - this.scheduledAt);
      completedInWindow++;
    }
    this.busy = false;
    if (mode === 'closed') {
      if (now < start + totalMs) this.send(now);
    } else if (queueHead < queueTail) {
      this.send(queue[queueHead++]);
    } else {
      idle.push(this);
    }
  }
}

/**
 * Connections waiting for a request (open loop), taken oldest first: at a low rate every connection still carries
 * a request every few milliseconds, so none sits idle long enough for the server's keep-alive timeout to close it.
 */
const idle = [];

/** The longest-idle live connection, or undefined. */
function takeIdle() {
  while (idle.length) {
    const connection = idle.shift();
    if (!connection.dead) return connection;
  }
  return undefined;
}

function open() {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(new Connection(socket)));
    socket.once('error', reject);
  });
}

/** One turn of the open-loop scheduler: queue what became due, hand it to free connections, come back for the next. */
function tick() {
  const now = performance.now();
  const due = Math.min(total, Math.floor((now - start) * perMs) + 1);
  while (scheduled < due) {
    const at = start + scheduled / perMs;
    const late = now - at;
    if (late > lateMax) lateMax = late;
    if (late > 1) lateOverMs++;
    queue[queueTail++] = at;
    scheduled++;
  }
  for (let connection; queueHead < queueTail && (connection = takeIdle()); ) connection.send(queue[queueHead++]);
  if (scheduled >= total) return;
  // Spin through the event loop while the next request is near (answers are read between turns); sleep when it is
  // further off than a timer's granularity, so a low rate does not burn the core (nor get descheduled for it).
  const wait = start + scheduled / perMs - performance.now();
  if (wait > 2) setTimeout(tick, wait - 1.5);
  else setImmediate(tick);
}

function percentile(sorted, p) {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const pool = await Promise.all(Array.from({ length: connections }, open));
start = performance.now() + 20;
measureFrom = start + warmupSeconds * 1000;
if (mode === 'open') {
  idle.push(...pool);
  setImmediate(tick);
} else {
  setTimeout(() => {
    for (const connection of pool) connection.send(performance.now());
  }, 20);
}

// The end: every scheduled request answered, or the run over and a grace period (5 s) for late answers gone.
const finished = await new Promise((resolve) => {
  const check = setInterval(() => {
    const now = performance.now();
    const allAnswered =
      mode === 'open'
        ? scheduled === total && queueHead === queueTail && pool.every((c) => !c.busy || c.socket.destroyed)
        : now >= start + totalMs && pool.every((c) => !c.busy);
    if (allAnswered || now > start + totalMs + 5000) {
      clearInterval(check);
      resolve(allAnswered);
    }
  }, 20);
});
stopped = true;
for (const connection of pool) connection.socket.destroy();

const sorted = latencies.subarray(0, recorded).sort();
// Counted with the very expression that dates each request (start + i / rate) and the window test answers are
// counted by: arithmetic on the window's length instead (ceil of (measureFrom - start) × rate) is off by one
// whenever floating point puts a boundary request a hair inside or outside.
let scheduledInWindow = completedInWindow;
if (mode === 'open') {
  scheduledInWindow = 0;
  for (let i = 0; i < total; i++) {
    const at = start + i / perMs;
    if (at >= measureFrom && at < start + totalMs) scheduledInWindow++;
  }
}
console.log(
  JSON.stringify({
    mode,
    rate,
    connections,
    seconds,
    warmupSeconds,
    achievedRps: completedInWindow / seconds,
    scheduledInWindow,
    answeredInWindow: completedInWindow,
    unanswered: finished ? 0 : sent - [...statuses.values()].reduce((a, b) => a + b, 0) + (queueTail - queueHead),
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    maxMs: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    lateMaxMs: lateMax,
    latePerMille: total ? (lateOverMs / total) * 1000 : 0,
    statuses: Object.fromEntries(statuses),
    socketErrors,
  }),
);
process.exit(0);
