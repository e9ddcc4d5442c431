import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DiagnosticSchema } from '../../schemas/diagnostic.ts';
import { diagnosticCodes, isDiagnosticCode } from '../../schemas/diagnostic-codes.ts';

const root = new URL('../../', import.meta.url);
const codes = Object.keys(diagnosticCodes);

/** The sections of docs/reference/diagnostics.md, by the code in their `### \`code\`` heading. */
async function documentedCodes(): Promise<Map<string, string>> {
  const text = await readFile(new URL('docs/reference/diagnostics.md', root), 'utf8');
  const sections = new Map<string, string>();
  for (const [, code, body] of text.matchAll(/^### `([^`]+)`\n([\s\S]*?)(?=^#{1,3} |(?![\s\S]))/gm)) sections.set(code, body);
  return sections;
}

/** Code literals in src/: `code: '…'`, `ruleId = '…'`, and the first argument of Liquid's `problem('…'`. */
async function codesUsedInSource(): Promise<Map<string, string>> {
  const used = new Map<string, string>();
  const files = (await readdir(new URL('src/', root), { recursive: true })).filter((name) => name.endsWith('.ts'));
  for (const file of files) {
    const text = await readFile(new URL(`src/${file}`, root), 'utf8');
    for (const [, code] of text.matchAll(/(?:\bcode: |\bruleId = |\bproblem\()'([a-z][a-z0-9]*(?:-[a-z0-9]+)*)'/g))
      used.set(code, `src/${file}`);
  }
  return used;
}

describe('diagnostic code registry (schemas/diagnostic-codes.ts)', () => {
  it('documents every code in docs/reference/diagnostics.md with its severity, meaning and hint', async () => {
    const documented = await documentedCodes();
    for (const code of codes) {
      const section = documented.get(code);
      expect(section, `${code} has no "### \`${code}\`" section in docs/reference/diagnostics.md`).toBeDefined();
      const { severity } = diagnosticCodes[code as keyof typeof diagnosticCodes];
      expect(section, code).toContain(severity === 'either' ? '**error or warning**' : `**${severity}**`);
      expect(section, `${code}: its hint`).toMatch(/[_*]What to do:[_*] \S/);
    }
  });

  it('documents no code that is not in the registry', async () => {
    const stale = [...(await documentedCodes()).keys()].filter((code) => !isDiagnosticCode(code));
    expect(stale).toEqual([]);
  });

  it('registers every code literal used in src/', async () => {
    const unregistered = [...(await codesUsedInSource())].filter(([code]) => !isDiagnosticCode(code));
    expect(unregistered).toEqual([]);
  });

  it('gives every code a severity, a one-line meaning and a hint, and is stable kebab-case', () => {
    for (const [code, entry] of Object.entries(diagnosticCodes)) {
      expect(code).toMatch(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'either']).toContain(entry.severity);
      expect(entry.title.length, code).toBeGreaterThan(10);
      expect(entry.hint.length, code).toBeGreaterThan(5);
    }
  });

  it('is the enum of Diagnostic.code, so a problem with an unknown code does not pass the schema', () => {
    const problem = { code: 'invalid-type', severity: 'error', file: 'a.md', line: 1, column: 1, field: null, message: 'm', hint: 'h' };
    expect(DiagnosticSchema.safeParse(problem).success).toBe(true);
    expect(DiagnosticSchema.safeParse({ ...problem, code: 'no-such-code' }).success).toBe(false);
  });
});
