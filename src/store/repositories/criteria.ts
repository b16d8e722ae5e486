import type { Criterion, CriterionSection } from '../../domain/types.js';
import type { Db } from '../db.js';

interface CriterionRow {
  id: number;
  parent_id: number | null;
  section: CriterionSection;
  title: string;
  url: string | null;
  handbook_percent: number | null;
  manual_percent: number | null;
  gitlab_percent: number | null;
  weight: number | null;
  source_line: number | null;
  owner: string | null;
}

/** A row as a criterion with no children yet: `of` hangs them under their parents. */
function rowToCriterion(row: CriterionRow): Criterion {
  return {
    id: row.id,
    section: row.section,
    title: row.title,
    url: row.url,
    handbookPercent: row.handbook_percent,
    manualPercent: row.manual_percent,
    gitlabPercent: row.gitlab_percent,
    weight: row.weight,
    sourceLine: row.source_line,
    owner: row.owner,
    children: [],
  };
}

function statements(db: Db) {
  return {
    ofSection: db.prepare<[number, string], CriterionRow>(
      'SELECT * FROM criteria WHERE wg_id = ? AND section = ? ORDER BY position, id',
    ),
    insert: db.prepare(
      `INSERT INTO criteria (wg_id, parent_id, section, position, title, url, handbook_percent, manual_percent, gitlab_percent, weight, source_line, owner)
       VALUES (@wgId, @parentId, @section, @position, @title, @url, @handbookPercent, @manualPercent, @gitlabPercent, @weight, @sourceLine, @owner)`,
    ),
    update: db.prepare(
      `UPDATE criteria SET parent_id = @parentId, position = @position, title = @title, url = @url,
         handbook_percent = @handbookPercent, manual_percent = @manualPercent, gitlab_percent = @gitlabPercent,
         weight = @weight, source_line = @sourceLine, owner = @owner
       WHERE id = @id AND wg_id = @wgId`,
    ),
    setGitlabPercent: db.prepare<[number | null, number, number]>(
      'UPDATE criteria SET gitlab_percent = ? WHERE id = ? AND wg_id = ?',
    ),
    delete: db.prepare<[number, number]>('DELETE FROM criteria WHERE id = ? AND wg_id = ?'),
  };
}

/** The `criteria` table: a group's entry and exit criteria, each section a tree in page order. */
export class CriterionRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  /** The group's criteria of one section as a tree, in page order. */
  of(wgId: number, section: CriterionSection = 'exit'): Criterion[] {
    const rows = this.#sql.ofSection.all(wgId, section);
    const nodes = new Map(rows.map((row) => [row.id, rowToCriterion(row)]));
    // Rows come in position order, so appending keeps every level in page order.
    const roots: Criterion[] = [];
    for (const row of rows) {
      const node = nodes.get(row.id)!;
      const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  /**
   * Stores `tree` as the section's criteria: nodes with an id are updated, the others inserted, and stored
   * criteria missing from the tree deleted. Call inside a transaction (the services do).
   */
  save(wgId: number, section: CriterionSection, tree: Criterion[]): void {
    const keep = new Set<number>();
    const save = (nodes: Criterion[], parentId: number | null) => {
      nodes.forEach((node, position) => {
        const params = {
          wgId,
          parentId,
          section,
          position,
          title: node.title,
          url: node.url,
          handbookPercent: node.handbookPercent,
          manualPercent: node.manualPercent,
          gitlabPercent: node.gitlabPercent,
          weight: node.weight,
          sourceLine: node.sourceLine,
          owner: node.owner,
        };
        let id = node.id;
        if (id === null) id = Number(this.#sql.insert.run(params).lastInsertRowid);
        else this.#sql.update.run({ ...params, id });
        keep.add(id);
        save(node.children, id);
      });
    };
    save(tree, null);
    const all = (nodes: Criterion[]): number[] => nodes.flatMap((n) => [n.id!, ...all(n.children)]);
    for (const id of all(this.of(wgId, section))) if (!keep.has(id)) this.#sql.delete.run(id, wgId);
  }

  /** Sets the figure a linked GitLab object gives a criterion (null: the link counts nothing yet). */
  setGitlabPercent(wgId: number, criterionId: number, percent: number | null): void {
    this.#sql.setGitlabPercent.run(percent, criterionId, wgId);
  }
}
