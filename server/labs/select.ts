import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubexamError } from '../errors.ts';
import { formatIssue } from './issues.ts';
import { loadLibrary, type Library } from './library.ts';
import type { LoadedExam, LoadedLab } from './load.ts';

/** The labs that ship with kubexam; searched when no --path is given. */
export const builtinLabsDir = fileURLToPath(new URL('../../labs/', import.meta.url));

/**
 * Loads the library under `paths` and refuses to go on if any file in it is invalid: grading
 * or testing with a half-loaded library would give misleading results.
 */
export async function loadStrictLibrary(paths: readonly string[]): Promise<Library> {
  const { library, issues } = await loadLibrary(paths);
  if (issues.length > 0) {
    throw new KubexamError('LAB_INVALID', `${issues.map(formatIssue).join('\n')}\n(run kubexam lab validate for the full report)`);
  }
  return library;
}

/** A lab named by id, or by the path of its lab.yaml or its folder. */
export async function findLab(library: Library, arg: string): Promise<LoadedLab> {
  const byId = library.labs.get(arg);
  if (byId) return byId;
  const file = await asFile(arg, 'lab.yaml');
  const byFile = [...library.labs.values()].find((l) => l.file === file);
  if (byFile) return byFile;
  throw new KubexamError('LAB_NOT_FOUND', `no lab "${arg}" (by id or path) under the searched paths; known labs: ${[...library.labs.keys()].join(', ') || 'none'}`);
}

export async function findExam(library: Library, arg: string): Promise<LoadedExam> {
  const byId = library.exams.get(arg);
  if (byId) return byId;
  const file = await asFile(arg, '');
  const byFile = [...library.exams.values()].find((e) => e.file === file);
  if (byFile) return byFile;
  throw new KubexamError('EXAM_NOT_FOUND', `no exam "${arg}" (by id or path); known exams: ${[...library.exams.keys()].join(', ') || 'none'}`);
}

async function asFile(arg: string, inDir: string): Promise<string> {
  const path = resolve(arg);
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() && inDir ? resolve(path, inDir) : path;
}

/** Paths to search: those given, or the built-in labs. Labs given by path are searched too. */
export function searchPaths(given: readonly string[] | undefined, extra: readonly string[] = []): string[] {
  const base = given && given.length > 0 ? [...given] : [builtinLabsDir];
  for (const e of extra) if (/[/\\]|\.ya?ml$/.test(e)) base.push(e);
  return base;
}
