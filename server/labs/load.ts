import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { LabError, type LabIssue } from './issues.ts';
import { curriculumSchema, examSchema, labSchema, type Curriculum, type Exam, type Lab } from './schema.ts';
import { YamlSource } from './yaml-source.ts';

export interface Loaded<T> {
  value: T;
  /** Absolute path of the YAML file. */
  file: string;
  /** The folder relative paths in the file are resolved against. */
  dir: string;
  source: YamlSource;
}

export type LoadedLab = Loaded<Lab>;
export type LoadedExam = Loaded<Exam>;
export type LoadedCurriculum = Loaded<Curriculum>;

/** Zod issues as located lab issues; unknown keys point at the key itself. */
export function zodIssues(source: YamlSource, error: z.ZodError): LabIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      return source.issueAt([...path, key], `unknown field "${issue.keys.join('", "')}"; check the spelling against labs/README.md`, true);
    }
    return source.issueAt(path, issue.message);
  });
}

function parseWith<T>(source: YamlSource, schema: z.ZodType<T>, file: string): Loaded<T> {
  const parsed = schema.safeParse(source.toJS());
  if (!parsed.success) throw new LabError(zodIssues(source, parsed.error));
  return { value: parsed.data, file, dir: dirname(file), source };
}

export async function loadLab(path: string): Promise<LoadedLab> {
  const file = resolve(path);
  return parseWith(await YamlSource.read(file), labSchema, file);
}

export async function loadExam(path: string): Promise<LoadedExam> {
  const file = resolve(path);
  return parseWith(await YamlSource.read(file), examSchema, file);
}

export async function loadCurriculum(path: string): Promise<LoadedCurriculum> {
  const file = resolve(path);
  return parseWith(await YamlSource.read(file), curriculumSchema, file);
}

/** Which kubexam document a parsed file holds, from its apiVersion and kind; undefined for anything else. */
export function documentKind(source: YamlSource): 'Lab' | 'Exam' | 'Curriculum' | undefined {
  const js = source.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
  if (!js || js.apiVersion !== 'kubexam.dev/v1') return undefined;
  return js.kind === 'Lab' || js.kind === 'Exam' || js.kind === 'Curriculum' ? js.kind : undefined;
}
