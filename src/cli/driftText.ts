import { describeDrift } from '../domain/drift.js';
import type { DriftReport } from '../services/drift.js';

/** `wgbot drift --json`: each finding with its kind, its sentence, its owners and what it names. */
export function driftJson(report: DriftReport) {
  return {
    slug: report.slug,
    name: report.name,
    today: report.today,
    epic: report.epic,
    count: report.findings.length,
    findings: report.findings.map((f) => {
      const { text, owners } = describeDrift(f);
      return {
        kind: f.kind,
        text,
        owners,
        line: 'line' in f ? { itemId: f.line.itemId, title: f.line.title, done: f.line.done } : null,
        story:
          'story' in f
            ? { itemId: f.story.itemId, ref: f.story.ref, url: f.story.url, done: f.story.done }
            : null,
        criterion:
          f.kind === 'percent-differs'
            ? { id: f.criterion.id, title: f.criterion.title, handbook: f.handbook, gitlab: f.gitlab }
            : null,
      };
    }),
  };
}

/** `wgbot drift`: one line per finding, its owners after a dash. */
export function renderDriftText(report: DriftReport): string {
  const head = `${report.name} (${report.slug}) — ${report.today}`;
  if (report.findings.length === 0)
    return `${head}\nPlan and GitLab agree${report.epic ? '' : ' (no epic linked: task lines compared with nothing)'}.\n`;
  const count = report.findings.length;
  const lines = report.findings.map((f) => {
    const { text, owners } = describeDrift(f);
    return `- ${text}${owners.length > 0 ? ` — ${owners.join(', ')}` : ' — no owner named'}`;
  });
  return `${head}\n${count} ${count === 1 ? 'thing disagrees' : 'things disagree'}:\n${lines.join('\n')}\n`;
}
