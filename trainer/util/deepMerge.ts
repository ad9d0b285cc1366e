// Merging JSON config objects: the base with a patch laid over it, objects recursively, arrays and
// plain values replaced. Used by the new-run wizard and by sweeps (base config + each axis level).

export type Json = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `extra` merged in, objects recursively (arrays and values replace). */
export function deepMerge(base: Json, extra: Json | undefined): Json {
  if (!extra) return base;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** `{ a: { b: value } }` for the path "a.b". */
export function patchAt(path: string, value: unknown): Json {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Json;
}
