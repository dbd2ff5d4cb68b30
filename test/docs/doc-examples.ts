import { documentationFiles, fencedBlocks, readDoc, type FencedBlock } from './markdown';

/**
 * A runnable example in the documentation. It is a ```graphql block, or a ```bash block
 * holding one curl with `-d '<JSON body>'`, right under a comment such as
 *
 *   <!-- example: {"as": "CARRIER ghn", "purpose": "SHIPPING", "variables": {"id": "{{customer lan.nguyen@example.vn}}"}} -->
 *
 * `as` names the demo token `npm start` prints ("SUPPORT_AGENT", "CARRIER ghn"), or
 * "nobody" for a request without Authorization. `purpose` is sent as X-Purpose,
 * `variables` with the query (`{{customer <email>}}` and `{{order <code>}}` become the
 * ids of the demo shop's rows), `status` is the HTTP status expected (200 by default).
 * Variables the reader should see go in the next block instead: a ```json block under
 * `<!-- variables -->`, with nothing but prose between. A ```json block right below the
 * example, or below its variables (nothing but blank lines between), is the response the
 * doc claims; without one the example must answer without errors.
 */
export interface DocExample {
  file: string;
  line: number;
  as: string;
  purpose?: string;
  status: number;
  /** Absent when the example sends only a persisted id (in `extensions`). */
  query?: string;
  variables?: Record<string, unknown>;
  /** A curl example's `extensions`, such as `persistedQuery`, sent as they are. */
  extensions?: Record<string, unknown>;
  /** The response as the doc shows it, where "…" stands for any value (see `mismatches`). */
  claimed?: unknown;
}

interface Marker {
  as: string;
  purpose?: string;
  variables?: Record<string, unknown>;
  status?: number;
}

const MARKER = /^example:\s*(\{.*\})$/;

function requestOf(
  block: FencedBlock,
  where: string,
): { query?: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> } {
  if (block.language === 'graphql') return { query: block.body };
  const body = /-d '([^']*)'/.exec(block.body);
  if (block.language !== 'bash' || !body) throw new Error(`${where}: an example is a graphql block or a curl -d '…'`);
  return JSON.parse(body[1]);
}

function purposeHeaderOf(block: FencedBlock): string | undefined {
  return /-H '[Xx]-[Pp]urpose: ([A-Z_]+)'/.exec(block.body)?.[1];
}

/** The example's visible variables block, if the next block is one. */
function variablesBlock(blocks: FencedBlock[], index: number): FencedBlock | undefined {
  const next = blocks[index + 1];
  return next?.comment === 'variables' && next.language === 'json' ? next : undefined;
}

/** The response claimed right below `blocks[index]`, the example or its variables. */
function claimedResponse(blocks: FencedBlock[], index: number, markdown: string[]): unknown {
  const block = blocks[index];
  const next = blocks[index + 1];
  if (!next || next.language !== 'json') return undefined;
  const between = markdown.slice(block.endLine, next.line - 1);
  return between.every((line) => line.trim() === '') ? JSON.parse(next.body) : undefined;
}

export function examplesOf(file: string): DocExample[] {
  const text = readDoc(file);
  const lines = text.split('\n');
  const blocks = fencedBlocks(text);
  return blocks.flatMap((block, index): DocExample[] => {
    const marker = block.comment ? MARKER.exec(block.comment) : null;
    if (!marker) return [];
    const where = `${file}:${block.line}`;
    const options = JSON.parse(marker[1]) as Marker;
    const request = requestOf(block, where);
    const visible = variablesBlock(blocks, index);
    return [
      {
        file,
        line: block.line,
        as: options.as,
        purpose: options.purpose ?? purposeHeaderOf(block),
        status: options.status ?? 200,
        query: request.query,
        extensions: request.extensions,
        variables: visible ? JSON.parse(visible.body) : (options.variables ?? request.variables),
        claimed: claimedResponse(blocks, visible ? index + 1 : index, lines),
      },
    ];
  });
}

export function allExamples(): DocExample[] {
  return documentationFiles().flatMap(examplesOf);
}

/**
 * "…" in a claimed response: any value here (ids, times, tokens), or, last in a list, any
 * further items. A longer string ending in "…" stands for any string that starts with it.
 */
export const ANY = '…';

/**
 * Where `actual` differs from what the doc claims: objects must have every claimed key
 * (more are fine), lists the claimed items in order and no others unless the claim ends
 * with "…", strings ending in "…" the same start, and everything else the same value.
 */
export function mismatches(claimed: unknown, actual: unknown, path = '$'): string[] {
  if (claimed === ANY) return [];
  if (Array.isArray(claimed)) {
    if (!Array.isArray(actual)) return [`${path}: a list is claimed, got ${JSON.stringify(actual)}`];
    const open = claimed[claimed.length - 1] === ANY;
    const items = open ? claimed.slice(0, -1) : claimed;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return [`${path}: ${items.length}${open ? ' or more' : ''} items claimed, got ${actual.length}`];
    }
    return items.flatMap((item, i) => mismatches(item, actual[i], `${path}[${i}]`));
  }
  if (claimed !== null && typeof claimed === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: an object is claimed, got ${actual}`];
    return Object.entries(claimed).flatMap(([key, value]) =>
      mismatches(value, (actual as Record<string, unknown>)[key], `${path}.${key}`),
    );
  }
  if (typeof claimed === 'string' && claimed.endsWith(ANY) && typeof actual === 'string') {
    if (actual.startsWith(claimed.slice(0, -ANY.length))) return [];
  }
  return claimed === actual ? [] : [`${path}: ${JSON.stringify(claimed)} claimed, got ${JSON.stringify(actual)}`];
}
