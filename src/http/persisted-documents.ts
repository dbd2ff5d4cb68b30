import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { gatewayError } from '../graphql/errors';
import { sha256Hex, type PersistedQueryManifest } from '../contracts/manifest';

/** The GraphQL-over-HTTP parameters this step reads and rewrites. */
interface RequestParameters {
  query?: unknown;
  extensions?: unknown;
}

type Rewrite = { query: unknown; extensions: Record<string, unknown> | undefined } | GraphQLError | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a request becomes once its `extensions.persistedQuery` is resolved: the manifest
 * body for an id alone, the query itself when both are sent and agree. Nothing is ever
 * registered: only what the manifest lists runs by id. `undefined`: nothing to resolve.
 */
function resolvePersisted(parameters: RequestParameters, bodies: ReadonlyMap<string, string>): Rewrite {
  if (!isRecord(parameters.extensions) || parameters.extensions.persistedQuery === undefined) return undefined;
  const { persistedQuery, ...others } = parameters.extensions;
  const extensions = Object.keys(others).length ? others : undefined;
  if (!isRecord(persistedQuery) || persistedQuery.version !== 1 || typeof persistedQuery.sha256Hash !== 'string') {
    return gatewayError('PERSISTED_QUERY_INVALID', 'send extensions.persistedQuery as { version: 1, sha256Hash }');
  }
  const id = persistedQuery.sha256Hash.toLowerCase();
  if (parameters.query !== undefined) {
    if (typeof parameters.query === 'string' && sha256Hex(parameters.query) === id) {
      return { query: parameters.query, extensions };
    }
    return gatewayError('PERSISTED_QUERY_INVALID', 'the sha256Hash is not the hash of the query sent with it');
  }
  const body = bodies.get(id);
  if (body === undefined) {
    return gatewayError(
      'PERSISTED_QUERY_NOT_FOUND',
      'no operation with this id in the manifest (contracts/manifest.json)',
    );
  }
  return { query: body, extensions };
}

/** A GET request's parameters live in its URL; Apollo reads them from there. */
function rewriteUrl(url: string, query: string, extensions: Record<string, unknown> | undefined): string {
  const parsed = new URL(url, 'http://gateway');
  parsed.searchParams.set('query', query);
  if (extensions) parsed.searchParams.set('extensions', JSON.stringify(extensions));
  else parsed.searchParams.delete('extensions');
  return `${parsed.pathname}${parsed.search}`;
}

function getParameters(url: string): RequestParameters {
  const search = new URL(url, 'http://gateway').searchParams;
  try {
    return { query: search.get('query') ?? undefined, extensions: JSON.parse(search.get('extensions') ?? 'null') };
  } catch {
    // Not JSON: Apollo answers it as the bad request it is.
    return {};
  }
}

/**
 * Trusted documents: a client may send only `extensions.persistedQuery.sha256Hash`, the
 * id of an operation in contracts/manifest.json, in place of its text, whatever its role.
 * Apollo's own automatic persisted queries are off (a cache any client could fill), so the
 * ids are resolved here, before Apollo, and an unknown id is PERSISTED_QUERY_NOT_FOUND.
 */
export function persistedDocuments(manifest: PersistedQueryManifest): RequestHandler {
  const bodies = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  return (req, res, next) => {
    const isGet = req.method === 'GET';
    const parameters: unknown = isGet ? getParameters(req.url) : req.body;
    if (!isRecord(parameters)) return next();
    const rewrite = resolvePersisted(parameters, bodies);
    if (rewrite === undefined) return next();
    if (rewrite instanceof GraphQLError) {
      const { code, http } = rewrite.extensions as { code: string; http?: { status: number } };
      res.setHeader('cache-control', 'private, no-cache, must-revalidate');
      res.status(http?.status ?? 200).json({
        errors: [{ message: rewrite.message, extensions: { code, requestId: res.locals.requestId } }],
      });
      return;
    }
    if (isGet) req.url = rewriteUrl(req.url, rewrite.query as string, rewrite.extensions);
    else {
      // Apollo refuses an `extensions` key without an object, so none is left when nothing else was in it.
      const { extensions: _resolved, ...rest } = parameters;
      req.body = { ...rest, query: rewrite.query, ...(rewrite.extensions ? { extensions: rewrite.extensions } : {}) };
    }
    next();
  };
}
