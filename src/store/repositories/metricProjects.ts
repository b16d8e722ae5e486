import type { Db } from '../db.js';

export interface MetricProject {
  project: string;
  environment: string;
}

interface MetricProjectRow {
  project_path: string;
  environment: string;
}

function rowToMetricProject(row: MetricProjectRow): MetricProject {
  return { project: row.project_path, environment: row.environment };
}

function statements(db: Db) {
  return {
    ofGroup: db.prepare<[number], MetricProjectRow>(
      'SELECT project_path, environment FROM metric_projects WHERE wg_id = ? ORDER BY project_path',
    ),
    deleteOfGroup: db.prepare<[number]>('DELETE FROM metric_projects WHERE wg_id = ?'),
    insert: db.prepare<[number, string, string]>(
      'INSERT INTO metric_projects (wg_id, project_path, environment) VALUES (?, ?, ?)',
    ),
  };
}

/** The `metric_projects` table: the GitLab projects whose DevOps key metrics a group follows. */
export class MetricProjectRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  of(wgId: number): MetricProject[] {
    return this.#sql.ofGroup.all(wgId).map(rowToMetricProject);
  }

  replace(wgId: number, projects: MetricProject[]): void {
    this.#sql.deleteOfGroup.run(wgId);
    for (const p of projects) this.#sql.insert.run(wgId, p.project, p.environment);
  }
}
