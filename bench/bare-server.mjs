// The baseline of `npm run bench`: bare node:http answering each scenario with the exact bytes
// and headers the service answered it with (read from the file named by argv[2]), no framework.
// Each answer's header object is built once, as a lean server would, so the baseline costs no more
// than node:http itself.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const responses = new Map(
  JSON.parse(readFileSync(process.argv[2], 'utf8')).map(({ path, status, headers, body }) => {
    const bytes = Buffer.from(body, 'base64');
    // A 304 has no body and, as the service sends it, no Content-Length.
    const head = status === 304 ? { ...headers } : { ...headers, 'content-length': bytes.length };
    return [path, { status, head, body: status === 304 ? undefined : bytes }];
  }),
);
const server = createServer((request, reply) => {
  const response = responses.get(request.url);
  if (!response) {
    reply.writeHead(404).end();
    return;
  }
  reply.writeHead(response.status, response.head).end(response.body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
