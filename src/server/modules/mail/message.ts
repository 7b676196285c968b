/**
 * E-mail content, written once and rendered twice: as the plain-text part and as the HTML part of
 * the same message. A message is a subject and a few blocks (headings, paragraphs, lists); a
 * paragraph or list item is text and links. The HTML is simple, accessible markup (lang="en", a
 * <title>, the subject as the <h1>, <h2> headings, paragraphs, lists, real links with descriptive
 * text; no tables, no images) with every interpolated value escaped. In the text part a link reads
 * "its text: its address", so the address can be followed from any mail client.
 */

export interface Link {
  text: string;
  href: string;
}
export type Inline = string | Link;
export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; parts: Inline[] }
  | { type: 'list'; items: Inline[][] };

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export const link = (text: string, href: string): Link => ({ text, href });
export const heading = (text: string): Block => ({ type: 'heading', text });
export const paragraph = (...parts: Inline[]): Block => ({ type: 'paragraph', parts });
/** A bulleted list; each item is a string, a link, or an array of both. */
export const list = (...items: (Inline | Inline[])[]): Block => ({
  type: 'list',
  items: items.map((i) => (Array.isArray(i) ? i : [i])),
});

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Only web and mail links become <a href>; anything else (javascript:, data:) stays text. */
const safeHref = (href: string): boolean => /^(https?:|mailto:)/i.test(href.trim());

const inlineText = (parts: Inline[]): string =>
  parts.map((p) => (typeof p === 'string' ? p : `${p.text}: ${p.href}`)).join('');
const inlineHtml = (parts: Inline[]): string =>
  parts
    .map((p) =>
      typeof p === 'string'
        ? escapeHtml(p).replace(/\n/g, '<br>\n')
        : safeHref(p.href)
          ? `<a href="${escapeHtml(p.href.trim())}">${escapeHtml(p.text)}</a>`
          : escapeHtml(`${p.text}: ${p.href}`),
    )
    .join('');

export function renderText(blocks: Block[]): string {
  return `${blocks
    .map((b) =>
      b.type === 'heading'
        ? b.text
        : b.type === 'paragraph'
          ? inlineText(b.parts)
          : b.items.map((i) => `- ${inlineText(i)}`).join('\n'),
    )
    .join('\n\n')}\n`;
}

export function renderHtmlBlocks(blocks: Block[]): string {
  return blocks
    .map((b) =>
      b.type === 'heading'
        ? `<h2>${escapeHtml(b.text)}</h2>`
        : b.type === 'paragraph'
          ? `<p>${inlineHtml(b.parts)}</p>`
          : `<ul>\n${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('\n')}\n</ul>`,
    )
    .join('\n');
}

/** The end of the HTML document: footers are inserted just before it. */
export const HTML_END = '</body>\n</html>\n';

export function renderHtml(subject: string, blocks: Block[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(subject)}</h1>`,
    renderHtmlBlocks(blocks),
    HTML_END,
  ].join('\n');
}

/** Subject, text part and HTML part of one message, from one list of blocks. */
export function composeEmail(subject: string, blocks: Block[]): Rendered {
  return { subject, text: renderText(blocks), html: renderHtml(subject, blocks) };
}

/** Adds blocks at the end of both parts of a rendered message (e.g. the unsubscribe footer). */
export function appendBlocks(
  m: { text: string; html: string },
  blocks: Block[],
): { text: string; html: string } {
  const at = m.html.lastIndexOf(HTML_END);
  const html =
    at >= 0
      ? `${m.html.slice(0, at)}<hr>\n${renderHtmlBlocks(blocks)}\n${m.html.slice(at)}`
      : `${m.html}\n${renderHtmlBlocks(blocks)}`;
  return { text: `${m.text.replace(/\n*$/, '')}\n\n--\n${renderText(blocks)}`, html };
}

/**
 * The HTML part of a message written as plain text only: paragraphs at blank lines, line breaks
 * kept, and web addresses as links.
 */
export function htmlFromText(subject: string, text: string): string {
  const blocks: Block[] = text
    .trim()
    .split(/\n\s*\n/)
    .map((para) => {
      const parts: Inline[] = [];
      let last = 0;
      for (const m of para.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
        const start = m.index ?? 0;
        if (start > last) parts.push(para.slice(last, start));
        parts.push(link(m[0], m[0]));
        last = start + m[0].length;
      }
      if (last < para.length) parts.push(para.slice(last));
      return { type: 'paragraph' as const, parts };
    });
  return renderHtml(subject, blocks);
}
