import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roundPercent } from '../../src/domain/criteria.js';
import { parseDocument } from '../../src/import/document.js';
import type { ParsedCriterion } from '../../src/import/handbook.js';
import { ImportService } from '../../src/services/importService.js';
import { type StatusReport, StatusService } from '../../src/services/status.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../helpers/store.js';

/**
 * The corpus: pages written the many ways facilitators write them (test/fixtures/pages), each imported
 * through the real import service into a fresh database, its status report compared with what a person
 * reads on the page (NN-name.expected.json, a subset of `wgbot status <slug> --json`).
 */
const DIR = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
const PAGES = readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();
const NOW = new Date('2026-11-22T10:00:00Z');
const READING = { fiscalYearStartMonth: 2, baseUrl: 'https://handbook.example.com' };

// Fields of the status contract that another change is adding to `status --json`; until then they are
// checked against what the importer read (the page's lifecycle, owners and handles) and the figures shown.
const CONTRACT_FIELDS = ['lifecycle', 'endedOn', 'overall', 'coverage'] as const;

type Json = Record<string, unknown>;

function criteriaPart(criteria: Json[], keep: (key: string) => boolean): Json[] {
  return criteria.map((c) =>
    Object.fromEntries(
      Object.entries(c)
        .filter(([key]) => keep(key) || key === 'children')
        .map(([key, value]) => [key, key === 'children' ? criteriaPart(value as Json[], keep) : value]),
    ),
  );
}

/** The expected file cut in two: what today's report has, and the contract's additions. */
function splitExpected(expected: Json): { report: Json; contract: Json } {
  const report: Json = {};
  const contract: Json = {};
  for (const [key, value] of Object.entries(expected)) {
    if ((CONTRACT_FIELDS as readonly string[]).includes(key)) contract[key] = value;
    else if (key === 'criteria') {
      report.criteria = criteriaPart(value as Json[], (k) => k !== 'owner');
      contract.criteria = criteriaPart(value as Json[], (k) => k === 'owner');
    } else if (key === 'roles') {
      report.roles = (value as Json[]).map(({ handle: _, ...rest }) => rest);
      contract.roles = (value as Json[]).map((r) => ('handle' in r ? { handle: r.handle } : {}));
    } else report[key] = value;
  }
  return { report, contract };
}

function owners(criteria: ParsedCriterion[]): Json[] {
  return criteria.map((c) => ({ owner: c.owner, children: owners(c.children) }));
}

/** The contract's fields as the importer and today's report give them. */
function contractView(text: string, report: StatusReport, store: Store): Json {
  const parsed = parseDocument(text, 'working-group', { ...READING, today: '2026-11-22' });
  if (parsed.kind !== 'working-group') throw new Error('not a page');
  const measured = report.criteria.filter((c) => c.percent !== null).map((c) => c.percent!);
  const group = store.groups.getBySlug(report.slug)!;
  const handles = new Map(store.groups.roles(group.id).map((r) => [`${r.role}\u0000${r.name}`, r.gitlabUsername]));
  return {
    lifecycle: parsed.group.lifecycle,
    endedOn: parsed.group.endedOn,
    overall: measured.length === 0 ? null : roundPercent(measured.reduce((a, b) => a + b, 0) / measured.length),
    coverage: { measured: measured.length, total: report.criteria.length },
    criteria: owners(parsed.group.exitCriteria),
    roles: report.roles.map((r) => ({ handle: handles.get(`${r.role}\u0000${r.name}`) ?? null })),
  };
}

describe('the corpus of handbook pages', () => {
  let store: Store;
  let cleanup: () => void;
  // A fresh database per page: people of one page must not answer for another's.
  beforeEach(() => {
    ({ store, cleanup } = tempStore(() => NOW));
  });
  afterEach(() => cleanup());

  it('has at least 45 pages, each with its expected report', () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(45);
    for (const page of PAGES) expect(readdirSync(DIR)).toContain(page.replace(/\.md$/, '.expected.json'));
  });

  it.each(PAGES)('%s imports and reports what the page says', (page) => {
    const text = readFileSync(`${DIR}${page}`, 'utf8');
    const expected = JSON.parse(readFileSync(`${DIR}${page.replace(/\.md$/, '.expected.json')}`, 'utf8')) as Json;
    const result = new ImportService(store, () => NOW, READING).importText(text, { sourceRef: page });
    const report = new StatusService(store, () => NOW).status(result.group.slug);
    const { report: today, contract } = splitExpected(expected);
    expect(report).toMatchObject(today);
    expect(contractView(text, report, store)).toMatchObject(contract);
  });
});
