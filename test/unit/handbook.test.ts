import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/import/document.js';
import { ImportError } from '../../src/import/errors.js';
import type { ParsedCriterion, ParsedWorkingGroup } from '../../src/import/handbook.js';
import { handbookSeed } from '../helpers/seeds.js';

function page(text: string): ParsedWorkingGroup {
  const parsed = parseDocument(text);
  if (parsed.kind !== 'working-group') throw new Error(`expected a working-group page, got ${parsed.kind}`);
  return parsed.group;
}

function importError(text: string): ImportError {
  try {
    parseDocument(text);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

const summary = (criteria: ParsedCriterion[]): unknown[] =>
  criteria.map((c) =>
    c.children.length > 0 ? [c.title, c.percent, summary(c.children)] : [c.title, c.percent],
  );

const ROLES = `
## Roles and Responsibilities

| Working Group Role | Person | Title |
|---|---|---|
| Facilitator | Ada Lovelace | Engineering Manager |
`;

describe('the seed handbook page', () => {
  const group = page(handbookSeed());

  it('reads the title, description and attributes table', () => {
    expect(group).toMatchObject({
      slug: 'improve-ops-quality',
      name: 'Improve Ops Quality',
      description: expect.stringContaining('critical test gaps'),
      createdDate: '2021-03-03',
      targetEndDate: '2021-07-07',
      channel: '#wg_improve-ops-quality',
      docUrl: expect.stringContaining('docs.google.com'),
      taskBoardUrl: 'https://gitlab.com/groups/gitlab-org/-/boards/2448760',
      businessGoal: expect.stringMatching(/^Mitigate future incidents/),
    });
  });

  it('reads six exit criteria at 100%, nested items under their parent', () => {
    expect(group.exitCriteria).toHaveLength(6);
    expect(group.exitCriteria.map((c) => c.percent)).toEqual([100, 100, 100, 100, 100, 100]);
    expect(group.exitCriteria[0]!.children.map((c) => [c.title, c.percent, c.url])).toEqual([
      ['Review package incidents review', null, 'https://gitlab.com/gitlab-org/gitlab/-/issues/323340'],
      [
        'Pipeline Execution/Runner incidents review',
        null,
        'https://gitlab.com/gitlab-org/gitlab/-/issues/324364',
      ],
      ['Runner executable E2E environment', null, 'https://gitlab.com/gitlab-org/ci-cd/tests/runner-incept'],
    ]);
    expect(group.exitCriteria[3]).toMatchObject({
      title: 'Set up load testing environment for PE',
      url: 'https://gitlab.com/gitlab-org/quality/team-tasks/-/issues/832',
      line: 34,
    });
    expect(group.exitCriteria[5]!.children.map((c) => c.percent)).toEqual([100, 100, 100, 100]);
    expect(group.exitCriteria[5]!.children[0]!.title).toBe('Create risk map for PE, Runner, and Package');
  });

  it('reads the entry criteria and the planned follow-ups', () => {
    expect(summary(group.entryCriteria)).toEqual([['Identify high-risk product groups.', null]]);
    expect(group.followUps).toHaveLength(5);
    expect(group.followUps[0]).toEqual({
      title: 'Runner staging environment',
      url: 'https://gitlab.com/gitlab-org/gitlab-runner/-/issues/27684',
    });
  });

  it('reads 16 people in roles with the right kinds', () => {
    expect(group.roles).toHaveLength(16);
    expect(group.roles[0]).toMatchObject({
      role: 'Executive Sponsor',
      kind: 'executive_sponsor',
      name: 'Mek Stittri',
      title: 'VP of Quality',
    });
    expect(group.roles[1]).toMatchObject({ role: 'Facilitator', kind: 'facilitator', name: 'Joanna Shih' });
    const counts: Record<string, number> = {};
    for (const r of group.roles) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    expect(counts).toEqual({
      executive_sponsor: 1,
      facilitator: 1,
      functional_lead: 3,
      stakeholder: 2,
      member: 9,
    });
    expect(group.warnings).toEqual([]);
  });
});

describe('page variants', () => {
  it('keeps exit criteria under sub-headings of the exit criteria section', () => {
    const group = page(`# Phased WG

## Exit Criteria

### Phase 1

1. Inventory the services => 100%

### Phase 2

- Migrate the runners => 40%

## Notes

- Not a criterion
${ROLES}`);
    expect(summary(group.exitCriteria)).toEqual([
      ['Inventory the services', 100],
      ['Migrate the runners', 40],
    ]);
  });

  it('does not read a table under roles, or a section under a title naming roles, as roles', () => {
    const group = page(`# Roles and Responsibilities Review WG

## Exit Criteria

1. Every team has a RACI => 50%

## Roles and Responsibilities

| Working Group Role | Person | Title |
|---|---|---|
| Facilitator | Ada Lovelace | Engineering Manager |

### Meeting schedule

| Day | Time |
|---|---|
| Tuesday | 10:00 |

## Links

| Day | Time |
|---|---|
| Wiki | https://example.com |
`);
    expect(group.roles).toHaveLength(1);
    expect(summary(group.exitCriteria)).toEqual([['Every team has a RACI', 50]]);
  });

  it('takes an epic description with a DRI table for an epic', () => {
    const parsed = parseDocument(`Overview.

| Role | Who |
|---|---|
| DRI | Thor |

- [ ] Sprint 20: Workshop (Thor)
`);
    expect(parsed.kind).toBe('epic');
  });

  it('knows a page by its roles table even with headings it does not know', () => {
    const group = page(`# Success WG

## Success Criteria

- [x] Dashboards in place
- [ ] Alerts routed

## Team

| Role | Person |
|---|---|
| Facilitator | Ada Lovelace |
`);
    expect(group.name).toBe('Success WG');
    expect(group.exitCriteria.map((c) => c.title)).toEqual(['Dashboards in place', 'Alerts routed']);
    expect(group.roles.map((r) => [r.role, r.name])).toEqual([['Facilitator', 'Ada Lovelace']]);
  });

  it('1: bold percentages, `(NN%)` and "=> done" markers', () => {
    const group = page(`---
title: Variant one
---
### Exit Criteria

1. First => **80%**
2. Second \`=> **25%**\`
3. Third (100%)
4. Fourth [40 %]
5. Fifth => done
6. Sixth => 12.5%
${ROLES}`);
    expect(summary(group.exitCriteria)).toEqual([
      ['First', 80],
      ['Second', 25],
      ['Third', 100],
      ['Fourth', 40],
      ['Fifth', 100],
      ['Sixth', 12.5],
    ]);
  });

  it('2: criteria without percentages, and a parenthesis that is not a marker', () => {
    const group = page(`# Variant two

## Exit criteria

- Ship the thing (with docs)
- Train the team
`);
    expect(summary(group.exitCriteria)).toEqual([
      ['Ship the thing (with docs)', null],
      ['Train the team', null],
    ]);
    expect(group.name).toBe('Variant two');
    expect(group.slug).toBe('variant-two');
  });

  it('3: bulleted lists nested three deep keep their parents', () => {
    const group = page(`# Nested

## Exit Criteria

* Top \`=> 50%\`
  * Middle
    * Leaf one => 100%
    * Leaf two => 0%
* Other
`);
    expect(summary(group.exitCriteria)).toEqual([
      [
        'Top',
        50,
        [
          [
            'Middle',
            null,
            [
              ['Leaf one', 100],
              ['Leaf two', 0],
            ],
          ],
        ],
      ],
      ['Other', null],
    ]);
  });

  it('4: links in titles give the title its text and the criterion its URL', () => {
    const group = page(`# Links

## Exit Criteria

1. [Set up **load** testing](https://gitlab.example.com/g/p/-/issues/832) for [PE](/handbook/pe) => 60%
`);
    expect(group.exitCriteria[0]).toMatchObject({
      title: 'Set up load testing for PE',
      url: 'https://gitlab.example.com/g/p/-/issues/832',
      percent: 60,
    });
  });

  it('5: extra sections, other heading levels and sections in another order are fine', () => {
    const group = page(`---
title: Reordered
---
# Background
Some history.

#### Roles & Responsibilities
| Role | Name |
|------|------|
| Facilitator | Ada Lovelace |

## FAQ
- Not a criterion

## Exit criteria (all must be met)
1. Only one => 10%

## Attributes
| Property | Value |
|---|---|
| Target End Date | 2027-01-31 |
| Slack | \`#wg_reordered\` |
`);
    expect(summary(group.exitCriteria)).toEqual([['Only one', 10]]);
    expect(group.roles.map((r) => [r.role, r.name, r.title])).toEqual([
      ['Facilitator', 'Ada Lovelace', null],
    ]);
    expect(group.targetEndDate).toBe('2027-01-31');
    expect(group.channel).toBe('#wg_reordered');
  });

  it('6: missing tables give warnings, not errors', () => {
    const group = page(`# Bare

## Exit Criteria
1. Something => 20%
`);
    expect(group.roles).toEqual([]);
    expect(group.targetEndDate).toBeNull();
    expect(group.warnings.map((w) => w.message)).toEqual([
      'no attributes table: dates and Slack channel are unknown',
      'no roles table: nobody can change this group from Slack until a facilitator is added',
    ]);
  });

  it('7: several people in one cell, a blank role cell, co-facilitators and GitLab handles', () => {
    const group = page(`# People

## Roles and Responsibilities

| Role | Person | Title |
|------|--------|-------|
| Co-Facilitators | Ada Lovelace, Grace Hopper | Managers |
| | [Alan Turing](https://gitlab.com/aturing) | Engineer |
| Executive Stakeholder | Linus<br>@kthompson | VP |
| DRI for Runner | Barbara Liskov & Edsger Dijkstra | |
| Member | TBD | |
`);
    expect(group.roles.map((r) => [r.role, r.kind, r.name, r.gitlabUsername, r.title])).toEqual([
      ['Co-Facilitators', 'facilitator', 'Ada Lovelace', null, 'Managers'],
      ['Co-Facilitators', 'facilitator', 'Grace Hopper', null, 'Managers'],
      ['Co-Facilitators', 'facilitator', 'Alan Turing', 'aturing', 'Engineer'],
      ['Executive Stakeholder', 'stakeholder', 'Linus', null, 'VP'],
      ['Executive Stakeholder', 'stakeholder', 'kthompson', 'kthompson', 'VP'],
      ['DRI for Runner', 'functional_lead', 'Barbara Liskov', null, null],
      ['DRI for Runner', 'functional_lead', 'Edsger Dijkstra', null, null],
    ]);
    expect(group.warnings).toContainEqual({
      line: 11,
      message: "the role 'Member' has nobody in it; skipped",
    });
  });

  it('8: a roles row with more cells than the header is read as far as the header goes, with a warning', () => {
    const group = page(`# Broken table
${ROLES}| Member | Grace | Admiral | Navy |
`);
    expect(group.roles.map((r) => [r.role, r.name, r.title])).toEqual([
      ['Facilitator', 'Ada Lovelace', 'Engineering Manager'],
      ['Member', 'Grace', 'Admiral'],
    ]);
    expect(group.warnings[0]).toMatchObject({
      line: 8,
      message: expect.stringMatching(/^this roles row has 4 cells but the header has 3/),
    });
  });

  it('9: a roles table without a person column names nobody: a warning, and the rest of the page imports', () => {
    const group = page(`# No person

## Roles and Responsibilities

| Role | Title |
|------|-------|
| Facilitator | Manager |

## Exit Criteria

1. Thing => 10%
`);
    expect(group.roles).toEqual([]);
    expect(summary(group.exitCriteria)).toEqual([['Thing', 10]]);
    expect(group.warnings).toContainEqual({
      line: 5,
      message: 'this roles table names no people (no person column); skipped',
    });
  });

  it('10: a percentage over 100 is a warning naming its line; the criterion stays, its figure unknown', () => {
    const group = page(`# Too much

## Exit Criteria

1. Fine => 50%
2. Not fine => 150%
`);
    expect(summary(group.exitCriteria)).toEqual([
      ['Fine', 50],
      ['Not fine', null],
    ]);
    expect(group.warnings[0]).toEqual({
      line: 6,
      message: "the completion '=> 150%' is not between 0% and 100%; its figure is left unknown",
    });
  });

  it('11: a mistyped marker is a warning and an unknown figure, not a silent 0%', () => {
    const group = page('# Typo\n\n## Exit Criteria\n\n- Thing => 8o%\n');
    expect(summary(group.exitCriteria)).toEqual([['Thing', null]]);
    expect(group.warnings[0]).toEqual({
      line: 5,
      message: "cannot read the completion '=> 8o%' (write it like '=> 80%'); its figure is left unknown",
    });
  });

  it('12: an unreadable date is a warning naming its line; the date stays empty', () => {
    const group = page(`---
title: Dates
---
## Attributes
| Property | Value |
|---|---|
| Date Created | March 3rd, 2021 |
| Target End Date | end of summer |
| Date Ended | 2023-04-31 |
`);
    expect(group).toMatchObject({
      createdDate: '2021-03-03',
      targetEndDate: null,
      endedOn: null,
      lifecycle: 'active',
    });
    expect(group.warnings).toContainEqual({
      line: 8,
      message:
        "cannot read the date 'end of summer' for 'Target End Date' (no date in it); kept as text, the date is left empty",
    });
    expect(group.warnings).toContainEqual({
      line: 9,
      message:
        "cannot read the date '2023-04-31' for 'Date Ended' (there is no such day as '2023-04-31'); kept as text, the date is left empty",
    });
  });

  it('13: broken front matter is a warning naming the YAML line, and its fields are still read', () => {
    const group = page('---\ntitle: ok\ndescription: "unterminated\n---\n\n## Exit Criteria\n- a\n');
    expect(group.name).toBe('ok');
    expect(group.warnings[0]!.line).toBeGreaterThanOrEqual(2);
    expect(group.warnings[0]!.message).toMatch(/front matter is not valid YAML/);
  });

  it('13b: a multi-line quoted front matter value that YAML accepts is read whole', () => {
    const group = page(
      '---\ntitle: "A long\n  title"\ndescription: \'first line\n  second line\'\nstatus: completed\n---\n\n## Exit Criteria\n- a => 100%\n',
    );
    expect(group).toMatchObject({
      name: 'A long title',
      description: 'first line second line',
      lifecycle: 'ended',
    });
    expect(group.warnings.filter((w) => /front matter/.test(w.message))).toEqual([]);
  });

  it('14: a page with no title takes the given fallback, else its first heading; with no heading it is refused', () => {
    expect(page('## Exit Criteria\n\n1. Thing => 10%\n').name).toBe('Exit Criteria');
    const parsed = parseDocument('## Exit Criteria\n\n1. Thing => 10%\n', undefined, {
      fallbackTitle: 'From file',
    });
    expect(parsed.kind === 'working-group' && parsed.group.slug).toBe('from-file');
    expect(importError('| Target End Date | 2024-01-31 |\n|---|---|\n| Slack | #wg_x |\n').message).toBe(
      'line 1: the page has no title: add front matter (`title: "…"`) or a `# Title` heading',
    );
  });

  it('15: task-list criteria count ticked as 100% and open as 0%', () => {
    const group = page(
      '# Boxes\n\n## Exit Criteria\n\n- [x] Done thing\n- [ ] Open thing\n- [ ] Partly => 30%\n',
    );
    expect(summary(group.exitCriteria)).toEqual([
      ['Done thing', 100],
      ['Open thing', 0],
      ['Partly', 30],
    ]);
  });

  it('16: a marker with no text, and an empty list item, are skipped with a warning', () => {
    const group = page('# X\n\n## Exit Criteria\n\n1. => 40%\n2.\n3. Real one\n');
    expect(summary(group.exitCriteria)).toEqual([['Real one', null]]);
    expect(group.warnings.slice(0, 2)).toEqual([
      { line: 5, message: 'a criterion has a completion marker but no text; skipped' },
      { line: 6, message: 'an empty list item was skipped' },
    ]);
  });

  it('17: a front matter slug wins over the title', () => {
    expect(page('---\ntitle: Long Name Here\nslug: short\n---\n## Exit Criteria\n- a\n').slug).toBe('short');
  });

  it('18: an attributes table without a heading is still found, and a Slack channel ID is kept', () => {
    const group = page(`# Headless

| | |
|---|---|
| Start date | 2026-01-05 |
| End date | June 2026 |
| Slack channel | [link](https://acme.slack.com/archives/C0123456789) |

## Exit Criteria
- a
`);
    expect(group).toMatchObject({
      createdDate: '2026-01-05',
      targetEndDate: '2026-06-30',
      channel: 'C0123456789',
    });
  });
});

describe('telling pages from epics', () => {
  it('refuses a document that is neither', () => {
    expect(importError('Just some notes.\n\n1. a list\n').message).toMatch(
      /^line 1: this is neither a working-group page .* nor an epic description/,
    );
  });

  it('refuses an empty document', () => {
    expect(importError('   \n\n').message).toBe('line 1: the document is empty');
  });

  it('treats a page with task lists and an exit criteria heading as a page', () => {
    expect(parseDocument('# T\n\n## Exit Criteria\n- [ ] a\n').kind).toBe('working-group');
  });
});
