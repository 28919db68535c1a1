/**
 * The bootstrap every synchronous worker thread of unroll runs (train/parallel.ts for data-parallel training,
 * forecast/panel/workers.ts for the panel model's members and companion; all started by util/worker-watch.ts):
 * source for `new Worker(…, { eval: true })` that takes the worker's job from the first message on
 * workerData.port into workerData (so that the job is cloned once, caller to worker, not again by the
 * supervisor that starts the worker), registers tsx when the worker module is a TypeScript source (Node 20
 * does not carry loader hooks into worker threads), imports the module, and on a load failure posts
 * { error: prefix + message } on workerData.port and runs the caller's `signal` statements (with `c`, the
 * Int32Array over workerData.control), so that the thread waiting on that control block hears of it. Dynamic
 * imports only: the source runs as CommonJS or as a module. No `node:` import here, so the library stays
 * browser-safe.
 */

/** URL of tsx's registration API (only when running from the TypeScript sources); null when absent. */
function tsxApi(): string | null {
  try {
    return (import.meta as { resolve?: (s: string) => string }).resolve?.('tsx/esm/api') ?? null;
  } catch {
    return null;
  }
}

/** The bootstrap source of a worker that loads `url` (see the header). */
export function workerBoot(url: string, failurePrefix: string, signal: string): string {
  const tsx = url.endsWith('.ts') ? tsxApi() : null;
  return `(async () => {
  const { workerData: d, receiveMessageOnPort } = await import('node:worker_threads');
  try {
    Object.assign(d, receiveMessageOnPort(d.port)?.message);
    ${tsx ? `(await import(${JSON.stringify(tsx)})).register();` : ''}
    await import(${JSON.stringify(url)});
  } catch (e) {
    d.port.postMessage({ error: ${JSON.stringify(failurePrefix)} + (e && e.message ? e.message : e) });
    const c = new Int32Array(d.control);
    ${signal}
  }
})();`;
}
