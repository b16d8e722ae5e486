/** Small text helpers shared by the CLI report, the Slack views and the demo page. */

/** '██████░░░░' for a percentage; unknown progress is all light. */
export function progressBar(percent: number | null, width = 10): string {
  const filled = percent === null ? 0 : Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** '100%', '62.5%', or '—' when nobody knows. */
export function formatPercent(percent: number | null): string {
  return percent === null ? '—' : `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

/** 'just now', '4 min ago', '3 h ago', '2 days ago'. */
export function formatAge(from: string | Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(from).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** '12 days left', 'due today', '3 days past target'. */
export function formatDaysLeft(daysLeft: number | null): string {
  if (daysLeft === null) return 'no target date';
  if (daysLeft === 0) return 'due today';
  if (daysLeft === 1) return '1 day left';
  if (daysLeft > 0) return `${daysLeft} days left`;
  return daysLeft === -1 ? '1 day past target' : `${-daysLeft} days past target`;
}

/** Cuts text to `max` characters, ending in '…' when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** '4 of 6 criteria measured'. */
export function formatCoverage(coverage: { measured: number; total: number }): string {
  return `${coverage.measured} of ${coverage.total} ${coverage.total === 1 ? 'criterion' : 'criteria'} measured`;
}

/**
 * The overall figure in words for plain text: '62% overall · 4 of 6 criteria measured', or 'no figure yet'
 * when no exit criterion has one (a group nobody measured is not at 0%).
 */
export function formatOverall(overall: number | null, coverage: { measured: number; total: number }): string {
  if (overall === null) return 'no figure yet';
  const partial = coverage.measured < coverage.total ? ` · ${formatCoverage(coverage)}` : '';
  return `${formatPercent(overall)} overall${partial}`;
}

/** 'Ended on 2024-03-01', 'Ended', 'Paused', or null for an active group. */
export function formatLifecycle(
  lifecycle: 'active' | 'paused' | 'ended',
  endedOn: string | null,
): string | null {
  if (lifecycle === 'paused') return 'Paused';
  if (lifecycle === 'ended') return endedOn ? `Ended on ${endedOn}` : 'Ended';
  return null;
}
