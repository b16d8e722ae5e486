import type { Store } from '../src/store/store.js';

/** Fills a store with `groups` working groups; the first (`big`) gets `criteria` criteria and `items` items. */
export function populate(
  store: Store,
  options: { groups: number; bigCriteria: number; bigItems: number; channelPrefix?: string },
): string {
  const now = new Date('2026-11-23T09:00:00Z');
  store.transaction(() => {
    const people = Array.from({ length: 50 }, (_, i) =>
      store.people.findOrCreate(`Person ${i}`, now, `person${i}`),
    );
    for (const [i, p] of people.entries()) {
      store.people.linkSlackUser(p.id, `U${String(i).padStart(8, '0')}`, 'Europe/Berlin', now);
    }
    for (let g = 0; g < options.groups; g += 1) {
      const big = g === 0;
      const slug = big ? 'big-group' : `group-${g}`;
      const group = store.groups.insert(
        slug,
        {
          name: big ? 'Big Working Group' : `Working Group ${g}`,
          targetEndDate: '2027-03-31',
          channel: `#wg-${g}`,
          slackChannelId: `${options.channelPrefix ?? 'C'}${String(g).padStart(8, '0')}`,
          sourceKind: 'cli',
          cadence: { lengthDays: 14, anchorNumber: 20, anchorDate: '2026-11-02' },
        },
        now,
      );
      const criteriaCount = big ? options.bigCriteria : 4;
      store.criteria.save(
        group.id,
        'exit',
        Array.from({ length: criteriaCount }, (_, c) => ({
          id: null,
          section: 'exit' as const,
          title: `Criterion ${c + 1} of ${slug}: make the thing measurably better`,
          url: `https://gitlab.example.com/g/p/-/issues/${c + 1}`,
          gitlabPercent: null,
          handbookPercent: (c * 17) % 101,
          manualPercent: null,
          weight: null,
          sourceLine: null,
          owner: null,
          children: [],
        })),
      );
      store.roles.replace(group.id, 'cli', [
        {
          personId: people[g % 50]!.id,
          role: 'Facilitator',
          kind: 'facilitator',
          title: null,
          source: 'cli',
        },
        { personId: people[(g + 1) % 50]!.id, role: 'Member', kind: 'member', title: null, source: 'cli' },
      ]);
      const itemCount = big ? options.bigItems : 10;
      for (let i = 0; i < itemCount; i += 1) {
        const owner = people[(g + i) % 50]!;
        store.items.upsert(
          group.id,
          {
            source: 'gitlab_issue',
            sourceKey: `issue:${g}-${i}`,
            title: `Action item ${i + 1}: ${'do the next useful thing '.repeat(2)}`,
            notes: null,
            state: i % 3 === 0 ? 'done' : 'open',
            sprint: { number: 20 + (i % 3), title: `Sprint ${20 + (i % 3)}`, source: 'text' },
            owners: [owner.name],
            ownerPersonIds: [owner.id],
            dueDate: i % 5 === 0 ? '2026-11-10' : null,
            url: `https://gitlab.example.com/g/p/-/issues/${1000 + i}`,
            storyRef: `g/p#${1000 + i}`,
            confidential: i % 50 === 7,
            weight: null,
            labels: [],
            externalId: `issue:${g}-${i}`,
            externalUpdatedAt: now.toISOString(),
            closedAt: null,
            position: i,
            sourceLine: null,
          },
          now,
        );
      }
    }
  });
  return 'big-group';
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function fmt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}
