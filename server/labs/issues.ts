import { KubexamError } from '../errors.ts';

/** One problem in a lab, exam or curriculum file, located for the author. */
export interface LabIssue {
  file: string;
  line: number;
  column: number;
  /** Field path in the document, e.g. `checks[2].with.kind`. */
  path: string;
  message: string;
}

export function formatIssue(issue: LabIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Thrown when lab input is invalid; carries every issue found, not only the first. */
export class LabError extends KubexamError {
  readonly issues: readonly LabIssue[];

  constructor(issues: readonly LabIssue[]) {
    super('LAB_INVALID', issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
