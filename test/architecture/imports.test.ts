import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * No import cycles in src. A cycle makes the load order decide what a module sees (a
 * class still undefined when a decorator or `extends` reads it), and it is how a low
 * module comes to depend on the whole gateway: the entities once reached the request
 * context through the module of their `@purpose` decorator.
 *
 * Type-only imports (`import type …`, `import { type A }`) count too. The compiler erases
 * them, so they cannot break the load order, but they are still dependencies: the circle
 * this test was written against (entities → `@purpose` decorator → request context →
 * loaders → stores → entities) closed only through `import type { GatewayContext }`.
 * Imports of packages are not followed.
 */

const ROOT = join(__dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

// `import … from '…'`, `export … from '…'` (clauses may span lines) and the bare `import '…'`.
const IMPORT = /^\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((path) => existsSync(path));
}

/** Each file and the files under src it imports. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const [, from, bare] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolveImport(file, from ?? bare);
      if (target?.startsWith(SRC)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * One cycle per strongly connected component of the graph (listing every elementary
 * cycle would bury the point): the shortest one through the component's first file.
 */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    lowlink.set(node, counter);
    counter += 1;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowlink.set(node, Math.min(lowlink.get(node)!, lowlink.get(next)!));
      } else if (stack.includes(next)) {
        lowlink.set(node, Math.min(lowlink.get(node)!, index.get(next)!));
      }
    }
    if (lowlink.get(node) !== index.get(node)) return;
    const component = stack.splice(stack.indexOf(node));
    if (component.length > 1 || graph.get(node)?.includes(node)) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);

  return components.map((component) => {
    const start = component[0];
    const previous = new Map<string, string>();
    const queue = [start];
    for (const node of queue) {
      for (const next of graph.get(node) ?? []) {
        if (next === start) {
          const cycle = [node];
          while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0])!);
          return cycle;
        }
        if (component.includes(next) && !previous.has(next)) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    throw new Error(`no cycle through ${start}`);
  });
}

const shown = (cycle: readonly string[]) => [...cycle, cycle[0]].map((file) => relative(ROOT, file)).join(' -> ');

describe('imports under src', () => {
  test('form no cycle', () => {
    expect(cycles(importGraph(sourceFiles(SRC))).map(shown)).toEqual([]);
  });

  test('the policy imports nothing outside its own folder, not even a package', () => {
    // A pure module: facts in, decision out. Reading a package or another folder is how
    // I/O, GraphQL or the clock would creep into the decisions.
    const policy = join(SRC, 'policy');
    const outside = sourceFiles(policy).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map(([, from, bare]) => from ?? bare)
        .filter((specifier) => !specifier.startsWith('.') || !resolve(dirname(file), specifier).startsWith(policy))
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  test('the domain folders import neither the GraphQL edge nor the HTTP edge', () => {
    // Entities, stores and operations are what the gateway is about; how it is asked
    // (GraphQL) and served (HTTP) sits at the edges and may change without touching them.
    const edges = ['graphql', 'http'].map((folder) => join(SRC, folder));
    // Commands and the integrator tooling they run build on the whole gateway, edges included.
    const TOOLING = ['cli', 'contracts'].map((folder) => join(SRC, folder));
    const domain = readdirSync(SRC)
      .map((name) => join(SRC, name))
      .filter((path) => statSync(path).isDirectory() && !edges.includes(path) && !TOOLING.includes(path));
    const crossings = [...importGraph(domain.flatMap(sourceFiles))].flatMap(([file, targets]) =>
      targets
        .filter((target) => edges.some((edge) => target.startsWith(`${edge}/`)))
        .map((target) => `${relative(ROOT, file)} imports ${relative(ROOT, target)}`),
    );
    expect(crossings).toEqual([]);
  });

  test('the check finds a cycle and shows how it closes', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => join(SRC, `${name}.ts`));
    const graph = new Map([
      [a, [b]],
      [b, [c, d]],
      [c, [a]],
      [d, [d]],
    ]);
    expect(cycles(graph).map(shown).sort()).toEqual([
      'src/a.ts -> src/b.ts -> src/c.ts -> src/a.ts',
      'src/d.ts -> src/d.ts',
    ]);
  });

  test('the check reads imports of every form', () => {
    const graph = importGraph([join(SRC, 'customers/customer.entity.ts'), join(SRC, 'policy/index.ts')]);
    expect(graph.get(join(SRC, 'customers/customer.entity.ts'))).toContain(join(SRC, 'policy/index.ts'));
    expect(graph.get(join(SRC, 'policy/index.ts'))).toEqual(
      ['decide', 'rules', 'vocabulary'].map((name) => join(SRC, `policy/${name}.ts`)),
    );
  });
});
