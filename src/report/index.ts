/** The HTML forecast report (CLI layer): types, rendering, and writing to a file. */
export type {
  ReportData, ReportDetail, DatedSeries, PriceSection, FutureForecast, LossSection, MetricRole, MetricRow, GradientSection,
} from './types.js';
export { renderReport, type RenderReportOptions } from './html.js';
export { writeReport } from './write.js';
export { validateReportData } from './validate.js';
export { beatsNaiveSentence, directionSentence } from './format.js';
