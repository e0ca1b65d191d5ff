// Runs inside the candidate's sandbox, which has a network namespace of its own: the only way
// out is a unix socket to the server's relay for this session's API server. This listens on
// the sandbox's loopback and forwards each connection there, so kubectl's plain
// `https://127.0.0.1:<port>` works (TLS stays end to end) and nothing else on the host is
// reachable. Usage: node api-relay-inside.mjs <port> <socket>
import { connect, createServer } from 'node:net';

const [port, socket] = process.argv.slice(2);
createServer((client) => {
  const upstream = connect(socket);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}).listen(Number(port), '127.0.0.1');
