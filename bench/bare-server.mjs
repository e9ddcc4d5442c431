// The baseline of `npm run bench`: bare node:http answering each scenario with the exact bytes
// and headers the service answered it with (read from the file named by argv[2]), no framework.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const responses = new Map(
  JSON.parse(readFileSync(process.argv[2], 'utf8')).map(({ path, status, headers, body }) => [
    path,
    { status, headers, body: Buffer.from(body, 'base64') },
  ]),
);
const server = createServer((request, reply) => {
  const response = responses.get(request.url);
  if (!response) {
    reply.writeHead(404).end();
    return;
  }
  // A 304 has no body and, as the service sends it, no Content-Length.
  if (response.status === 304) reply.writeHead(304, response.headers).end();
  else reply.writeHead(response.status, { ...response.headers, 'content-length': response.body.length }).end(response.body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
