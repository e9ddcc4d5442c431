import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from './helpers/app.ts';

/** Each `$ curl …` line of the README with the response line shown under it. */
async function readmeExamples() {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const lines = readme.split('\n');
  const examples: { command: string; method: string; url: string; headers: Record<string, string>; expected: string }[] = [];
  lines.forEach((line, index) => {
    const match = /^\$ curl -s (?:-X ([A-Z]+) )?(?:-H '([^:]+): ([^']+)' )?'?http:\/\/localhost:3000([^' ]+)'?$/.exec(line);
    if (!match) return;
    const [, method = 'GET', header, value, url] = match;
    examples.push({ command: line, method, url, headers: header ? { [header.toLowerCase()]: value } : {}, expected: lines[index + 1] });
  });
  return examples;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('README examples', async () => {
  const examples = await readmeExamples();

  it('cover every route in the OpenAPI document', async () => {
    const paths = Object.keys((await app.inject('/openapi.json')).json().paths);
    const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/?]+')}(?:\\?|$)`);
    const uncovered = paths.filter((path) => !examples.some(({ url }) => pattern(path).test(url)));
    expect(uncovered).toEqual([]);
  });

  it.each(examples)('$command', async ({ method, url, headers, expected }) => {
    const response = await app.inject({ method: method as 'GET', url, headers });
    const prefix = expected.endsWith('…') ? expected.slice(0, -1) : expected;
    expect(response.body.startsWith(prefix), `${url} answered ${response.body.slice(0, 200)}`).toBe(true);
  });
});
