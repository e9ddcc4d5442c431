import { describe, expect, it } from 'vitest';
import { renderPageBody as render } from '../helpers/markdown.ts';

describe('embeds (rehypeEmbeds)', () => {
  it('keeps a YouTube player, sandboxed, lazy and with a referrer policy set by us', async () => {
    const { html, problems } = await render(
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" sandbox="allow-top-navigation" frameborder="0" allowfullscreen></iframe>',
    );
    expect(html).toContain('src="https://www.youtube.com/embed/abc"');
    expect(html).toContain('sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"');
    expect(html).toContain('loading="lazy"');
    expect(html).toContain('referrerpolicy="strict-origin-when-cross-origin"');
    expect(html).toContain('width="560"');
    expect(problems).toEqual([]);
  });

  it('keeps youtube-nocookie and Vimeo players by default', async () => {
    const { html } = await render(
      '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n\n<iframe src="https://player.vimeo.com/video/1"></iframe>',
    );
    expect(html.match(/<iframe/g)).toHaveLength(2);
  });

  it('drops an iframe from another host and reports it as embed-removed at its file line', async () => {
    const { html, problems } = await render('Intro\n\n<iframe src="https://www.mentimeter.com/app/presentation/x/embed"></iframe>');
    expect(html).not.toContain('<iframe');
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'embed-removed',
        severity: 'warning',
        line: 12,
        message: expect.stringContaining('www.mentimeter.com is not an allowed embed host'),
        hint: expect.stringContaining('EMBED_HOSTS'),
      }),
    ]);
  });

  it('keeps an iframe from a host added with EMBED_HOSTS, and its subdomains', async () => {
    const { html, problems } = await render('<iframe src="https://www.mentimeter.com/app/x/embed"></iframe>', {
      embedHosts: ['mentimeter.com'],
    });
    expect(html).toContain('<iframe src="https://www.mentimeter.com/app/x/embed"');
    expect(problems).toEqual([]);
  });

  it('drops a plain-http or relative iframe even from an allowed host', async () => {
    const { html, problems } = await render(
      '<iframe src="http://www.youtube.com/embed/abc"></iframe>\n<iframe src="/local.html"></iframe>',
    );
    expect(html).not.toContain('<iframe');
    expect(problems.map((problem) => problem.code)).toEqual(['embed-removed', 'embed-removed']);
  });
});
