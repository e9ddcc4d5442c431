/**
 * `npx tsx bench/nesting.ts`: why bodies nested past `contentLimits.maxStructureDepth` are refused.
 * Times remark-parse (micromark + mdast), and the whole page renderer, on each kind of nesting
 * just under the cap and at 3,000 levels, next to `findExcessiveNesting` on the 3,000-level input.
 * Each run is a fresh child process (so times include a cold start of the parser's code) with a
 * deadline, since a deep input may take very long or overflow the stack.
 */
import { fork } from 'node:child_process';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { contentLimits } from '../src/content/limits.ts';
import { createMarkdownRenderer } from '../src/markdown/render.ts';
import { findExcessiveNesting } from '../src/markdown/structure-depth.ts';

const DEADLINE_MS = 20_000;
const DEPTHS = [contentLimits.maxStructureDepth - 1, 3000];

/** One body per kind of nesting, `depth` levels deep. */
const KINDS: Record<string, (depth: number) => string> = {
  'list (* * *)': (depth) => `${'* '.repeat(depth)}deep\n`,
  'list (1. 1.)': (depth) => `${'1. '.repeat(depth)}deep\n`,
  'list (indented)': (depth) => Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}- item`).join('\n'),
  'blockquote (> > >)': (depth) => `${'> '.repeat(depth)}deep\n`,
  'blockquote (>>>)': (depth) => `${'>'.repeat(depth)}deep\n`,
  'html (<div>)': (depth) => `${'<div>\n'.repeat(depth)}deep\n`,
  'emphasis (*a **b)': (depth) => `${Array.from({ length: depth }, (_, level) => `${'*'.repeat((level % 3) + 1)}a`).join(' ')}\n`,
  'emphasis (run)': (depth) => `text ${'*'.repeat(depth)}x\n`,
  'link ([[[)': (depth) => `${'['.repeat(depth)}a${']'.repeat(depth)}\n`,
};

if (process.argv[2] === '--child') {
  const [, , , stage, kind, depth] = process.argv;
  const body = KINDS[kind](Number(depth));
  const parser = unified().use(remarkParse);
  const renderPage = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }) });
  const started = performance.now();
  try {
    if (stage === 'parse') parser.parse(body);
    else await renderPage({ body, bodyLine: 1, page: { file: 'deep.md', permalink: '/deep/' } });
    process.send!({ ms: performance.now() - started });
  } catch (error) {
    process.send!({ ms: performance.now() - started, error: (error as Error).message.slice(0, 60) });
  }
} else {
  console.log(`Time per body, deadline ${DEADLINE_MS / 1000} s: remark-parse, whole render; pre-scan of the 3,000-level body\n`);
  const columns = DEPTHS.flatMap((depth) => [`parse @${depth}`, `render @${depth}`]);
  console.log(`${'kind'.padEnd(22)}${columns.map((column) => column.padStart(20)).join('')}${'pre-scan @3000'.padStart(18)}`);
  for (const [kind, build] of Object.entries(KINDS)) {
    const cells: string[] = [];
    for (const depth of DEPTHS) {
      cells.push(await runInChild('parse', kind, depth), await runInChild('render', kind, depth));
    }
    const body = build(3000);
    const started = performance.now();
    const found = findExcessiveNesting(body, contentLimits.maxStructureDepth);
    const scan = `${(performance.now() - started).toFixed(2)} ms${found ? '' : ' (missed!)'}`;
    console.log(`${kind.padEnd(22)}${cells.map((cell) => cell.padStart(20)).join('')}${scan.padStart(18)}`);
  }
}

function runInChild(stage: 'parse' | 'render', kind: string, depth: number): Promise<string> {
  return new Promise((resolve) => {
    const child = fork(new URL(import.meta.url).pathname, ['--child', stage, kind, String(depth)], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill();
      resolve(`> ${DEADLINE_MS / 1000} s`);
    }, DEADLINE_MS);
    child.once('message', (result: { ms: number; error?: string }) => {
      clearTimeout(timer);
      const failure = result.error?.includes('call stack') ? 'stack overflow' : 'threw';
      resolve(result.error ? `${failure} at ${result.ms.toFixed(0)} ms` : `${result.ms.toFixed(1)} ms`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? 'exited' : `crashed (exit ${code})`);
    });
  });
}
