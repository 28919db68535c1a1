/**
 * Node-only entry point (`unroll/node`): everything in the main entry plus file input and output.
 * The main entry stays free of `node:` imports so that it bundles for the browser.
 */
export * from './index.js';
export { saveModel, loadModel, loadSeq2Seq } from './train/io.js';
export { saveSafetensors, loadSafetensors, MAX_SAFETENSORS_BYTES, saveTfjsModel, loadTfjsModel, MAX_TFJS_FILE_BYTES, saveOnnx } from './interop/files.js';
export { readTextFile, readCsvFrame, readCsvSeries, readWidePanel, writeFileAtomic } from './data/node-io.js';
export { saveForecaster, loadForecaster } from './forecast/io.js';
export { saveLanguageModel, loadLanguageModel, saveTextClassifier, loadTextClassifier, parseLabelledLines } from './text/io.js';
export { savePanelForecaster, loadPanelForecaster, isPanelModelJson, type PanelHistory, type PanelHistorySeries } from './forecast/panel-io.js';
export { fileCheckpoints, readCheckpoint } from './train/checkpoint.js';
export { panelFileCheckpoints, readPanelCheckpoints } from './train/checkpoint-panel.js';
export { runPanelBenchmarkParallel, type ParallelPanelBenchmarkOptions } from './forecast/panel-benchmark-parallel.js';
