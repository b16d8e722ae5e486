/**
 * Long scheduled work (a pass over every group) must not hold the event loop: a `/wg status` that arrives
 * meanwhile has to be answered within Slack's 3 s, and in milliseconds as usual. A slicer lets such a loop
 * hand the loop back after each slice of `sliceMs` of work; between slices, waiting I/O (HTTP requests, the
 * timers of other jobs) runs. This measures the process's own running time, not business time: no clock
 * is injected here.
 */
export function timeSlicer(sliceMs = 8): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
}
