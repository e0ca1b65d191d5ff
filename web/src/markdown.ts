/**
 * Task text is instructor-written markdown. It is rendered as markdown only: raw HTML in it is
 * shown as text, and links keep only http(s), mailto and relative targets.
 */
import { Marked } from 'marked';

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const text = this.parser.parseInline(tokens);
      if (!isSafeHref(href)) return text;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttr} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}

function isSafeHref(href: string): boolean {
  const trimmed = href.trim().toLowerCase();
  return /^(https?:|mailto:|#|\/(?!\/))/.test(trimmed) || !/^[a-z][a-z0-9+.-]*:/.test(trimmed);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
