/** Test-only: a worker that calls process.exit(3) mid-task (dying-worker.ts). */
import { dieMidTask } from './dying-worker.js';

dieMidTask(() => process.exit(3));
