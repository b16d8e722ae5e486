/**
 * GitLab's GraphQL schema as the tests use it, built from the two published dumps kept in
 * test/fixtures/gitlab-graphql/ (see its README): GitLab 18.5's schema as a Free instance serves it, extended
 * with the types that only GitLab Premium/Ultimate serve (the health status, progress, iteration and weight
 * widgets, and whatever they reference) exactly as GitLab 16.3 EE's schema defines them. Nothing of it is
 * written by hand: the extension is computed from the two files.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  type DefinitionNode,
  type DocumentNode,
  type EnumTypeDefinitionNode,
  type EnumTypeExtensionNode,
  type GraphQLSchema,
  isEnumType,
  Kind,
  buildSchema,
  extendSchema,
  parse,
  visit,
} from 'graphql';

const FIXTURES = new URL('../fixtures/gitlab-graphql/', import.meta.url);
/** The widgets wgbot reads that GitLab Free's schema lacks. */
export const PREMIUM_TYPES = [
  'WorkItemWidgetHealthStatus',
  'WorkItemWidgetProgress',
  'WorkItemWidgetIteration',
  'WorkItemWidgetWeight',
];

function sdl(file: string): string {
  return gunzipSync(readFileSync(new URL(file, FIXTURES))).toString('utf8');
}

type TypeDefinition = Extract<DefinitionNode, { name: { value: string }; kind: `${string}TypeDefinition` }>;

function typeDefinitions(doc: DocumentNode): Map<string, TypeDefinition> {
  const out = new Map<string, TypeDefinition>();
  for (const def of doc.definitions)
    if ('name' in def && def.name && def.kind.endsWith('TypeDefinition'))
      out.set(def.name.value, def as TypeDefinition);
  return out;
}

/** The named types a definition mentions (field, argument, interface and member types). */
function referencedNames(def: DefinitionNode): string[] {
  const names: string[] = [];
  visit(def, {
    NamedType(node) {
      names.push(node.name.value);
    },
  });
  return names;
}

/** The Premium types (and what they need) missing from the Free schema, plus enum values it lacks. */
function premiumExtension(free: GraphQLSchema, premium: DocumentNode): DocumentNode {
  const defs = typeDefinitions(premium);
  const added = new Map<string, DefinitionNode>();
  const queue = [...PREMIUM_TYPES];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (added.has(name) || free.getType(name)) continue;
    const def = defs.get(name);
    if (!def) throw new Error(`GitLab's Premium schema has no type ${name}`);
    added.set(name, def);
    queue.push(...referencedNames(def));
  }
  const enumExtensions: EnumTypeExtensionNode[] = [];
  for (const [name, def] of defs) {
    const type = free.getType(name);
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || !isEnumType(type)) continue;
    const known = new Set(type.getValues().map((v) => v.name));
    const values = ((def as EnumTypeDefinitionNode).values ?? []).filter((v) => !known.has(v.name.value));
    if (values.length > 0) enumExtensions.push({ kind: Kind.ENUM_TYPE_EXTENSION, name: def.name, values });
  }
  return { kind: Kind.DOCUMENT, definitions: [...added.values(), ...enumExtensions] };
}

let cached: GraphQLSchema | null = null;

/** The schema (built once per process: the files are large). */
export function gitlabSchema(): GraphQLSchema {
  if (cached) return cached;
  const free = buildSchema(sdl('gitlab-18.5-free.graphql.gz'));
  const premium = parse(sdl('gitlab-16.3-ee.graphql.gz'));
  cached = extendSchema(free, premiumExtension(free, premium));
  return cached;
}
