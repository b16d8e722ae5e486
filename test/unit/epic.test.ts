import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/import/document.js';
import type { ParsedEpic } from '../../src/import/epic.js';
import { epicSeed } from '../helpers/seeds.js';

function epic(text: string): ParsedEpic {
  const parsed = parseDocument(text);
  if (parsed.kind !== 'epic') throw new Error(`expected an epic, got ${parsed.kind}`);
  return parsed.epic;
}

describe('the seed epic description', () => {
  const { items, warnings } = epic(epicSeed());

  it('has four open action items for sprints 20, 20, 21, 22 owned by Thor, Thor, Waldemar, Waldemar', () => {
    expect(items.map((i) => [i.sprintNumber, i.owners, i.done])).toEqual([
      [20, ['Thor'], false],
      [20, ['Thor'], false],
      [21, ['Waldemar'], false],
      [22, ['Waldemar'], false],
    ]);
    expect(warnings).toEqual([]);
  });

  it('links the first to story #2148 and keeps the free text', () => {
    expect(items[0]).toMatchObject({
      title: 'Workshop w. Roland',
      storyRef: '#2148',
      notes: 'story created: #2148',
      line: 25,
    });
    expect(items[1]).toMatchObject({
      title: 'SRE DevOps Assessment',
      storyRef: null,
      notes: 'Recommendations and tickets to our backlog.',
    });
  });

  it('keeps the lines that follow the last item as its remarks, not its title', () => {
    expect(items[3]!.title).toBe(
      'Integration testing should be part of a user story/ QA is part of a Scrum Team',
    );
    expect(items[3]!.notes).toMatch(/^Thor to create user stories and link them to this Epic/);
  });

  it('does not take the numbered recommendations for action items', () => {
    expect(items).toHaveLength(4);
  });
});

describe('task-line variants', () => {
  it('reads done items, several owners, handles, group/project#N references, links and due dates', () => {
    const { items } = epic(`
- [x] Sprint 3: Write the runbook (Ada Lovelace, Grace Hopper)
- [ ] **Sprint 4** – Load test [the API](https://gitlab.example.com/g/p/-/issues/12) (@bob) due 2026-12-01
- [ ] Fix flaky spec (Thor & Waldemar) see g/p#77
- [ ] Unowned thing without sprint
`);
    expect(items.map((i) => [i.title, i.done, i.sprintNumber, i.owners, i.storyRef, i.dueDate])).toEqual([
      ['Write the runbook', true, 3, ['Ada Lovelace', 'Grace Hopper'], null, null],
      ['Load test the API', false, 4, ['@bob'], null, '2026-12-01'],
      ['Fix flaky spec', false, null, ['Thor', 'Waldemar'], 'g/p#77', null],
      ['Unowned thing without sprint', false, null, [], null, null],
    ]);
    expect(items[1]!.url).toBe('https://gitlab.example.com/g/p/-/issues/12');
  });

  it('does not take a lower-case parenthesis for an owner', () => {
    const { items } = epic('- [ ] Sprint 5: Review (see doc) with the team (Thor)\n');
    expect(items[0]).toMatchObject({ title: 'Review (see doc) with the team', owners: ['Thor'] });
  });

  it('takes the parenthesis that ends the item for the owners, not a capitalised word before it', () => {
    const { items } = epic(
      [
        '- [ ] Sprint 21: Set up CI (GitLab) for the repo (Waldemar)',
        '- [ ] Sprint 21: Update DoD (Thor) - see the (Confluence) page',
        '- [ ] Sprint #23: Migrate runner (Ada) linked gitlab-org/gitlab#77',
      ].join('\n'),
    );
    expect(items.map((i) => [i.title, i.owners, i.sprintNumber, i.storyRef])).toEqual([
      ['Set up CI (GitLab) for the repo', ['Waldemar'], 21, null],
      ['Update DoD', ['Thor'], 21, null],
      ['Migrate runner', ['Ada'], 23, 'gitlab-org/gitlab#77'],
    ]);
  });

  it('gives repeated titles distinct keys so both are kept', () => {
    const { items } = epic('- [ ] Retro (Ada)\n- [ ] Retro (Bob)\n- [ ] retro  (Cy)\n');
    expect(items.map((i) => i.key)).toEqual(['retro', 'retro #2', 'retro #3']);
  });

  it('finds task lists nested in other lists', () => {
    const { items } = epic('1. Phase one\n   - [ ] Sprint 1: Nested item (Ada)\n2. Phase two\n');
    expect(items.map((i) => [i.title, i.sprintNumber, i.line])).toEqual([['Nested item', 1, 2]]);
  });

  it('warns about a due date it cannot read and keeps the item', () => {
    const { items, warnings } = epic('- [ ] Ship it (Ada) due Smarch 3rd\n');
    expect(items[0]).toMatchObject({ title: 'Ship it', dueDate: null });
    expect(warnings[0]?.message).toContain("cannot read the due date 'Smarch 3rd'");
  });

  it('takes the title from the heading when there is one', () => {
    expect(epic('# DevOps CI/CD\n\n- [ ] a (Ada)\n').title).toBe('DevOps CI/CD');
  });
});
