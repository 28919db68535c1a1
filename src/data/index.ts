// Browser-safe public pieces of src/data. The Node-only file helpers are in ./node-io.js.
export type { Frame, SeriesSet, JoinInput } from './frame.js';
export { frameLength, getColumn, frameFromArrays, sliceFrame, joinByDate } from './frame.js';
export type { CsvOptions, MissingPolicy } from './csv.js';
export { parseCsvFrame, parseCsvSeries } from './csv.js';
export type { WidePanel, WideOptions, PairedPanel } from './wide.js';
export { parseWidePanel, pairWidePanels } from './wide.js';
export type { FeatureKind, FeatureSpec, FeatureSpecObject, FeatureMatrix } from './features.js';
export { buildFeatures, normalizeFeatures, featureName, matrixColumn } from './features.js';
export type { Span, ScalerKind, ScalerJSON, ScalerOptions, FitOptions, MinMaxScalerJSON, StandardScalerJSON, NoScalerJSON } from './scaler.js';
export { Scaler, MinMaxScaler, StandardScaler, NoScaler, createScaler, scalerFromJSON } from './scaler.js';
export type { TargetKind, WindowOptions, WindowSource, WindowSet } from './windows.js';
export { makeWindows, lastWindow } from './windows.js';
export type { SplitOptions, ChronologicalSplit, WalkForwardOptions, Fold } from './split.js';
export { chronologicalSplit, walkForwardFolds } from './split.js';
export type { Frequency } from './frequency.js';
export { FREQUENCIES, inferFrequency, parseFrequency, futureDates, seasonalPeriod, usablePeriod, stepWord, countOf, aheadWord, nextWord } from './frequency.js';
