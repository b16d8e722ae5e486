import { describe, expect, it } from 'vitest';
import {
  exitReportMarkdown,
  exitReportText,
  withoutConfidentialDetails,
} from '../../src/cli/reportMarkdown.js';
import { timingSentence } from '../../src/domain/exitTiming.js';
import { type ExitReport, isComplete, reachedFullOn } from '../../src/services/exitReport.js';
import { exitReportView } from '../../src/slack/views/exitReport.js';

const report: ExitReport = {
  group: { slug: 'db', name: 'DB <Scale> | *Ops*' },
  reason: 'complete',
  overall: 100,
  coverage: { measured: 2, total: 2 },
  criteria: [
    { path: '1', title: 'Replicas | reads', percent: 100, reachedOn: '2026-11-24' },
    { path: '2', title: 'Pooling', percent: 100, reachedOn: null },
  ],
  closedItems: [
    { title: '<!channel> ship', owners: ['Ada'], closedOn: '2026-11-20', url: null, confidential: false },
  ],
  openItems: 1,
  people: [{ name: 'Ada', closed: 1 }],
  timing: { started: '2026-11-01', finished: '2026-11-27', target: '2026-11-27', days: 26, daysLate: 0 },
};

describe('exit report pieces', () => {
  it('dates a figure by the start of its last run at 100 %', () => {
    const days = (figures: (number | null)[]) =>
      figures.map((figure, i) => ({ day: `2026-11-0${i + 1}`, figure }));
    expect(reachedFullOn(days([10, 100, 100]))).toBe('2026-11-02');
    expect(reachedFullOn(days([100, 80, 100]))).toBe('2026-11-03');
    expect(reachedFullOn(days([100, null]))).toBeNull();
    expect(reachedFullOn([])).toBeNull();
  });

  it('calls a group complete only with every top-level criterion measured', () => {
    expect(isComplete(100, { measured: 2, total: 2 })).toBe(true);
    expect(isComplete(100, { measured: 1, total: 2 })).toBe(false);
    expect(isComplete(null, { measured: 0, total: 0 })).toBe(false);
    expect(isComplete(99.9, { measured: 3, total: 3 })).toBe(false);
  });

  it('says how long it took against the target', () => {
    expect(timingSentence(report.timing)).toBe('Took 26 days (2026-11-01 → 2026-11-27), on the target date.');
    expect(timingSentence({ ...report.timing, daysLate: -1 })).toBe(
      'Took 26 days (2026-11-01 → 2026-11-27), 1 day before the target of 2026-11-27.',
    );
    expect(
      timingSentence({ started: null, finished: '2026-11-27', target: null, days: null, daysLate: null }),
    ).toBe('Finished 2026-11-27; no target end date was set.');
  });

  it('escapes what titles carry in markdown and in Slack', () => {
    const markdown = exitReportMarkdown(report);
    expect(markdown).toContain('| 1 | Replicas \\| reads | 100% | 2026-11-24 |');
    expect(markdown).toContain('| 2 | Pooling | 100% | — |');
    expect(markdown).toContain('- \\<!channel\\> ship — Ada (2026-11-20)');
    const slack = JSON.stringify(exitReportView(report).blocks);
    expect(slack).toContain('&lt;!channel&gt; ship');
    expect(slack).not.toContain('<!channel>');
    expect(exitReportText(report)).toContain('Items closed: 1 (1 left open)');
  });

  it('counts confidential items in the channel and in the markdown instead of naming them, unless asked', () => {
    const secret = {
      title: 'Acquire Initech',
      owners: ['Lena'],
      closedOn: '2026-11-21',
      url: 'https://gitlab.example/g/p/-/issues/7',
      confidential: true,
    };
    const withSecrets: ExitReport = { ...report, closedItems: [...report.closedItems, secret, secret] };
    const slack = JSON.stringify(exitReportView(withSecrets).blocks);
    expect(slack).not.toContain('Initech');
    expect(slack).not.toContain('issues/7');
    expect(slack).toContain(':lock: 2 confidential items');
    expect(slack).toContain('3 items closed');
    const markdown = exitReportMarkdown(withSecrets);
    expect(markdown).not.toContain('Initech');
    expect(markdown).not.toContain('issues/7');
    expect(markdown).toContain('- 2 confidential items');
    const asked = exitReportMarkdown(withSecrets, { includeConfidential: true });
    expect(asked).toContain('- [Acquire Initech](https://gitlab.example/g/p/-/issues/7) — Lena (2026-11-21)');
    expect(asked).not.toContain('confidential items');
    // `wgbot report --json` without --include-confidential: the data, without their titles and links.
    const json = JSON.stringify(withoutConfidentialDetails(withSecrets));
    expect(json).not.toContain('Initech');
    expect(json).not.toContain('issues/7');
    expect(json).toContain('<!channel> ship');
  });
});
