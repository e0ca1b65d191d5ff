import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError, type LabIssue } from './issues.ts';
import { documentKind, loadCurriculum, loadExam, loadLab, type Loaded, type LoadedCurriculum, type LoadedExam, type LoadedLab } from './load.ts';
import { YamlSource } from './yaml-source.ts';

/** Labs, exams and curricula found under some paths, by id. */
export interface Library {
  labs: Map<string, LoadedLab>;
  exams: Map<string, LoadedExam>;
  curricula: Map<string, LoadedCurriculum>;
}

/** The curricula that ship with kubexam (CKA, CKAD, CKS and the historic lists). */
export const builtinCurriculaDir = fileURLToPath(new URL('../../labs/curricula/', import.meta.url));

const marker = /^apiVersion:\s*["']?kubexam\.dev\/v1/m;

async function yamlFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new LabError([{ file: path, line: 1, column: 1, path: '', message: 'no such file or folder' }]);
  if (info.isFile()) return [resolve(path)];
  const out: string[] = [];
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFiles(full)));
    else if (/\.ya?ml$/.test(entry.name)) out.push(resolve(full));
  }
  return out;
}

/**
 * Finds every kubexam document (apiVersion kubexam.dev/v1) under `paths` plus the built-in
 * curricula. Invalid files do not stop the search: their issues are collected and returned,
 * so `kubexam lab validate` reports everything at once.
 */
export async function loadLibrary(paths: readonly string[]): Promise<{ library: Library; issues: LabIssue[] }> {
  const library: Library = { labs: new Map(), exams: new Map(), curricula: new Map() };
  const issues: LabIssue[] = [];
  const files = new Set<string>();
  for (const p of [builtinCurriculaDir, ...paths]) {
    try {
      for (const f of await yamlFiles(p)) files.add(f);
    } catch (error) {
      if (error instanceof LabError) issues.push(...error.issues);
      else throw error;
    }
  }
  for (const file of [...files].sort()) {
    const text = await readFile(file, 'utf8');
    if (!marker.test(text)) continue;
    try {
      const kind = documentKind(YamlSource.parse(text, file));
      if (kind === 'Lab') add(library.labs, await loadLab(file), issues);
      else if (kind === 'Exam') add(library.exams, await loadExam(file), issues);
      else if (kind === 'Curriculum') add(library.curricula, await loadCurriculum(file), issues);
    } catch (error) {
      if (error instanceof LabError) issues.push(...error.issues);
      else throw error;
    }
  }
  return { library, issues };
}

function add<T extends { metadata: { id: string } }>(map: Map<string, Loaded<T>>, loaded: Loaded<T>, issues: LabIssue[]): void {
  const id = loaded.value.metadata.id;
  const existing = map.get(id);
  if (existing && existing.file !== loaded.file) {
    issues.push(loaded.source.issueAt(['metadata', 'id'], `id "${id}" is already used by ${existing.file}; ids must be unique`));
    return;
  }
  map.set(id, loaded);
}
