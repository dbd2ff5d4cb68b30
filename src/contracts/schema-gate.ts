import { CriticalityLevel, diff } from '@graphql-inspector/core';
import {
  buildSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  print,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';

/** What the gate found in one schema file, and whether CHANGELOG.md answers for it. */
export interface Finding {
  file: string;
  /** BREAKING: breaks existing clients. PRIVACY: changes who may read personal data, or where it can be reached. */
  kind: 'BREAKING' | 'PRIVACY';
  /** The schema coordinate the changelog entry must name, e.g. Customer.email. */
  coordinate: string;
  message: string;
}

type Fields = Map<string, GraphQLField<unknown, unknown>>;

function fieldsOf(schema: GraphQLSchema): Fields {
  const fields: Fields = new Map();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) fields.set(`${type.name}.${field.name}`, field);
  }
  return fields;
}

/** The field's `@purpose(allow: …)` list as written, or undefined when it has none. */
function purposeOf(field: GraphQLField<unknown, unknown>): string | undefined {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'purpose');
  const allow = directive?.arguments?.find((argument) => argument.name.value === 'allow');
  return allow ? print(allow.value) : undefined;
}

/** Types holding personal data: a field with @purpose, or a field leading to such a type. */
function personalTypes(fields: Fields): Set<string> {
  const personal = new Set<string>();
  for (const [coordinate, field] of fields) if (purposeOf(field)) personal.add(coordinate.split('.')[0]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [coordinate, field] of fields) {
      const owner = coordinate.split('.')[0];
      if (!personal.has(owner) && personal.has(getNamedType(field.type).name)) {
        personal.add(owner);
        grew = true;
      }
    }
  }
  return personal;
}

/**
 * Privacy changes between two versions of a schema: a `@purpose` allow-list changed (or
 * dropped), a new protected field, and a new reach (a new field that leads to personal data).
 */
export function privacyChanges(file: string, before: GraphQLSchema, after: GraphQLSchema): Finding[] {
  const old = fieldsOf(before);
  const now = fieldsOf(after);
  const personal = personalTypes(now);
  const findings: Finding[] = [];
  const privacy = (coordinate: string, message: string) =>
    findings.push({ file, kind: 'PRIVACY', coordinate, message: `${coordinate}: ${message}` });
  for (const [coordinate, field] of now) {
    const allow = purposeOf(field);
    const previous = old.get(coordinate);
    if (previous === undefined) {
      if (allow) privacy(coordinate, `new protected field, @purpose(allow: ${allow})`);
      else if (personal.has(getNamedType(field.type).name)) {
        privacy(coordinate, `new reach: a new way to ${getNamedType(field.type).name}, which holds personal data`);
      }
    } else if (purposeOf(previous) !== allow) {
      privacy(coordinate, `@purpose allow-list changed from ${purposeOf(previous) ?? 'none'} to ${allow ?? 'none'}`);
    }
  }
  return findings;
}

/** Breaking changes (graphql-inspector's criticality), each with the coordinate it is at. */
export async function breakingChanges(file: string, before: GraphQLSchema, after: GraphQLSchema): Promise<Finding[]> {
  const changes = await diff(before, after);
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => ({ file, kind: 'BREAKING', coordinate: change.path ?? change.message, message: change.message }));
}

export async function compareSchemaFiles(file: string, before: string, after: string): Promise<Finding[]> {
  const [old, now] = [buildSchema(before), buildSchema(after)];
  return [...(await breakingChanges(file, old, now)), ...privacyChanges(file, old, now)];
}

/** The text under `## [Unreleased]` (or `## Unreleased`), up to the next release heading. */
export function unreleasedSection(changelog: string): string {
  const start = changelog.search(/^## \[?Unreleased\]?\s*$/im);
  if (start < 0) return '';
  const rest = changelog.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The `### Privacy` part of a section: privacy changes are listed apart from the rest. */
function privacyPart(section: string): string {
  const start = section.search(/^### Privacy\s*$/im);
  if (start < 0) return '';
  const rest = section.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^### /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The findings CHANGELOG.md does not answer for: a breaking change needs its coordinate
 * named under Unreleased, a privacy change under Unreleased's own `### Privacy` heading.
 */
export function unanswered(findings: readonly Finding[], changelog: string): Finding[] {
  const unreleased = unreleasedSection(changelog);
  const privacy = privacyPart(unreleased);
  const names = (text: string, coordinate: string) =>
    new RegExp(`(^|[^\\w.])${coordinate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`, 'm').test(text);
  return findings.filter((finding) => !names(finding.kind === 'PRIVACY' ? privacy : unreleased, finding.coordinate));
}

/**
 * Operations a client may have pinned by id: an id of the old manifest that the new one
 * no longer lists (the operation removed, or its text changed) breaks such a client.
 */
export function removedOperations(file: string, before: string, after: string): Finding[] {
  type Listed = { operations: { id: string; name: string }[] };
  const now = new Set((JSON.parse(after) as Listed).operations.map((operation) => operation.id));
  return (JSON.parse(before) as Listed).operations
    .filter((operation) => !now.has(operation.id))
    .map((operation) => ({
      file,
      kind: 'BREAKING',
      coordinate: operation.name,
      message: `operation ${operation.name} (id ${operation.id.slice(0, 12)}…) is no longer in the manifest: clients sending its id get PERSISTED_QUERY_NOT_FOUND`,
    }));
}
