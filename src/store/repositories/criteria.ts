import type { Criterion, CriterionSection, Health } from '../../domain/types.js';
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
  gitlab_from: string | null;
  gitlab_synced_at: string | null;
  gitlab_health: Health | null;
  okr_key: string | null;
}

/** What a sync learnt of the GitLab object behind a criterion. */
export interface GitlabFigure {
  percent: number | null;
  /** The object's title as synced (null: unknown). */
  from: string | null;
  syncedAt: string;
  health: Health | null;
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
    gitlabFrom:
      row.gitlab_from !== null && row.gitlab_synced_at !== null
        ? { name: row.gitlab_from, syncedAt: row.gitlab_synced_at }
        : null,
    health: row.gitlab_health,
    okrKey: row.okr_key,
  };
}

function statements(db: Db) {
  return {
    ofSection: db.prepare<[number, string], CriterionRow>(
      'SELECT * FROM criteria WHERE wg_id = ? AND section = ? ORDER BY position, id',
    ),
    insert: db.prepare(
      `INSERT INTO criteria (wg_id, parent_id, section, position, title, url, handbook_percent, manual_percent, gitlab_percent, weight, source_line, owner, okr_key)
       VALUES (@wgId, @parentId, @section, @position, @title, @url, @handbookPercent, @manualPercent, @gitlabPercent, @weight, @sourceLine, @owner, @okrKey)`,
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
    setGitlabFigure: db.prepare(
      `UPDATE criteria SET gitlab_percent = @percent, gitlab_from = @from, gitlab_synced_at = @syncedAt,
         gitlab_health = @health WHERE id = @id AND wg_id = @wgId`,
    ),
    setManual: db.prepare(
      'UPDATE criteria SET manual_percent = @manualPercent, owner = @owner WHERE id = @id AND wg_id = @wgId',
    ),
    retitle: db.prepare('UPDATE criteria SET title = @title, url = @url WHERE id = @id AND wg_id = @wgId'),
    maxExitPosition: db.prepare<[number], { p: number | null }>(
      "SELECT max(position) AS p FROM criteria WHERE wg_id = ? AND section = 'exit' AND parent_id IS NULL",
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
          okrKey: node.okrKey ?? null,
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

  /** Sets the figure a linked GitLab object gives a criterion, with where it comes from and its health. */
  setGitlabFigure(wgId: number, criterionId: number, figure: GitlabFigure): void {
    this.#sql.setGitlabFigure.run({ ...figure, id: criterionId, wgId });
  }

  /** Sets what people set by hand: the criterion's hand-set figure (null: none) and its owner. */
  setManual(
    wgId: number,
    criterionId: number,
    fields: { manualPercent: number | null; owner: string | null },
  ) {
    this.#sql.setManual.run({ ...fields, id: criterionId, wgId });
  }

  /** A top-level exit criterion made from a key result, after the others; returns its id. */
  insertKeyResult(wgId: number, okrKey: string, title: string, url: string | null): number {
    const position = (this.#sql.maxExitPosition.get(wgId)?.p ?? -1) + 1;
    const params = {
      wgId,
      parentId: null,
      section: 'exit',
      position,
      title,
      url,
      handbookPercent: null,
      manualPercent: null,
      gitlabPercent: null,
      weight: null,
      sourceLine: null,
      owner: null,
      okrKey,
    };
    return Number(this.#sql.insert.run(params).lastInsertRowid);
  }

  /** Renames a criterion the sync owns (a key result's) and points it at its GitLab page. */
  retitle(wgId: number, criterionId: number, title: string, url: string | null): void {
    this.#sql.retitle.run({ title, url, id: criterionId, wgId });
  }

  delete(wgId: number, criterionId: number): void {
    this.#sql.delete.run(criterionId, wgId);
  }
}
