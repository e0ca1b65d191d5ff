import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { KubexamError } from '../errors.ts';

/** Inline YAML rather than a path: it spans lines or starts like a manifest. */
export function isInlineManifest(value: string): boolean {
  return value.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(value);
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a path a lab names (a manifest, a grader) inside the lab folder. Absolute paths,
 * `..` that climbs out, and symlinks that point out are refused: a lab is a self-contained
 * folder that an instructor can hand around and a server can load without trusting it.
 */
export async function resolveInLab(labDir: string, path: string): Promise<string> {
  if (isAbsolute(path)) {
    throw new KubexamError('LAB_PATH_OUTSIDE', `"${path}" is absolute; name files relative to the lab folder`);
  }
  const target = resolve(labDir, path);
  if (!inside(labDir, target)) {
    throw new KubexamError('LAB_PATH_OUTSIDE', `"${path}" leaves the lab folder; keep lab files inside ${labDir}`);
  }
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw new KubexamError('LAB_PATH_MISSING', `"${path}" does not exist in the lab folder`);
  }
  if (!inside(await realpath(labDir), real)) {
    throw new KubexamError('LAB_PATH_OUTSIDE', `"${path}" is a link that leads out of the lab folder`);
  }
  return real;
}
