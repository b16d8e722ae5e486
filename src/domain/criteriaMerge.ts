import type { Criterion } from './types.js';

function titleKey(title: string): string {
  return title.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Lays a freshly imported criteria tree over the stored one so a re-import updates in place: each new
 * node takes the id (and the GitLab link's and hand-set figures) of the stored sibling with the same title,
 * else of the stored sibling at the same position. Stored nodes nobody takes are dropped by the caller.
 */
export function mergeCriteria(stored: Criterion[], imported: Criterion[]): Criterion[] {
  const taken = new Set<Criterion>();
  const byTitle = new Map<string, Criterion>();
  for (const c of stored) if (!byTitle.has(titleKey(c.title))) byTitle.set(titleKey(c.title), c);

  const matches = imported.map((node) => {
    const same = byTitle.get(titleKey(node.title));
    if (same && !taken.has(same)) {
      taken.add(same);
      return same;
    }
    return undefined;
  });
  imported.forEach((_, i) => {
    const atPosition = stored[i];
    if (
      matches[i] === undefined &&
      atPosition &&
      !taken.has(atPosition) &&
      !imported.some((n) => titleKey(n.title) === titleKey(atPosition.title))
    ) {
      taken.add(atPosition);
      matches[i] = atPosition;
    }
  });

  return imported.map((node, i) => {
    const match = matches[i];
    if (!match) return { ...node, children: mergeCriteria([], node.children) };
    return {
      ...node,
      id: match.id,
      gitlabPercent: match.gitlabPercent,
      manualPercent: match.manualPercent,
      weight: node.weight ?? match.weight,
      children: mergeCriteria(match.children, node.children),
    };
  });
}
