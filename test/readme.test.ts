import { readdir, readFile } from 'node:fs/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from './helpers/app.ts';

const root = new URL('../', import.meta.url);

/** README.md and every markdown file under docs/: the documents whose examples are run. */
async function documents(): Promise<{ name: string; text: string }[]> {
  const docs = (await readdir(new URL('docs/', root), { recursive: true })).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(
    ['README.md', ...docs.map((name) => `docs/${name}`)].map(async (name) => ({ name, text: await readFile(new URL(name, root), 'utf8') })),
  );
}

/** Each `$ curl …` line of the README and the docs with the response line shown under it. */
async function readmeExamples() {
  const examples: { command: string; method: string; url: string; headers: Record<string, string>; expected: string; streamed: boolean }[] =
    [];
  for (const { name, text } of await documents()) {
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      // `curl -sN` (no buffering): a response that stays open, such as Server-Sent Events.
      const match = /^\$ curl -s(N?) (?:-X ([A-Z]+) )?(?:-H '([^:]+): ([^']+)' )?'?http:\/\/localhost:3000([^' ]+)'?$/.exec(line);
      if (!match) return;
      const [, noBuffer, method = 'GET', header, value, url] = match;
      examples.push({
        command: `${name}: ${line}`,
        method,
        url,
        headers: header ? { [header.toLowerCase()]: value } : {},
        expected: lines[index + 1],
        streamed: noBuffer === 'N',
      });
    });
  }
  return examples;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('README and docs/ examples', async () => {
  const examples = await readmeExamples();

  it('cover every route in the OpenAPI document', async () => {
    const paths = Object.keys((await app.inject('/openapi.json')).json().paths);
    const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/?]+')}(?:\\?|$)`);
    const uncovered = paths.filter((path) => !examples.some(({ url }) => pattern(path).test(url)));
    expect(uncovered).toEqual([]);
  });

  it.each(examples)('$command', async ({ method, url, headers, expected, streamed }) => {
    const prefix = expected.endsWith('…') ? expected.slice(0, -1) : expected;
    const body = streamed
      ? await streamStart(url, headers, prefix.length)
      : (await app.inject({ method: method as 'GET', url, headers })).body;
    expect(body.startsWith(prefix), `${url} answered ${body.slice(0, 200)}`).toBe(true);
  });
});

/**
 * The start of a response that does not end (a `curl -sN` example: Server-Sent Events): read
 * until it holds `length` characters; the app ends the stream when it closes.
 */
async function streamStart(url: string, headers: Record<string, string>, length: number): Promise<string> {
  const response = await new Promise<LightMyRequestResponse>((resolve, reject) =>
    app.inject({ url, headers, payloadAsStream: true }, (error, result) => (error ? reject(error) : resolve(result!))),
  );
  let text = '';
  for await (const chunk of response.stream()) {
    text += String(chunk);
    if (text.length >= length) break;
  }
  return text;
}

/** A default as the environment variable is written: true as 1, a list comma-separated. */
function asEnvironmentValue(value: unknown): string {
  if (value === true) return '1';
  return Array.isArray(value) ? value.join(',') : String(value);
}

describe('configuration table (docs/reference/configuration.md)', () => {
  it('lists every variable of the config schema with its default', async () => {
    const { ConfigSchema } = await import('../schemas/config.ts');
    const readme = await readFile(new URL('docs/reference/configuration.md', root), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| `([A-Z_]+)` +\| ([^|]+) \|/gm)].map(([, name, value]) => [name, value.trim()]));
    const defaults = ConfigSchema.parse({}) as Record<string, unknown>;
    for (const name of Object.keys(ConfigSchema.shape)) {
      expect(rows.has(name), `${name} is not in docs/reference/configuration.md`).toBe(true);
      const documented = rows.get(name)!;
      if (defaults[name] === undefined) expect(documented, name).toBe('(none)');
      else expect(documented, name).toBe(`\`${asEnvironmentValue(defaults[name])}\``);
    }
  });
});

describe('dependencies table (README.md)', () => {
  it('gives the reason for every dependency, and for every patch of one, which is applied as installed', async () => {
    const readme = await readFile(new URL('README.md', root), 'utf8');
    const table = readme.slice(readme.indexOf('## Dependencies and why'));
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map((line) => line.split('|').slice(1, 3).join('|'));
    const named = (name: string) =>
      rows.some((cell) =>
        cell
          .split('|')[0]
          .split(/[\s,]+/)
          .includes(name),
      );
    const manifest = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies)) expect(named(name), name).toBe(true);
    const patches = (await readdir(new URL('patches/', root))).filter((file) => file.endsWith('.patch'));
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      const [, name, version] = /^(.+)\+([^+]+)\.patch$/.exec(patch)!;
      expect(
        rows.some((row) => row.includes(`${name} ${version}`)),
        patch,
      ).toBe(true);
      const installed = JSON.parse(await readFile(new URL(`node_modules/${name}/package.json`, root), 'utf8')) as { version: string };
      expect(installed.version, patch).toBe(version);
      // Every line the patch adds is in the installed file (postinstall ran it).
      let file = '';
      for (const line of (await readFile(new URL(`patches/${patch}`, root), 'utf8')).split('\n')) {
        if (line.startsWith('+++ b/')) file = await readFile(new URL(line.slice('+++ b/'.length), root), 'utf8');
        else if (line.startsWith('+') && line.trim() !== '+') expect(file, `${patch}: ${line}`).toContain(line.slice(1));
      }
    }
  });
});

describe('performance claims (README.md)', () => {
  /** The cells of a BENCHMARKS.md table row, by the start of its first cell. */
  const row = (benchmarks: string, label: string) =>
    benchmarks
      .split('\n')
      .find((line) => line.startsWith(`| ${label} |`))
      ?.split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()) ?? [];
  const ratio = (a: string, b: string) => `${(Number(a) / Number(b)).toFixed(1)}×`;

  it('quote the figures BENCHMARKS.md holds, as the benchmarks wrote them', async () => {
    const [readme, benchmarks] = await Promise.all(['README.md', 'BENCHMARKS.md'].map((name) => readFile(new URL(name, root), 'utf8')));
    const performance = readme.slice(readme.indexOf('## Performance'), readme.indexOf('## Documentation'));
    // Ingest: each time, its ratio to Hugo and Hugo's own time; the save and the memory.
    const cold = row(benchmarks, 'cold start until /v1/pages lists every page');
    const rendered = row(benchmarks, 'cold start until every page is rendered (/ready: the first version served)');
    const warm = row(benchmarks, 'warm start after a clean SIGTERM (nothing changed: the saved snapshot, resumed)');
    const loadedWarm = row(benchmarks, 'warm start after one page was touched while stopped (loaded from the render cache)');
    const save = row(benchmarks, 'atomic save until the new title is served (median of 5)');
    const rss = row(benchmarks, 'RSS of the process tree, 15 s after the cold start listed every page');
    const later = row(benchmarks, 'RSS of the process tree, 120 s after the cold start (five saves since)');
    const built = row(benchmarks, benchmarks.match(/^\| (`npm run build:cache` \(load[^|]*) \|/m)?.[1] ?? 'npm run build:cache');
    const deployed = row(benchmarks, "start from the folder `npm run build:cache` wrote (a deploy's first start)");
    const afterCut = row(
      benchmarks,
      benchmarks.match(/^\| (warm start after a first start was stopped [^|]*) \|/m)?.[1] ?? 'warm start after a first start was stopped',
    );
    for (const cell of [
      cold[1],
      cold[2],
      cold[3],
      rendered[1],
      rendered[3],
      warm[1],
      warm[3],
      loadedWarm[1],
      loadedWarm[3],
      built[1],
      deployed[1],
      deployed[3],
      afterCut[1],
      afterCut[3],
      save[1],
      rss[1],
      later[1],
    ]) {
      expect(cell, 'a figure of the ingest table').toBeTruthy();
      expect(performance).toContain(cell.replace(/×$/, ''));
    }
    // The render's floor: each row's CPU a page, its time over the cores and its ratio to Hugo.
    for (const label of ["remark's parse alone", "the service's render of a page"]) {
      const floor =
        benchmarks
          .split('\n')
          .find((line) => line.startsWith(`| ${label}`))
          ?.split('|')
          .slice(2, 5)
          .map((cell) => cell.trim()) ?? [];
      expect(floor, `the floor row "${label}"`).toHaveLength(3);
      for (const cell of floor) expect(performance).toContain(cell.replace(/×$/, ''));
    }
    // The same render measured on one worker thread a core: what the cores add up to, a page, the pages and the ratio to Hugo.
    const measured =
      benchmarks
        .split('\n')
        .find((line) => line.startsWith('| one thread a core'))
        ?.split('|')
        .slice(1, 5)
        .map((cell) => cell.trim()) ?? [];
    expect(measured, 'the measured floor row').toHaveLength(4);
    const coresGive = /\((\d+\.\d+)× one thread's rate\)/.exec(measured[0])?.[1];
    expect(coresGive, 'what the cores give, in the measured floor row').toBeTruthy();
    for (const cell of [`${coresGive}× one thread's rate`, ...measured.slice(1)]) expect(performance).toContain(cell.replace(/×$/, ''));
    for (const owner of ['micromark, micromark-* (tokenizing markdown)', 'mdast-util-from-markdown']) {
      const share = row(benchmarks, owner)[1];
      expect(share, `the profile row "${owner}"`).toMatch(/^\d+\.\d%$/);
      expect(performance).toContain(share);
    }
    // HTTP: page JSON and gzip against the bare server (requests and CPU), nginx against the service.
    const json = row(benchmarks, 'page JSON');
    const gzip = row(benchmarks, 'page JSON, gzip');
    const revalidation = row(benchmarks, '304 revalidation');
    const cpu = benchmarks.slice(benchmarks.indexOf('CPU per request'));
    expect(performance).toContain(`page JSON at ${json[3]}`);
    expect(performance).toContain(`(${row(cpu, 'page JSON')[3]} by CPU per request)`);
    expect(performance).toContain(`gzip at\n  ${gzip[3]} (${row(cpu, 'page JSON, gzip')[3]} by CPU)`);
    expect(performance).toContain(`page JSON at\n  ${ratio(json[5], json[1])} the service's rate`);
    expect(performance).toContain(`revalidations (304) at ${ratio(revalidation[5], revalidation[1])}`);
  });

  it('in the deployment guide are the nginx figures BENCHMARKS.md holds', async () => {
    const [guide, benchmarks] = await Promise.all(
      ['docs/guides/deployment.md', 'BENCHMARKS.md'].map((name) => readFile(new URL(name, root), 'utf8')),
    );
    const [, , rss, pss] = row(benchmarks, 'nginx serving the export');
    const json = row(benchmarks, 'page JSON');
    expect(rss, 'the memory table’s nginx row').toMatch(/^\d+ MB$/);
    const text = guide.replace(/\s+/g, ' ');
    expect(text).toContain(`nginx serving it held ${rss} resident over its master and two workers (${pss} proportional`);
    expect(text).toContain(`nginx answered page JSON at ${ratio(json[5], json[1])} a replica's rate`);
  });

  it('in the deployment guide are the figures of a start from npm run build:cache that BENCHMARKS.md holds', async () => {
    const [guide, benchmarks] = await Promise.all(
      ['docs/guides/deployment.md', 'BENCHMARKS.md'].map((name) => readFile(new URL(name, root), 'utf8')),
    );
    const [label, buildTime] = row(
      benchmarks,
      benchmarks.match(/^\| (`npm run build:cache` \(load[^|]*) \|/m)?.[1] ?? 'npm run build:cache',
    );
    const rendered = row(benchmarks, 'cold start until every page is rendered (/ready: the first version served)');
    const deployed = row(benchmarks, "start from the folder `npm run build:cache` wrote (a deploy's first start)");
    const written = /(\d+ MB) written/.exec(label ?? '')?.[1];
    expect(written, 'the size the build wrote').toBeTruthy();
    const text = guide.replace(/\s+/g, ' ');
    expect(text).toContain(`once every page is rendered (${rendered[1]} at 10,000 seed-sized pages`);
    expect(text).toContain(`${rendered[3]} Hugo's build of the same pages`);
    expect(text).toContain(`the build took ${buildTime} and wrote ${written}`);
    expect(text).toContain(`listed every page after ${deployed[1]} (${deployed[3]} Hugo)`);
  });

  it('in the delivery guide are the page JSON and gzip figures BENCHMARKS.md holds', async () => {
    const [guide, benchmarks] = await Promise.all(
      ['docs/guides/delivery.md', 'BENCHMARKS.md'].map((name) => readFile(new URL(name, root), 'utf8')),
    );
    const cpu = benchmarks.slice(benchmarks.indexOf('CPU per request'));
    const figures = [
      row(benchmarks, 'page JSON')[3],
      row(cpu, 'page JSON')[3],
      row(benchmarks, 'page JSON, gzip')[3],
      row(cpu, 'page JSON, gzip')[3],
    ];
    for (const figure of figures) expect(figure, 'a figure of the HTTP tables').toMatch(/^\d\.\d\d×$/);
    expect(guide.replace(/\s+/g, ' ')).toContain(
      `page JSON at ${figures[0]} its rate, ${figures[1]} by CPU per request, and gzip at ${figures[2]}, ${figures[3]} by CPU`,
    );
  });
});
