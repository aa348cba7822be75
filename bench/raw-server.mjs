// The ceiling: raw node:http answering every request with one fixed answer (the mock's own status, headers and
// body), no routing, auth or validation. Usage: node bench/raw-server.mjs <port> '{"status":200,"headers":{},"body":"…"}' [builtin]
// node:http comes as most servers import it (an ES import), or with `builtin` as the mock loads it
// (process.getBuiltinModule, mock-server/src/node/http-module.ts): on Node ≥ 22 the ES import loads undici at start,
// some 40 ms that only the cold start sees (bench/start.ts measures against both).
const { createServer } =
  process.argv[4] === 'builtin' ? process.getBuiltinModule('node:http') : await import('node:http');

const port = Number(process.argv[2]);
const { status, headers, body = '' } = JSON.parse(process.argv[3]);
const head = { ...headers, 'content-length': Buffer.byteLength(body) };
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(status, head);
    res.end(body);
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0)); // a clean exit, so `node --cpu-prof` writes its profile
