import { type GraphQLSchema, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_DOCUMENTS } from '../../src/gitlab/graphql/documents.js';
import { gitlabSchema, PREMIUM_TYPES } from '../fakes/gitlabGraphqlSchema.js';

let schema: GraphQLSchema;
beforeAll(() => {
  schema = gitlabSchema();
}, 60_000);

describe("wgbot's GraphQL documents against GitLab's published schema", () => {
  it.each(Object.entries(ALL_DOCUMENTS))('%s is valid', (_name, document) => {
    const errors = validate(schema, parse(document)).map((e) => e.message);
    expect(errors).toEqual([]);
  });

  it('has the Premium widgets wgbot reads, taken from the Premium schema', () => {
    for (const name of PREMIUM_TYPES) expect(schema.getType(name)?.name).toBe(name);
    expect(schema.getType('Iteration')?.name).toBe('Iteration');
  });

  it('fails a document whose field GitLab renamed', () => {
    const renamed = ALL_DOCUMENTS.TREE_QUERY!.replace('reference(full: true)', 'fullReference');
    const errors = validate(schema, parse(renamed)).map((e) => e.message);
    expect(errors).toEqual([
      expect.stringContaining('Cannot query field "fullReference" on type "WorkItem"'),
    ]);
  });
});
