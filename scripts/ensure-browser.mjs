// Runs before `npm test` (the "pretest" script): the browser tests need Chromium, so on Linux, when
// /usr/bin/chromium is missing, this installs Debian's chromium with scripts/install-browser.sh
// (apt-get; it never downloads a browser and never fails the run). Elsewhere it says what it skipped.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);
if (process.platform !== 'linux') {
  console.log(`ensure-browser: ${CHROMIUM} not found and this is not Linux; the browser tests will be skipped (each says so)`);
  process.exit(0);
}
const script = fileURLToPath(new URL('./install-browser.sh', import.meta.url));
const r = spawnSync('bash', [script], { stdio: 'inherit' });
if (r.error) console.log(`ensure-browser: could not run ${script} (${r.error.message}); the browser tests will be skipped`);
process.exit(0);
