import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readDoc, ROOT } from './markdown';

/**
 * docs/roles-and-purposes.md shows the policy's tables as `npm run matrix` prints them.
 * When a rule changes and the pasted copy does not, the doc would tell integrators
 * something the gateway no longer does.
 */
describe('docs/roles-and-purposes.md', () => {
  it('holds exactly what npm run matrix prints', () => {
    const printed = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'src/cli/matrix.ts'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const pasted = /<!-- npm run matrix: begin -->\n([\s\S]*?)<!-- npm run matrix: end -->/.exec(
      readDoc('docs/roles-and-purposes.md'),
    );
    expect(pasted).not.toBeNull();
    expect(pasted?.[1]).toEqual(printed);
  });
});
