import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/import/document.js';
import type { ParsedCriterion } from '../../src/import/model.js';
import { findMarkers, markerNumber, rewriteMarkers } from '../../src/import/markerRewrite.js';

const PAGES = new URL('../fixtures/pages/', import.meta.url);

function criteriaOf(raw: string): ParsedCriterion[] {
  const parsed = parseDocument(raw);
  if (parsed.kind !== 'working-group') return [];
  const flat = (nodes: ParsedCriterion[]): ParsedCriterion[] =>
    nodes.flatMap((n) => [n, ...flat(n.children)]);
  return flat([...parsed.group.exitCriteria, ...parsed.group.entryCriteria]);
}

/** The page's lines, each with its own line end, so a CRLF that changed would show. */
const linesOf = (text: string) => text.split(/(?<=\n)/);

/** What a line is once its figures are taken out: the rewrite may change those and nothing else. */
const withoutFigures = (line: string) =>
  line.replace(/\d{1,3}(?:[.,]\d+)?/g, '#').replace(/\[[ xX]\]/g, '[?]');

describe('rewriteMarkers', () => {
  const pages = readdirSync(PAGES).filter((f) => f.endsWith('.md'));

  it.each(pages)('%s: only the marker figures of the criteria change, every other byte stays', (file) => {
    const raw = readFileSync(new URL(file, PAGES), 'utf8');
    const criteria = criteriaOf(raw).filter((c) => c.line !== null);
    // Every criterion moves to a different figure: 100 when it was not done, else 42.
    const targets = criteria.map((c) => ({ line: c.line!, percent: c.percent === 100 ? 42 : 100 }));
    const result = rewriteMarkers(raw, targets);
    const before = linesOf(raw);
    const after = linesOf(result.text);
    expect(after.length).toBe(before.length);
    const touched = new Set(result.edits.map((e) => e.line));
    before.forEach((line, i) => {
      if (touched.has(i + 1)) expect(withoutFigures(after[i]!)).toBe(withoutFigures(line));
      else expect(after[i]).toBe(line);
    });
    // Read again, the page says what wgbot wrote for each criterion it had a numeric marker for.
    const reread = new Map(criteriaOf(result.text).map((c) => [c.line, c.percent]));
    for (const edit of result.edits.filter((e) => e.kind === 'percent')) {
      expect(reread.get(edit.line)).toBe(Number(edit.to));
    }
    // And rewriting to the same figures again changes nothing.
    expect(rewriteMarkers(result.text, targets).edits.filter((e) => e.kind === 'percent')).toEqual([]);
  });

  it('finds markers on most fixture pages (the test above is not vacuous)', () => {
    const withMarkers = pages.filter(
      (file) => findMarkers(readFileSync(new URL(file, PAGES), 'utf8')).size > 0,
    );
    expect(withMarkers.length).toBeGreaterThan(30);
  });

  it('keeps CRLF line ends, a byte-order mark and the spacing of =>NN % variants', () => {
    const raw =
      '\uFEFF## Exit Criteria\r\n\r\n1. Alpha =>40 %\r\n2. Beta => **10%** (blocked)\r\n3. Gamma → ~5%\r\n4. Delta (20%)\r\n';
    const result = rewriteMarkers(raw, [
      { line: 3, percent: 75 },
      { line: 4, percent: 12.5 },
      { line: 5, percent: 100 },
      { line: 6, percent: 0 },
    ]);
    expect(result.text).toBe(
      '\uFEFF## Exit Criteria\r\n\r\n1. Alpha =>75 %\r\n2. Beta => **12.5%** (blocked)\r\n3. Gamma → ~100%\r\n4. Delta (0%)\r\n',
    );
    expect(result.edits.map((e) => [e.line, e.from, e.to])).toEqual([
      [3, '40', '75'],
      [4, '10', '12.5'],
      [5, '5', '100'],
      [6, '20', '0'],
    ]);
  });

  it('changes only the marker the importer reads when a line has several', () => {
    const raw = '## Exit Criteria\n\n- Partition => 60% (design => 100%, migration => 20%)\n';
    const result = rewriteMarkers(raw, [{ line: 3, percent: 70 }]);
    expect(result.text).toBe('## Exit Criteria\n\n- Partition => 70% (design => 100%, migration => 20%)\n');
  });

  it('rewrites both figures of a table row that has a progress cell and an arrow marker', () => {
    const raw = '| Criterion | Progress |\n| --- | --- |\n| Ship it => 40% | **40 %** |\n| Other | 10% |\n';
    const result = rewriteMarkers(raw, [{ line: 3, percent: 80 }]);
    expect(result.text).toBe(
      '| Criterion | Progress |\n| --- | --- |\n| Ship it => 80% | **80 %** |\n| Other | 10% |\n',
    );
  });

  it('rewrites only the progress cell of a table row, never another column of figures', () => {
    const raw = '| Criterion | Progress | Target |\n| --- | --- | --- |\n| Coverage | 80% | 40% |\n';
    const result = rewriteMarkers(raw, [{ line: 3, percent: 55 }]);
    expect(result.text).toBe(
      '| Criterion | Progress | Target |\n| --- | --- | --- |\n| Coverage | 55% | 40% |\n',
    );
    expect(result.edits.map((e) => [e.line, e.from, e.to])).toEqual([[3, '80', '55']]);
  });

  it('leaves a table row alone and names it when the figure cell cannot be told', () => {
    const raw = '| | | |\n| --- | --- | --- |\n| Coverage | 80% | 40% |\n';
    const result = rewriteMarkers(raw, [{ line: 3, percent: 55 }]);
    expect(result.text).toBe(raw);
    expect(result.ambiguous).toEqual([3]);
  });

  it('keeps every figure on its own line after a table the importer repairs (a short separator row)', () => {
    const raw = [
      '## Exit Criteria',
      '',
      '| Criterion | Progress | Target |',
      '|---|',
      '| Coverage | 80% | 40% |',
      '',
      'More:',
      '',
      '- ABCD => 40%',
      '- EFGH => 50%',
      '- IJKL => 60%',
      '',
    ].join('\n');
    const result = rewriteMarkers(raw, [
      { line: 9, percent: 10 },
      { line: 10, percent: 50 },
    ]);
    expect(result.text).toBe(raw.replace('ABCD => 40%', 'ABCD => 10%'));
    expect(result.edits.map((e) => [e.line, e.from, e.to])).toEqual([[9, '40', '10']]);
    // The table row after the repaired separator is a line the page has as it was: its figure is found.
    expect(
      findMarkers(raw)
        .get(5)
        ?.map((m) => m.current),
    ).toEqual(['80']);
  });

  it('ticks a task-list box at 100 % and never unticks one', () => {
    const raw = '## Exit Criteria\n\n- [ ] Alpha => 90%\n- [x] Beta => 100%\n- [ ] Gamma\n';
    const result = rewriteMarkers(raw, [
      { line: 3, percent: 100 },
      { line: 4, percent: 50 },
      { line: 5, percent: 100 },
    ]);
    expect(result.text).toBe('## Exit Criteria\n\n- [x] Alpha => 100%\n- [x] Beta => 50%\n- [x] Gamma\n');
    expect(result.withoutMarker).toEqual([5]);
  });

  it('rewrites the markers of Japanese pages and leaves the Japanese text alone', () => {
    const raw = readFileSync(new URL('56-japanese-list-page.md', PAGES), 'utf8');
    const result = rewriteMarkers(raw, [{ line: 20, percent: 65 }]);
    expect(result.text).toBe(
      raw.replace('メンター制度を全チームに広げる `=> 40%`', 'メンター制度を全チームに広げる `=> 65%`'),
    );
    const table = readFileSync(new URL('55-japanese-table-page.md', PAGES), 'utf8');
    const markers = findMarkers(table);
    expect(markers.get(25)?.map((m) => m.current)).toEqual(['60']);
    const rewritten = rewriteMarkers(table, [{ line: 25, percent: 90 }]);
    expect(rewritten.text).toBe(table.replace('| - | 60% |', '| - | 90% |'));
  });

  it('leaves word markers and lines without a marker alone, and says so', () => {
    const raw = '## Exit Criteria\n\n1. Status page => done\n2. Runbooks\n';
    const result = rewriteMarkers(raw, [
      { line: 3, percent: 80 },
      { line: 4, percent: 30 },
    ]);
    expect(result.text).toBe(raw);
    expect(result.withoutMarker).toEqual([3, 4]);
  });

  it('writes figures the way wgbot shows them', () => {
    expect([markerNumber(33.333), markerNumber(50), markerNumber(99.96)]).toEqual(['33.3', '50', '100']);
  });
});
