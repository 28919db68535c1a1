/** Writes a rendered report atomically: a temp file beside the target, then a rename. */
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UnrollError } from '../util/errors.js';
import { RENDER_REPORT_RULES, renderReport, type RenderReportOptions } from './html.js';
import type { ReportData } from './types.js';
import { checkOptions } from '../util/options.js';

/** Renders `data` and writes it to `path` (temp file + rename), returning the HTML's size in bytes. */
export function writeReport(path: string, data: ReportData, options: RenderReportOptions = {}): number {
  checkOptions(options, RENDER_REPORT_RULES, { where: 'writeReport' });
  const html = renderReport(data, options);
  const tmp = join(dirname(path), `.unroll-tmp-${process.pid}-${Date.now()}-${basename(path)}`);
  try {
    writeFileSync(tmp, html, 'utf8');
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UnrollError(`cannot write the report to ${path}: ${(err as Error).message}; expected a writable file path`, 'io');
  }
  return Buffer.byteLength(html, 'utf8');
}
