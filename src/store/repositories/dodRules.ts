import { DEFAULT_DOD, type DodRules } from '../../domain/dod.js';
import type { Db } from '../db.js';

interface RulesRow {
  pipeline_required: number;
  tests_required: number;
  exempt_label: string | null;
}

/**
 * `dod_rules`: each group's Definition-of-Done rules. A group without a row has the defaults and no DoD
 * line in its digest: the check reaches the channel once the team has chosen its rules.
 */
export class DodRulesRepository {
  readonly #get;
  readonly #set;
  readonly #remove;

  constructor(db: Db) {
    this.#get = db.prepare<[number], RulesRow>(
      'SELECT pipeline_required, tests_required, exempt_label FROM dod_rules WHERE wg_id = ?',
    );
    this.#set = db.prepare(
      `INSERT INTO dod_rules (wg_id, pipeline_required, tests_required, exempt_label, updated_at)
       VALUES (@wgId, @pipeline, @tests, @exempt, @now)
       ON CONFLICT (wg_id) DO UPDATE SET pipeline_required = excluded.pipeline_required,
         tests_required = excluded.tests_required, exempt_label = excluded.exempt_label,
         updated_at = excluded.updated_at`,
    );
    this.#remove = db.prepare<[number]>('DELETE FROM dod_rules WHERE wg_id = ?');
  }

  /** Whether the group chose its rules (`/wg dod`): only then does its digest carry the check. */
  chosen(wgId: number): boolean {
    return this.#get.get(wgId) !== undefined;
  }

  /** Back to the defaults, and out of the digest. */
  remove(wgId: number): void {
    this.#remove.run(wgId);
  }

  of(wgId: number): DodRules {
    const row = this.#get.get(wgId);
    if (!row) return { ...DEFAULT_DOD };
    return {
      pipelineRequired: row.pipeline_required === 1,
      testsRequired: row.tests_required === 1,
      exemptLabel: row.exempt_label,
    };
  }

  set(wgId: number, rules: DodRules, now: Date): void {
    this.#set.run({
      wgId,
      pipeline: rules.pipelineRequired ? 1 : 0,
      tests: rules.testsRequired ? 1 : 0,
      exempt: rules.exemptLabel,
      now: now.toISOString(),
    });
  }
}
