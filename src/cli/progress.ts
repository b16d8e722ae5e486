/**
 * One status line on a terminal's stderr, rewritten in place (`\r` and erase-line): what a long sync is
 * doing. `null` erases it. Never used when stderr is not a terminal, so logs and pipes get nothing.
 */
export function terminalProgress(stream: NodeJS.WriteStream): (line: string | null) => void {
  let shown = false;
  return (line) => {
    if (line === null && !shown) return;
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[K${line === null ? '' : line.slice(0, width)}`);
    shown = line !== null;
  };
}

/**
 * Shows what is under way with the seconds and GitLab requests so far, refreshed every quarter second
 * until the returned stop is called. A no-op without a progress line.
 */
export function tickingProgress(
  progress: ((line: string | null) => void) | undefined,
  facts: () => { label: string; elapsedMs: number; requests: number },
): () => void {
  if (!progress) return () => {};
  const show = () => {
    const { label, elapsedMs, requests } = facts();
    progress(`${label} ${(elapsedMs / 1000).toFixed(1)} s, ${requests} GitLab requests`);
  };
  show();
  const timer = setInterval(show, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    progress(null);
  };
}
