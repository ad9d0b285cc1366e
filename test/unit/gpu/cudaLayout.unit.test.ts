// Where setup-native --gpu puts the CUDA wheels' libraries, and its check that every library TensorFlow
// opens is there: cudaTarget on the entry names the NVIDIA wheels pinned by TensorFlow 2.18.1 hold
// (read from the wheels downloaded on this project's machine, `unzip -l`), and missingCudaLibraries on
// a package folder laid out with those names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gpuRequirements } from '../../../trainer/backend/gpuRequirements';
import { cudaTarget, missingCudaLibraries } from '../../../trainer/backend/native/buildBinding';

/** Library entries of the CUDA 12.5 wheels (nvidia-cublas-cu12 12.5.3.2, ..., nvidia-nvjitlink-cu12 12.5.82). */
const wheelEntries = [
  'nvidia/cublas/lib/libcublas.so.12',
  'nvidia/cublas/lib/libcublasLt.so.12',
  'nvidia/cublas/lib/libnvblas.so.12',
  'nvidia/cuda_cupti/lib/libcupti.so.12',
  'nvidia/cuda_cupti/lib/libcheckpoint.so',
  'nvidia/cuda_nvrtc/lib/libnvrtc-builtins.so.12.5',
  'nvidia/cuda_nvrtc/lib/libnvrtc.so.12',
  'nvidia/cuda_runtime/lib/libcudart.so.12',
  'nvidia/cudnn/lib/libcudnn.so.9',
  'nvidia/cudnn/lib/libcudnn_engines_precompiled.so.9',
  'nvidia/cufft/lib/libcufft.so.11',
  'nvidia/curand/lib/libcurand.so.10',
  'nvidia/cusolver/lib/libcusolver.so.11',
  'nvidia/cusparse/lib/libcusparse.so.12',
  'nvidia/nccl/lib/libnccl.so.2',
  'nvidia/nvjitlink/lib/libnvJitLink.so.12',
];
/** Entries that are not libraries TensorFlow needs at run time. */
const otherEntries = [
  'nvidia/cudnn/include/cudnn.h',
  'nvidia/cuda_nvcc/bin/ptxas',
  'nvidia/cuda_nvcc/nvvm/lib64/libnvvm.so',
  'nvidia/__init__.py',
  'nvidia_cudnn_cu12-9.3.0.75.dist-info/METADATA',
];

test("every library of the CUDA wheels lands at deps/nvidia/<name>/lib (TensorFlow's RUNPATH from deps/lib: $ORIGIN/../nvidia/<name>/lib), nothing else does", () => {
  for (const entry of wheelEntries) assert.equal(cudaTarget(entry), entry, entry);
  for (const entry of otherEntries) assert.equal(cudaTarget(entry), undefined, entry);
});

test('the libraries gpuRequirements lists are all among what the wheels hold', () => {
  for (const { soname, dir } of gpuRequirements.cudaLibraries) assert.ok(wheelEntries.includes(`nvidia/${dir}/lib/${soname}`), `${dir}/${soname}`);
});

test('missingCudaLibraries: none when the wheels were laid out, and each missing one by its path', () => {
  const pkg = mkdtempSync(join(tmpdir(), 'lrc-cuda-layout-'));
  try {
    const layOut = (entries: string[]) => {
      for (const entry of entries) {
        const file = join(pkg, 'deps', cudaTarget(entry)!);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, '');
      }
    };
    assert.equal(missingCudaLibraries(pkg).length, gpuRequirements.cudaLibraries.length, 'an empty deps/ misses them all');
    layOut(wheelEntries.filter((e) => !e.includes('/cudnn/') && !e.includes('/nvjitlink/')));
    assert.deepEqual(missingCudaLibraries(pkg), ['nvidia/cudnn/lib/libcudnn.so.9', 'nvidia/nvjitlink/lib/libnvJitLink.so.12']);
    layOut(wheelEntries);
    assert.deepEqual(missingCudaLibraries(pkg), []);
  } finally {
    rmSync(pkg, { recursive: true, force: true });
  }
});
