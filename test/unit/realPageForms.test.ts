import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/import/document.js';
import type { ParsedWorkingGroup } from '../../src/import/handbook.js';
import { parseHumanDate } from '../../src/import/humanDate.js';
import { readLifecycle } from '../../src/import/lifecycle.js';
import { repairTables } from '../../src/import/markdown.js';
import { hashSlug, isSlug, slugify } from '../../src/import/slug.js';

function page(text: string, today: string | null = '2026-11-22'): ParsedWorkingGroup {
  const parsed = parseDocument(text, undefined, { today });
  if (parsed.kind !== 'working-group') throw new Error(`expected a working-group page, got ${parsed.kind}`);
  return parsed.group;
}

describe('slugs from any title', () => {
  it('transliterates other scripts and accents, and falls back to a stable hash for symbols alone', () => {
    expect(slugify('Improve Ops Quality')).toBe('improve-ops-quality');
    expect(slugify('Tomás Straße')).toBe('tomas-strasse');
    expect(slugify('シャーディング ワーキンググループ')).toBe('shiyadeingu-wakingugurupu');
    expect(isSlug(slugify('断続的バグ'))).toBe(true);
    expect(hashSlug('★★★')).toBe(hashSlug('★★★'));
    expect(isSlug(hashSlug('★★★'))).toBe(true);
    expect(hashSlug('★★★')).not.toBe(hashSlug('☆☆☆'));
  });

  it('never refuses a page for its title', () => {
    const group = page('---\ntitle: "★ ☆"\n---\n## Exit Criteria\n\n- Ship it => 10%\n');
    expect(isSlug(group.slug)).toBe(true);
    expect(group.slug).toMatch(/^wg-[0-9a-f]{10}$/);
  });
});

describe('table slips mended before parsing', () => {
  it('swaps a delimiter row written above its header and evens a delimiter with the wrong cell count', () => {
    expect(repairTables('x\n\n| --- | --- |\n| A | B |\n| 1 | 2 |')).toBe(
      'x\n\n| A | B |\n| --- | --- |\n| 1 | 2 |',
    );
    expect(repairTables('| A | B |\n| :-- | :-- | :-- |\n| 1 | 2 |')).toBe(
      '| A | B |\n| --- | --- |\n| 1 | 2 |',
    );
  });

  it('leaves good tables, text and fenced code alone', () => {
    const good = '| A | B |\n|---|:-:|\n| 1 | 2 |\n\n```\n| --- |\n| A |\n```\n\n---\n\ntext';
    expect(repairTables(good)).toBe(good);
  });
});

describe('heading ids', () => {
  it('reads a section by its {#id} when its words are unknown, and keeps the id out of every title', () => {
    const group = page(
      '# Lift Off {#top}\n\n## Où en sommes-nous {#exit-criteria}\n\n### Build the pad => 100% {#pad}\n\n- Pour the base => 100%\n',
    );
    expect(group.name).toBe('Lift Off');
    expect(group.exitCriteria.map((c) => [c.title, c.percent, c.children.map((k) => k.title)])).toEqual([
      ['Build the pad', 100, ['Pour the base']],
    ]);
  });
});

describe('where the group stands, from its dates', () => {
  const base = {
    frontMatterStatus: null,
    statusAttribute: null,
    endedOn: null,
    endDate: null,
    outcome: null,
    sentence: null,
    today: '2026-11-22',
  };

  it('a past End Date or Date Ended ends the group; a date ahead of today is a plan', () => {
    expect(readLifecycle({ ...base, endDate: '2025-01-31' })).toMatchObject({
      lifecycle: 'ended',
      endedOn: '2025-01-31',
      endedByDate: 'endDate',
    });
    expect(readLifecycle({ ...base, endedOn: '2025-01-31', frontMatterStatus: 'active' })).toMatchObject({
      lifecycle: 'ended',
      endedByDate: 'endedOn',
    });
    expect(readLifecycle({ ...base, endDate: '2027-01-31' })).toMatchObject({ lifecycle: 'active' });
  });

  it("a past target never ends it; a Status attribute saying 'Open' holds a plain End Date back", () => {
    const late = page(
      '# Late WG\n\n| Property | Value |\n|---|---|\n| Date Created | 2024-01-01 |\n| Target End Date | 2025-01-31 |\n',
    );
    expect(late.lifecycle).toBe('active');
    expect(
      readLifecycle({ ...base, endDate: '2025-01-31', statusAttribute: 'Open', frontMatterStatus: 'active' }),
    ).toMatchObject({ lifecycle: 'active', endDateOverruled: true });
    expect(readLifecycle({ ...base, endDate: '2025-01-31', statusAttribute: 'Closed' })).toMatchObject({
      lifecycle: 'ended',
      endedByDate: null,
    });
  });

  it('reads Japanese labels and dates', () => {
    expect(parseHumanDate('2021 年 2 月 23 日')).toEqual({ ok: true, date: '2021-02-23', note: null });
    expect(parseHumanDate('2021年7月', { role: 'end' })).toEqual({
      ok: true,
      date: '2021-07-31',
      note: null,
    });
    const group = page(
      '---\ntitle: 実験\n---\n\n## 属性\n\n| プロパティ | 値 |\n|---|---|\n| 作成日 | 2020 年 2 月 11 日 |\n| 終了日 | 2020 年 6 月 22 日 |\n',
    );
    expect(group).toMatchObject({ createdDate: '2020-02-11', lifecycle: 'ended', endedOn: '2020-06-22' });
    expect(group.warnings[0]).toMatchObject({
      line: 10,
      message: expect.stringContaining("'終了日' has passed"),
    });
  });
});

describe('roles written other ways', () => {
  it('reads "Role: Name - Title" items in a roles section, and not a list of duties', () => {
    const group = page(
      '# Roles WG\n\n## Exit Criteria\n\n- Thing => 5%\n\n## Roles and Responsibilities\n\n' +
        '- **Facilitator**: Ada Lovelace - Engineering Manager\n- **Executive Sponsor**: Grace Hopper (@ghopper), VP\n' +
        '- Facilitator: runs the weekly meeting\n- Member: keeps the notes up to date\n',
    );
    expect(group.roles.map((r) => [r.role, r.kind, r.name, r.title, r.gitlabUsername])).toEqual([
      ['Facilitator', 'facilitator', 'Ada Lovelace', 'Engineering Manager', null],
      ['Executive Sponsor', 'executive_sponsor', 'Grace Hopper', 'VP', 'ghopper'],
    ]);
  });

  it('reads a role-and-person table under a roles sub-heading, but not a table of tasks with a DRI column', () => {
    const group = page(
      '# Sub WG\n\n## Exit Criteria\n\n- Thing => 5%\n\n## Roles and Responsibilities\n\n### Functional areas\n\n' +
        '| Working Group Functions | Team Member | Primary Contact GitLab Handle |\n|---|---|---|\n| Functional Lead: Legal | Camille Roux, Ines Duarte | @croux, @iduarte |\n\n' +
        '### Team assignments\n\n| Area | Tasks | DRI |\n|---|---|---|\n| Reporting | Weekly update | `@croux` consulting with `@iduarte` |\n',
    );
    expect(group.roles.map((r) => [r.role, r.name, r.gitlabUsername])).toEqual([
      ['Functional Lead: Legal', 'Camille Roux', 'croux'],
      ['Functional Lead: Legal', 'Ines Duarte', 'iduarte'],
    ]);
  });

  it('keeps a Responsibility column of duties as duties', () => {
    const group = page(
      '# Duties WG\n\n## Exit Criteria\n\n- Thing => 5%\n\n## Roles and Responsibilities\n\n| Role | Responsibility |\n|---|---|\n| Facilitator | Runs the meetings and keeps notes |\n| Member | Attends |\n',
    );
    expect(group.roles).toEqual([]);
  });
});

describe('criteria tables with planned dates', () => {
  it('a start or target date is no completion; a completed date is', () => {
    const group = page(
      '# Dates WG\n\n## Exit Criteria\n\n| Criteria | Start Date | Completion Date | Progress |\n|---|---|---|---|\n| One | 2024-12-11 | | |\n| Two | 2024-12-11 | 2025-01-20 | |\n',
    );
    expect(group.exitCriteria.map((c) => [c.title, c.percent])).toEqual([
      ['One', null],
      ['Two', 100],
    ]);
  });
});
