/**
 * Polls `done` until it holds. The budget is generous on purpose: on a busy machine things are slow, not
 * broken, so a wait fails only when what it waits for never comes — and then it says what that was.
 */
export async function waitUntil(
  done: () => boolean,
  what: string,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 30_000, everyMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
