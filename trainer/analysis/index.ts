// Analysis of a distillation run at each evaluation: the student x teacher layer grids of angular
// distance and MSE, the case records of the paper's case analysis, and their files.
export { analyzeBatches, analyzeDataset, datasetBatches, type AnalysisBatch, type AnalyzeOptions, type DatasetBatchOptions } from './analyze';
export { AnalysisAccumulator, type AnalysisResult, type CaseExample, type CaseRecord, type LayerGrid, type StudentAnalysis, type StudentCase } from './accumulate';
export {
  analyzeBatch, distillationStudent, planAnalysis, STUDENT_ROLES,
  type AnalysisModels, type AnalysisOptions, type AnalysisPlan, type AnalysisStudent, type BatchAnalysis, type ModelPrediction, type StudentRole,
} from './batchAnalysis';
export { batchLayerDistances, type BatchLayerDistances, type ExampleGrid } from './layerDistances';
export { DEFAULT_UNPROJECTED_LAYER_POLICY, rowProjections, UNPROJECTED_LAYER_POLICIES, type RowProjection, type UnprojectedLayerPolicy } from './rowProjections';
export { ANALYSIS_FORMAT, ANALYSIS_VERSION, AnalysisFileSchema, type AnalysisFile } from './analysisSchema';
export {
  analysisFileName, DEFAULT_MAX_TEXT_CHARS, listAnalysisFiles, readAnalysisFile, round5, toAnalysisFile, truncateText, writeAnalysisFile,
  type AnalysisFileEntry, type AnalysisFileMeta,
} from './analysisFile';
