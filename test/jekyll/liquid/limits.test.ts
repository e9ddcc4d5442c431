import { describe, expect, it } from 'vitest';
import { contentLimits } from '../../../src/content/limits.ts';
import { createJekyllLiquid } from '../../../src/jekyll/liquid.ts';

const site = { title: 'pyOpenSci' };

describe('Liquid limits', () => {
  // Six includes of itself on each level: 6^10 renders within the depth cap.
  const includes = new Map([
    ['bomb.html', 'x{% include bomb.html %}'.repeat(6)],
    ['wrapper.html', '<div>{% include bomb.html %}</div>'],
    ['huge.html', `{% comment %}${'x'.repeat(contentLimits.liquid.parseLimit)}{% endcomment %}`],
    ['item.html', '<li>{{ include.n }}</li>'],
  ]);
  const render = (body: string) => createJekyllLiquid({ site, includes }).render(body, { page: {}, file: 'page.md' });

  it('stops a loop over a huge range with one liquid-limit error, and drops the Liquid output', async () => {
    const result = await render('# Title\n\nbefore\n{% for i in (1..100000000) %}{% endfor %}\nafter {{ site.title }}');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'liquid-limit', severity: 'error', line: 4, column: 1 })]);
    expect(result.warnings[0].message).toMatch(/contentLimits\.liquid\.memoryLimit/);
    expect(result.text).toBe('# Title\n\nbefore\n\nafter ');
  });

  it('stops nested loops of a billion iterations at the time or allocation limit, whichever comes first', async () => {
    const result = await render(
      '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}',
    );
    expect(result.warnings.map((warning) => warning.code)).toEqual(['liquid-limit']);
    expect(result.warnings[0].message).toMatch(/contentLimits\.liquid\.(renderLimitMs|memoryLimit)/);
  });

  it('stops an include that includes itself at the include cap, pointing at the include in the body', async () => {
    const result = await render('intro\n\n{% include wrapper.html %}\n');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'liquid-limit', severity: 'error', line: 3, column: 1 })]);
    expect(result.warnings[0].message).toMatch(/contentLimits\.liquid\.maxIncludeRenders/);
    expect(result.text).toBe('intro\n\n\n');
  });

  it('stops output past the byte cap, captured text included', async () => {
    // 4 KB per iteration: the cap is passed in about a thousand turns, well inside the time limit on a busy machine.
    const written = await render(`{% for i in (1..100000) %}{{ "${'0123456789'.repeat(400)}" }}{% endfor %}`);
    expect(written.warnings.map((warning) => warning.message)).toEqual([expect.stringMatching(/contentLimits\.liquid\.maxOutputBytes/)]);
    const doubling =
      '{% capture a %}0123456789{% endcapture %}' + '{% capture a %}{{ a }}{{ a }}{% endcapture %}'.repeat(40) + '{{ a | size }}';
    const captured = await render(doubling);
    expect(captured.warnings.map((warning) => warning.code)).toEqual(['liquid-limit']);
    // Tags removed, text between them kept, as for any page Liquid cannot render.
    expect(captured.text).toBe('0123456789');
  });

  it('refuses an include file longer than the parse limit', async () => {
    const result = await render('{% include huge.html %}');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'liquid-limit', line: 1, column: 1 })]);
    expect(result.warnings[0].message).toMatch(/contentLimits\.liquid\.parseLimit/);
  });

  it('keeps repairing ordinary syntax errors and renders loops and includes of normal size', async () => {
    const body = '{% for i in (1..500) %}{% include item.html n=i %}{% endfor %}\n{% bogus %}\n{{ site.title }}';
    const result = await render(body);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['liquid-unknown-tag']);
    expect(result.text).toContain('<li>500</li>');
    expect(result.text.endsWith('\n\npyOpenSci')).toBe(true);
  });
});
