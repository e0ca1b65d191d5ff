import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders task markdown', () => {
    const html = renderMarkdown('Deployment `web` must run **3** replicas.\n\n1. one\n2. two');
    expect(html).toContain('<code>web</code>');
    expect(html).toContain('<strong>3</strong>');
    expect(html).toContain('<ol>');
  });

  it('shows raw HTML as text instead of passing it through', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nInline <img src=x onerror=alert(1)> here');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&#60;script&#62;');
  });

  it('drops links with a script scheme but keeps their text', () => {
    expect(renderMarkdown('[docs](javascript:alert(1))')).not.toContain('href');
    expect(renderMarkdown('[docs](https://kubernetes.io/docs/)')).toContain('href="https://kubernetes.io/docs/"');
  });
});
