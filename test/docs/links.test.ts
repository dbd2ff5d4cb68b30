import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { anchorsOf, documentationFiles, fromRoot, linksOf, readDoc, ROOT } from './markdown';

const README_LIMIT_BYTES = 15 * 1024;

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** Why a relative link of `file` does not resolve, or undefined when it does. */
function brokenLink(file: string, target: string): string | undefined {
  const [path, anchor] = target.split('#', 2);
  const absolute = path === '' ? join(ROOT, file) : normalize(join(ROOT, dirname(file), decodeURI(path)));
  const relativePath = fromRoot(absolute);
  if (relativePath.startsWith('..')) return `${target} leaves the repository`;
  if (!existsSync(absolute)) {
    return `${target}: no such file`;
  }
  if (anchor === undefined || !relativePath.endsWith('.md') || statSync(absolute).isDirectory()) return undefined;
  return anchorsOf(readDoc(relativePath)).has(anchor) ? undefined : `${target}: no heading with this anchor`;
}

describe('the documentation', () => {
  it(`keeps README.md within ${README_LIMIT_BYTES} bytes`, () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it.each(documentationFiles())('%s: every relative link resolves to a file (and heading) here', (file) => {
    const links = linksOf(readDoc(file)).filter(({ target }) => !isExternal(target));
    const broken = links.flatMap(({ target, line }) => {
      const problem = brokenLink(file, target);
      return problem ? [`${file}:${line}: ${problem}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('has relative links to check at all', () => {
    const relative = documentationFiles().flatMap((file) =>
      linksOf(readDoc(file)).filter((l) => !isExternal(l.target)),
    );
    expect(relative.length).toBeGreaterThan(50);
  });
});
