import { z } from 'zod';
import type { GitlabClient, GitlabClientOptions } from '../client.js';
import type { createGitlabRequester } from '../http.js';
import { parseShape } from '../schemas.js';

const GraphqlBody = z.object({
  data: z.unknown().optional(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        path: z.array(z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional()
    .default([]),
});

/**
 * `POST /api/graphql` through the REST requester (same retries, Retry-After, rate window, bounds and
 * counters); an answer that is not GitLab's `{data, errors}` object is a shape error.
 */
export function graphqlCall(
  options: GitlabClientOptions,
  send: ReturnType<typeof createGitlabRequester>['send'],
): NonNullable<GitlabClient['graphql']> {
  const prefixUrl = `${options.url.replace(/\/+$/, '')}/api`;
  return async (query, variables, how) => {
    // A read that must not look like a write (the probe) goes as GET, which GitLab serves for queries.
    const answer = await send(
      'graphql',
      how?.get
        ? {
            method: 'GET',
            prefixUrl,
            headers: { 'private-token': options.token },
            searchParams: new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString(),
          }
        : {
            method: 'POST',
            prefixUrl,
            headers: { 'private-token': options.token, 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
          },
    );
    const body = parseShape(GraphqlBody, answer.body, 'a GraphQL query');
    return { data: body.data ?? null, errors: body.errors };
  };
}
