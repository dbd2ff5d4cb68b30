import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { anchorsOf, readDoc, ROOT } from './markdown';

/**
 * Code comments cite the design: a promise as `(design: P5)` or `(design: P5, P6)`, a
 * section as `docs/design.md#the-model`. Each must resolve inside the repository, so a
 * reader can follow it; the design file outside the repository that older comments cited
 * is gone.
 */

function typeScriptFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = `${folder}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return path === 'test/docs' ? [] : typeScriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The text of a file's comments (`// …` and `/* … *\/`), with the line each starts on. */
function commentsOf(source: string): { line: number; text: string }[] {
  return [...source.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].map((match) => ({
    line: source.slice(0, match.index).split('\n').length,
    text: match[0],
  }));
}

const comments = ['src', 'test'].flatMap(typeScriptFiles).flatMap((file) =>
  commentsOf(readFileSync(join(ROOT, file), 'utf8')).map((comment) => ({
    ...comment,
    where: `${file}:${comment.line}`,
  })),
);
const designAnchors = anchorsOf(readDoc('docs/design.md'));

describe('design citations in code comments', () => {
  it('finds comments that cite the design', () => {
    expect(comments.filter(({ text }) => text.includes('design: P')).length).toBeGreaterThan(15);
  });

  it('cite promises only as (design: Pn), each with its heading in docs/design.md', () => {
    const problems = comments.flatMap(({ text, where }) => {
      const loose = text.replace(/design: P[1-9](?:, P[1-9])*/g, '').match(/\bP[1-9]\b/g) ?? [];
      const cited = [...text.matchAll(/design: (P[1-9](?:, P[1-9])*)/g)].flatMap(([, list]) => list.split(', '));
      const unanchored = cited.filter(
        (p) => ![...designAnchors].some((anchor) => anchor.startsWith(`${p.toLowerCase()}-`)),
      );
      return [
        ...loose.map((p) => `${where}: ${p} is not cited as (design: ${p})`),
        ...unanchored.map((p) => `${where}: docs/design.md has no heading for ${p}`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('point only at docs inside the repository, at headings that exist', () => {
    const problems = comments.flatMap(({ text, where }) => {
      const outside = /DESIGN §|DESIGN\.md|shared\//.test(text)
        ? [`${where}: cites a file outside the repository`]
        : [];
      const links = [...text.matchAll(/\b(docs\/[\w-]+\.md)(?:#([\w-]+))?/g)];
      const broken = links.flatMap(([reference, path, anchor]) => {
        if (!existsSync(join(ROOT, path))) return [`${where}: ${path} does not exist`];
        return anchor && !anchorsOf(readDoc(path)).has(anchor) ? [`${where}: ${reference} has no such heading`] : [];
      });
      return [...outside, ...broken];
    });
    expect(problems).toEqual([]);
  });
});
