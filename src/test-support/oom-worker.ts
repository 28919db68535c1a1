/** Test-only: a worker that runs out of memory mid-task, under the resource limits its test sets (dying-worker.ts). */
import { dieMidTask } from './dying-worker.js';

dieMidTask(() => {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1 << 16).fill(hoard.length + 0.5));
});
