/**
 * The typed client example (examples/client/): its types are what `npm run types` makes of the
 * committed openapi.yaml, it compiles, and it works against the live service, every response
 * of which is checked against the served OpenAPI document.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentClient, tour } from '../../examples/client/content-client.ts';
import { appFor, bundledContent } from '../helpers/app.ts';
import { Contract } from '../helpers/contract.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const bin = (name: string) => new URL(`node_modules/.bin/${name}`, root).pathname;

let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  app = await appFor(bundledContent);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

describe('examples/client', () => {
  it('has the types npm run types generates from openapi.yaml (run it when this fails)', async () => {
    await expect(run(bin('openapi-typescript'), ['openapi.yaml', '-o', 'examples/client/api.d.ts', '--check'], { cwd: root })).resolves.toBeDefined();
  });

  it('compiles with tsc', async () => {
    await expect(run(bin('tsc'), ['-p', 'examples/client/tsconfig.json'], { cwd: root })).resolves.toBeDefined();
  });

  it('lists pages, opens one, embeds its HTML and handles a missing page against the live service', async () => {
    const contract = await Contract.served((options) => app.inject(options));
    const client = contentClient(base);
    client.use({
      async onResponse({ request, response }) {
        const url = new URL(request.url);
        // fetch has already undone any Content-Encoding.
        const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-encoding'));
        contract.check({ method: request.method, url: url.pathname + url.search, status: response.status, headers, body: Buffer.from(await response.clone().arrayBuffer()) });
      },
    });
    expect(await tour(client)).toEqual([
      '5 pages, the first 2: contributors, index',
      expect.stringMatching(/^Contributors \(\/contributors\.html\): \d+ sections, /),
      expect.stringMatching(/^HTML fragment: \d+ characters$/),
      '404 Not Found: No page has the slug "no-such-page".',
    ]);
  });
});
