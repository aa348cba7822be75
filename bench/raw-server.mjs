// The ceiling: raw node:http answering one fixed JSON body, no routing, auth or validation.
import { createServer } from 'node:http';

const [port, status, body] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const length = Buffer.byteLength(body);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
