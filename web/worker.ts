/**
 * The training worker. It runs one job (inspect a CSV, or train and evaluate) per message, so the
 * page never blocks. Stop: training is synchronous, so the worker cannot read a message while it
 * trains; where the page can share memory (a cross-origin-isolated page has SharedArrayBuffer) it
 * passes a flag that the worker polls after every batch and turns into fit's AbortSignal.
 * Elsewhere (e.g. a page opened from file://) the page ends the worker instead.
 */
import { errorMessage, inspect, train } from './job.js';
import type { FromWorker, ToWorker } from './protocol.js';

interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker): void => scope.postMessage(m);

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'inspect') {
    inspect(msg.csv, msg.source, post, msg.choices);
    return;
  }
  const flag = msg.stopFlag;
  await train(msg.csv, msg.source, msg.settings, { post, stopRequested: flag ? () => Atomics.load(flag, 0) === 1 : undefined });
}

scope.onmessage = (event) => {
  handle(event.data).catch((e: unknown) => post({ type: 'error', ...errorMessage(e) }));
};
