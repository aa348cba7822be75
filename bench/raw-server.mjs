// The ceiling: raw node:http answering every request with one fixed answer (the mock's own status, headers and
// body), no routing, auth or validation. Usage: node bench/raw-server.mjs <port> '{"status":200,"headers":{},"body":"…"}'
import { createServer } from 'node:http';

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
