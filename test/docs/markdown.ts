import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root folder. */
export const ROOT = join(__dirname, '../..');

/** README.md and every docs/*.md, as paths relative to the root. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs.sort()];
}

export function readDoc(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export interface FencedBlock {
  language: string;
  body: string;
  /** 1-based lines of the opening and the closing fence. */
  line: number;
  endLine: number;
  /** The HTML comment on the nearest non-blank line above the fence, without `<!--` and `-->`. */
  comment?: string;
}

/** Every fenced code block of a Markdown text, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const comment = commentAbove(lines, start);
    blocks.push({ language: open[1], body: body.join('\n'), line: start + 1, endLine: i + 1, comment });
  }
  return blocks;
}

function commentAbove(lines: string[], fence: number): string | undefined {
  let i = fence - 1;
  while (i >= 0 && lines[i].trim() === '') i--;
  const match = i >= 0 ? /^<!--(.*)-->\s*$/.exec(lines[i].trim()) : null;
  return match ? match[1].trim() : undefined;
}

/** Markdown text outside fenced code blocks (links and headings inside code are not links and headings). */
export function proseOf(markdown: string): string {
  // Each block becomes as many empty lines, so that line numbers still match the file.
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, (block) => block.replace(/[^\n]/g, ''));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings, numbered as GitHub numbers repeated ones. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of proseOf(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = slugOf(heading);
    const times = seen.get(slug) ?? 0;
    anchors.add(times === 0 ? slug : `${slug}-${times}`);
    seen.set(slug, times + 1);
  }
  return anchors;
}

export interface Link {
  target: string;
  line: number;
}

/** The targets of inline links `[text](target)` outside code. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  proseOf(markdown)
    .split('\n')
    .forEach((text, index) => {
      for (const [, target] of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        links.push({ target, line: index + 1 });
      }
    });
  return links;
}

/** A path relative to the root, for messages. */
export function fromRoot(absolute: string): string {
  return relative(ROOT, absolute);
}
