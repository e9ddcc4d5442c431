// The baseline of `npm run bench`: bare node:http answering one scenario with the exact bytes and
// headers the service answered it with (argv[2], a JSON file of status, headers and base64 body),
// no framework, its header object built once, as a lean server would. One process per scenario,
// as the acceptance check's bare server: against one process that answered all eight scenarios,
// the bench read the service's page JSON at 1.12-1.14x, where the check read about 0.93x;
// against one started fresh for each scenario, 0.96x in the same bench. (Our guess, not proven: differently shaped
// header objects make node:http's inline caches polymorphic, and it costs more a request.)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const { status, headers, body } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bytes = Buffer.from(body, 'base64');
// A 304 has no body and, as the service sends it, no Content-Length.
const head = status === 304 ? { ...headers } : { ...headers, 'content-length': bytes.length };
const payload = status === 304 ? undefined : bytes;
const server = createServer((request, reply) => {
  reply.writeHead(status, head).end(payload);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
