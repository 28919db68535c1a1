/** Text jobs: tokenizers, next-token language models with baselines, generation (browser-safe; file I/O is in io.ts). */
export { Tokenizer, splitTokens, joinWords, UNK, TOKEN_LEVELS, type TokenLevel, type TokenizerOptions, type TokenizerJSON } from './tokenizer.js';
export { NGramBaselines, BASELINE_NAMES, KN_DISCOUNT, type BaselineName, type NGramJSON } from './baselines.js';
export { sampleToken, softmax as temperatureSoftmax, checkSampling, type SamplingOptions } from './sampling.js';
export { windowStarts, scoringWindows, OneHotBatcher, TokenBatcher, type TokenForm } from './windows.js';
export { type EmbeddingChoice } from './token-input.js';
export { scoreTokens, type Evaluation as LanguageModelEvaluation, type BaselineScore } from './evaluate.js';
export {
  LanguageModel, splitText, LM_FORMAT, LM_VERSION, TEXT_CELLS,
  type LanguageModelOptions, type LanguageModelJSON, type LMEpochLog, type TrainingReport as LMTrainingReport, type GenerateOptions as LMGenerateOptions, type Generation as LMGeneration, type TrainCallbacks as LMTrainCallbacks,
} from './lm.js';
export { TextClassifier, CLASSIFIER_FORMAT, CLASSIFIER_VERSION, type TextClassifierOptions, type ClassifierEvaluation, type Prediction as ClassPrediction } from './classifier.js';
export { oneHotBackend, type OneHotBackend } from './onehot-backend.js';
export { SequenceTagger, TAGGER_FORMAT, TAGGER_VERSION, type SequenceTaggerOptions, type TaggerEvaluation } from './tagger.js';
