import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportService } from '../../src/services/importService.js';
import { StatusService } from '../../src/services/status.js';
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
    const expected: unknown = JSON.parse(
      readFileSync(`${DIR}${page.replace(/\.md$/, '.expected.json')}`, 'utf8'),
    );
    const result = new ImportService(store, () => NOW, READING).importText(text, { sourceRef: page });
    const report = new StatusService(store, () => NOW).status(result.group.slug);
    expect(report).toMatchObject(expected as object);
  });

  it('keeps what it could not read as warnings naming their lines, and imports the rest', () => {
    const text = readFileSync(`${DIR}47-odd-cells.md`, 'utf8');
    const result = new ImportService(store, () => NOW, READING).importText(text);
    expect(result.warnings.map((w) => w.line)).toEqual([9, 15, 16, 23, 24]);
    expect(result.warnings[0]!.message).toContain(
      "cannot read the date 'sometime in spring' for 'Date Created'",
    );
    expect(result.warnings[1]!.message).toContain("the completion '=> 150%' is not between 0% and 100%");
  });
});
