// `npm run build`: compiles src/ into dist/ (TypeScript, as `tsc -p tsconfig.json` would) and builds the
// browser playground (scripts/build-web.mjs), without ever emptying dist/. Tests, benchmarks and
// worker threads of the same tree may be reading dist/ meanwhile, so:
//  - each output file is written to a temporary name beside it and renamed over the old one (a reader
//    sees the old file or the new one, never half of one); a file whose content is unchanged is left
//    alone;
//  - only afterwards are stale files removed: anything under dist/ that this build did not produce
//    (the output of deleted or renamed sources), then directories left empty.
// A clean build's output is therefore the same set of files, with the same content, as
// `rm -rf dist && tsc -p tsconfig.json && node scripts/build-web.mjs`.
// On a type error nothing is pruned and the playground is not built; the exit status is 2, as tsc's.
// Usage: node scripts/build.mjs   (as a module: prune and writeAtomic, for its test src/build-script.test.ts)
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { buildPlayground } from './build-web.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
/** A temporary file younger than this may belong to a build running beside this one: not pruned. */
const TMP_GRACE_MS = 10 * 60 * 1000;

/** Writes `data` to `file` through a temporary file and a rename; skips the write when nothing changed. */
export function writeAtomic(file, data) {
  if (existsSync(file)) {
    try {
      if (readFileSync(file, 'utf8') === data) return;
    } catch {
      // unreadable: overwrite it
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Compiles the project; returns the files written (absolute paths) and whether there were errors. */
function compile() {
  const host = ts.createCompilerHost({});
  const diagnosticHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => ts.sys.newLine,
  };
  const configPath = join(ROOT, 'tsconfig.json');
  const configDiagnostics = [];
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => configDiagnostics.push(d),
  });
  if (!config) return { written: [], diagnostics: configDiagnostics, host: diagnosticHost };
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
    host,
  });
  const written = [];
  const emit = program.emit(undefined, (fileName, data, writeByteOrderMark) => {
    const file = resolve(fileName);
    writeAtomic(file, writeByteOrderMark ? `\uFEFF${data}` : data);
    written.push(file);
  });
  const diagnostics = ts.sortAndDeduplicateDiagnostics([...configDiagnostics, ...ts.getPreEmitDiagnostics(program), ...emit.diagnostics]);
  return { written, diagnostics, host: diagnosticHost };
}

/**
 * Removes every file under `dir` whose absolute path is not in `keep`, then the directories left empty;
 * returns how many files it removed. A `.tmp` file younger than TMP_GRACE_MS is left alone.
 */
export function prune(dir, keep, now = Date.now()) {
  let removed = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(p);
        if (readdirSync(p).length === 0) rmdirSync(p);
      } else if (!keep.has(p)) {
        if (entry.name.endsWith('.tmp') && now - statSync(p).mtimeMs < TMP_GRACE_MS) continue;
        unlinkSync(p);
        removed++;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return removed;
}

async function main() {
  const { written, diagnostics, host } = compile();
  if (diagnostics.length > 0) {
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    process.stderr.write(format(diagnostics, host));
  }
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
    console.error(`build: ${diagnostics.length} TypeScript diagnostic(s); dist/ was updated but not pruned, the playground not built`);
    process.exit(2);
  }
  try {
    const web = await buildPlayground();
    console.log(`playground: ${web.outFile} (${(web.bytes / 1024).toFixed(0)} KiB)`);
    const keep = new Set([...written, resolve(web.outFile)]);
    const removed = prune(DIST, keep);
    if (removed > 0) console.log(`build: removed ${removed} stale file(s) from ${relative(ROOT, DIST)}/`);
  } catch (e) {
    console.error(`build: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
