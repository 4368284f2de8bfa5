import { Anchor, Code, List, Text, Title, Typography } from '@mantine/core';
import type { ReactNode } from 'react';
import type { SnippetPart } from './types';

/**
 * Renders the help centre's Markdown subset (headings, paragraphs, lists, quotes, links, bold,
 * italic, code) as React elements — never as HTML, so nothing in an article can run. The server
 * renders the same subset for the public pages.
 */
export function Markdown({ source }: { source: string }) {
  return <Typography data-testid="knowledge-preview">{blocks(source)}</Typography>;
}

const safeHref = (url: string) => (/^(https?:|mailto:|tel:|\/|#)/i.test(url.trim()) ? url.trim() : undefined);

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|(?<![\w])_([^_\s][^_]*)_(?![\w])/g;
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const k = `${key}-${i++}`;
    if (m[1] !== undefined) out.push(<Code key={k}>{m[1]}</Code>);
    else if (m[2] !== undefined) {
      const href = safeHref(m[3]!);
      out.push(href ? <Anchor key={k} href={href} target="_blank" rel="noopener noreferrer nofollow">{inline(m[2], k)}</Anchor> : <span key={k}>{inline(m[2], k)}</span>);
    } else if (m[4] !== undefined || m[5] !== undefined) out.push(<strong key={k}>{inline((m[4] ?? m[5])!, k)}</strong>);
    else out.push(<em key={k}>{inline((m[6] ?? m[7])!, k)}</em>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function blocks(source: string): ReactNode[] {
  const out: ReactNode[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  let quote: string[] = [];
  const withBreaks = (lines: string[], key: string) => lines.flatMap((l, i) => (i ? [<br key={`${key}-br${i}`} />, ...inline(l, `${key}-${i}`)] : inline(l, `${key}-${i}`)));
  const flush = () => {
    const key = `b${out.length}`;
    if (paragraph.length) out.push(<Text key={key} component="p">{withBreaks(paragraph, key)}</Text>);
    if (list) {
      const current = list;
      out.push(
        <List key={`${key}l`} type={current.ordered ? 'ordered' : 'unordered'} withPadding>
          {current.items.map((item, i) => <List.Item key={i}>{inline(item, `${key}l${i}`)}</List.Item>)}
        </List>,
      );
    }
    if (quote.length) out.push(<blockquote key={`${key}q`}>{withBreaks(quote, `${key}q`)}</blockquote>);
    paragraph = [];
    list = null;
    quote = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const bullet = /^\s{0,3}[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s{0,3}\d+[.)]\s+(.*)$/.exec(line);
    const quoted = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (!line.trim()) flush();
    else if (heading) {
      flush();
      const order = Math.min(6, heading[1]!.length + 1) as 2 | 3 | 4 | 5 | 6;
      out.push(<Title key={`h${out.length}`} order={order}>{inline(heading[2]!, `h${out.length}`)}</Title>);
    } else if (bullet || numbered) {
      const ordered = !bullet;
      if (paragraph.length || quote.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (quoted) {
      if (paragraph.length || list) flush();
      quote.push(quoted[1]!);
    } else if (list && /^\s{2,}\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list || quote.length) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out;
}

/** A search snippet: matched words highlighted. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <Text size="sm" c="dimmed" data-testid="knowledge-snippet">
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </Text>
  );
}
