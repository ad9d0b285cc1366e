// Parameters and size on disk of an exported model, f32 and f16, from its model.safetensors: the file
// re-encoded in memory both ways (as `export --dtype` writes it), so the sizes are those of the files a
// user would ship, header included.
import { readSafetensors, serializeSafetensors, isFloatDtype, type TensorToWrite } from '../checkpoint/safetensors';

export interface ModelSize {
  parameters: { total: number; word: number };
  size: { f32Bytes: number; f16Bytes: number };
}

export function modelSize(file: string): ModelSize {
  const { tensors, metadata } = readSafetensors(file);
  let total = 0;
  let word = 0;
  const as = (dtype: 'F32' | 'F16') => new Map<string, TensorToWrite>([...tensors].map(([n, t]) => [n, { shape: t.shape, values: t.values, dtype: isFloatDtype(t.dtype) ? dtype : t.dtype === 'I64' ? 'I64' : 'I32' }]));
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    total += n;
    if (name.includes('word_embeddings')) word += n;
  }
  return { parameters: { total, word }, size: { f32Bytes: serializeSafetensors(as('F32'), metadata).length, f16Bytes: serializeSafetensors(as('F16'), metadata).length } };
}
