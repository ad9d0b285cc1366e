// A wheel's METADATA (in <name>-<version>.dist-info/): the TensorFlow version it really is, and its
// requirements (the CUDA wheels of the "and-cuda" extra).
import { UserError } from '../../errors';
import { listEntries, readEntryText } from './wheelArchive';

export interface WheelMetadata {
  name: string;
  version: string;
  text: string;
}

export function parseMetadata(text: string): { name?: string; version?: string } {
  const field = (key: string) => new RegExp(`^${key}:\\s*(.+)$`, 'm').exec(text)?.[1].trim();
  return { name: field('Name'), version: field('Version') };
}

export async function wheelMetadata(wheel: string): Promise<WheelMetadata> {
  let entries: string[];
  try {
    entries = await listEntries(wheel);
  } catch (err) {
    throw new UserError(`${wheel}: not a readable wheel (zip): ${(err as Error).message}`);
  }
  const name = entries.find((e) => /^[^/]+\.dist-info\/METADATA$/.test(e));
  const text = name ? await readEntryText(wheel, name) : undefined;
  const parsed = text ? parseMetadata(text) : {};
  if (!text || !parsed.version || !parsed.name || !/^tensorflow([-_]cpu)?$/i.test(parsed.name)) {
    throw new UserError(`${wheel}: not a TensorFlow wheel (its METADATA names ${parsed.name ?? 'nothing'})`);
  }
  return { name: parsed.name, version: parsed.version, text };
}
