// Builds the browser playground: ONE self-contained HTML file that opens offline (file:// works).
// web/worker.ts is bundled first (with the library); its code is inlined into the page bundle as a
// string and started from a Blob URL. The page bundle (web/playground.ts, with uPlot), uPlot's CSS,
// the page's styles and the bundled S&P 500 CSV are inlined into web/index.html.
//
// Usage: node scripts/build-web.mjs [out.html]      (default dist/web/playground.html)
// As a module: import { buildPlayground } from './build-web.mjs'; await buildPlayground({ outFile }).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUT = join(ROOT, 'dist', 'web', 'playground.html');
const DEFAULT_DATA = join(ROOT, 'data', 'sp500_daily_ohlcv_2000_2020.csv');

/** Browsers this targets: anything with WebAssembly, ES2020 and Workers (the wasm backend falls back without SIMD). */
const TARGET = ['es2020'];

/** esbuild plugin: `import x from 'playground:<name>'` gives the string `modules[name]`. */
function virtualText(modules) {
  return {
    name: 'playground-virtual',
    setup(build) {
      build.onResolve({ filter: /^playground:/ }, (args) => ({ path: args.path.slice('playground:'.length), namespace: 'playground' }));
      build.onLoad({ filter: /.*/, namespace: 'playground' }, (args) => {
        if (!(args.path in modules)) return { errors: [{ text: `unknown virtual module playground:${args.path}` }] };
        return { contents: modules[args.path], loader: 'text' };
      });
    },
  };
}

async function bundle(entry, plugins = [], options = {}) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: TARGET,
    minify: true,
    legalComments: 'inline',
    charset: 'utf8',
    logLevel: 'silent',
    metafile: true,
    plugins,
    ...options,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const nodeOnly = inputs.filter((p) => p.startsWith('node:'));
  if (nodeOnly.length > 0) throw new Error(`${entry}: the browser bundle pulls in Node modules: ${nodeOnly.join(', ')}`);
  return { code: result.outputFiles[0].text, inputs };
}

/**
 * Makes code safe inside an inline <script> element: "</script" (in strings, where "<\/" means the
 * same) cannot end it early. "<!--" and "<script" could switch the HTML parser into its escaped
 * states, where the real end tag no longer ends the script; none is expected, so they are refused.
 */
export function scriptSafe(code) {
  const risky = /<!--|<script/i.exec(code);
  if (risky) throw new Error(`the page script contains "${risky[0]}" at offset ${risky.index}; it cannot be inlined safely`);
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function styleSafe(css) {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/**
 * Builds the playground page. Returns the file written, its size, and the source files of each bundle.
 * @param {{ outFile?: string, dataFile?: string }} [options]
 */
export async function buildPlayground(options = {}) {
  const outFile = resolve(options.outFile ?? DEFAULT_OUT);
  const csv = readFileSync(options.dataFile ?? DEFAULT_DATA, 'utf8');
  const worker = await bundle(join(ROOT, 'web', 'worker.ts'));
  const page = await bundle(join(ROOT, 'web', 'playground.ts'), [virtualText({ worker: worker.code, dataset: csv })]);

  const require = createRequire(join(ROOT, 'package.json'));
  const uplotCss = readFileSync(join(dirname(require.resolve('uplot/package.json')), 'dist', 'uPlot.min.css'), 'utf8');
  const styles = readFileSync(join(ROOT, 'web', 'styles.css'), 'utf8');
  const template = readFileSync(join(ROOT, 'web', 'index.html'), 'utf8');
  for (const marker of ['<!--@style-->', '<!--@script-->']) {
    if (template.split(marker).length !== 2) throw new Error(`web/index.html: expected the marker ${marker} exactly once`);
  }
  // Replacement functions, not strings: minified code is full of "$&" and "$'".
  const html = template
    .replace('<!--@style-->', () => `<style>\n${styleSafe(uplotCss)}\n${styleSafe(styles)}</style>`)
    .replace('<!--@script-->', () => `<script>\n${scriptSafe(page.code)}</script>`);

  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, outFile);
  return { outFile, bytes: Buffer.byteLength(html), workerInputs: worker.inputs, pageInputs: page.inputs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const r = await buildPlayground({ outFile: process.argv[2] });
    console.log(`playground: ${r.outFile} (${(r.bytes / 1024).toFixed(0)} KiB)`);
  } catch (e) {
    console.error(`build-web: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
