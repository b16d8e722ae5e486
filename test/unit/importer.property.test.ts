import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/import/document.js';
import { ImportError } from '../../src/import/errors.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';

/** The importer may refuse a document, but only with its own error type, which names what is wrong. */
function onlyImportErrors(text: string): void {
  try {
    parseDocument(text);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

// Pieces real pages are made of, so generated documents reach deep into the parser, not just its first check.
const fragment = fc.constantFrom(
  '---\n',
  'title: "X"\n',
  'title: [1, 2]\n',
  'slug: "!!"\n',
  '# Title\n',
  '## Exit Criteria\n',
  '### Entry Criteria\n',
  '## Roles and Responsibilities\n',
  '## Attributes\n',
  '## Business Goal\n',
  '### Post working group planned improvements\n',
  '| Working Group Role | Person | Title |\n',
  '| Role | Title |\n',
  '|---|---|---|\n',
  '|---|---|\n',
  '| Facilitator | Ada, Bob<br>@cy | Boss |\n',
  '| | Dee | |\n',
  '| Member | | |\n',
  '| a | b | c | d |\n',
  '| Target End Date | July 7th, 2021 |\n',
  '| Target End Date | never |\n',
  '| Slack | [#wg_x](https://x) |\n',
  '1. Criterion `=> 100%`\n',
  '1. Criterion => **80%**\n',
  '1. => 50%\n',
  '   - Sub (100%)\n',
  '     * Deeper => 1000%\n',
  '- [ ] Sprint 20: Task (Thor) - story #1\n',
  '- [x] Done (Ada & Bob) due 2026-02-30\n',
  '- [ ] \n',
  '* [link](http://a) => done\n',
  '=> x%\n',
  '\n',
  '    indented code\n',
  '```\nfenced\n```\n',
  '<br>\n',
  '> quote\n',
  '| # | Criteria | Progress | DRI |\n',
  '|---|---|---|---|\n',
  '| 1 | Ship it | **50%** | Ada @ada |\n',
  '| 1.1 | Sub | Done | |\n',
  '| | | In progress | Bob |\n',
  '| 2 | ~~Old~~ | 150% | |\n',
  '### Stage 1: Establish => 100%\n',
  '#### Sub-stage => 8o%\n',
  '- ✅ Done thing\n',
  '- ~~Struck~~\n',
  '- Thing => 50% (blocked on X) (DRI: Ada)\n',
  'Status: 40%\n',
  '**Bold => 30%**\n',
  '<table><tr><td>Date Created</td><td>Q3 FY24</td></tr><tr><td>Target End Date</td><td>EO FY23</td></tr>\n',
  '</table>\n',
  '<table><tr><th>Criterion</th><th>Progress</th></tr><tr><td>a</td><td>\n',
  '| Date Ended | 2023-04-31 |\n',
  '| Date Created | 2021-07-14 (Paused from 2022-06-01 to 2023-02-24) |\n',
  'status: completed\n',
  'description: "multi\n  line"\n',
  '| Person | Title |\n',
  '| Development Department LeadDonald Cook | VP |\n',
  '[ref]: /handbook/x\n',
  '- [link][ref] => 20%\n',
  '\r\n',
  '&amp; &nbsp; &#x1F600;\n',
);

describe('importer properties', () => {
  it('throws nothing but ImportError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), onlyImportErrors), { numRuns: 400 });
  });

  it('throws nothing but ImportError on arbitrary unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), onlyImportErrors), {
      numRuns: 300,
    });
  });

  it('throws nothing but ImportError on documents assembled from page and epic fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
        onlyImportErrors,
      ),
      { numRuns: 300 },
    );
  });

  it('throws nothing but ImportError on the seeds with random damage', () => {
    const seeds = [handbookSeed(), epicSeed()];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.nat(),
        fc.nat({ max: 200 }),
        fc.string({ maxLength: 30 }),
        (seed, at, cut, insert) => {
          const i = at % seed.length;
          onlyImportErrors(seed.slice(0, i) + insert + seed.slice(i + cut));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every explicit percentage of a page exactly: list markers, heading markers and table cells', () => {
    const percent = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(12.5, 33.3, 99.9, 0.5));
    const criterion = fc.record({
      form: fc.constantFrom('item', 'bold item', 'paren item', 'heading', 'cell', 'bold cell', 'spaced cell'),
      percent,
    });
    const render = (c: { form: string; percent: number }, i: number): string => {
      const n = String(c.percent);
      switch (c.form) {
        case 'item':
          return `- Criterion ${i} => ${n}%\n`;
        case 'bold item':
          return `1. Criterion ${i} \`=> **${n}%**\`\n`;
        case 'paren item':
          return `* Criterion ${i} (${n}%)\n`;
        case 'heading':
          return `### Criterion ${i} => ${n}%\n`;
        default: {
          const cell = c.form === 'bold cell' ? `**${n}%**` : c.form === 'spaced cell' ? `${n} %` : `${n}%`;
          return `| Criterion | Progress |\n|---|---|\n| Criterion ${i} | ${cell} |\n`;
        }
      }
    };
    fc.assert(
      fc.property(fc.array(criterion, { minLength: 1, maxLength: 12 }), (criteria) => {
        // Each criterion in its own sub-section, so no heading adopts the next one's items.
        const body = criteria.map((c, i) => `## Exit Criteria\n\n${render(c, i)}\n`).join('');
        const parsed = parseDocument(`# Page\n\n${body}`);
        if (parsed.kind !== 'working-group') throw new Error('not a page');
        expect(parsed.group.exitCriteria.map((c) => [c.title, c.percent])).toEqual(
          criteria.map((c, i) => [`Criterion ${i}`, c.percent]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('reads a percentage marker with any value from 0 to 100 back exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('=> N%', '`=> N%`', '=> **N%**', '(N%)'),
        (n, form) => {
          const parsed = parseDocument(
            `# T\n\n## Exit Criteria\n\n1. Thing ${form.replace('N', String(n))}\n`,
          );
          expect(parsed.kind === 'working-group' && parsed.group.exitCriteria[0]?.percent).toBe(n);
        },
      ),
      { numRuns: 200 },
    );
  });
});
