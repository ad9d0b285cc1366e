// Checkpoints: safetensors, Hugging Face model folders, and the resumable training checkpoint.
export { readSafetensors, writeSafetensors, parseSafetensors, serializeSafetensors, type NamedArray, type LoadedTensor, type TensorToWrite } from './safetensors';
export { readHfFolder, loadHfModel, writeHfFolder, hfConfigJson, type HfFolderContent, type WriteHfFolderOptions } from './hfFolder';
export { expectedHfShapes, hfWeightProblems, modelToHfArrays, assignHfArrays } from './hfWeights';
export { writeNamedTensorsState, readNamedTensorsState, variablesToArrays, assignArraysToVariables } from './namedState';
export { writeTrainingCheckpoint, readTrainingCheckpoint, type TrainingCheckpoint } from './trainingCheckpoint';
