import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { formatPath, LabError, type LabIssue } from './issues.ts';

/** A parsed YAML file that can say where any field path sits in the text. */
export class YamlSource {
  readonly file: string;
  readonly doc: Document;
  private readonly lines: LineCounter;

  private constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
  }

  static parse(text: string, file: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const source = new YamlSource(file, doc, lines);
    if (doc.errors.length > 0) {
      throw new LabError(
        doc.errors.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
        }),
      );
    }
    return source;
  }

  static async read(path: string, displayRoot = process.cwd()): Promise<YamlSource> {
    const display = relative(displayRoot, path) || path;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new LabError([{ file: display, line: 1, column: 1, path: '', message: `cannot read file (${(error as Error).message})` }]);
    }
    return YamlSource.parse(text, display);
  }

  toJS(): unknown {
    return this.doc.toJS();
  }

  /** An issue at `path`, located at the deepest node of the path that exists in the file. */
  issueAt(path: readonly PropertyKey[], message: string): LabIssue {
    const pos = this.position(path);
    return { file: this.file, line: pos.line, column: pos.col, path: formatPath(path), message };
  }

  private position(path: readonly PropertyKey[]): { line: number; col: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const keys = path.slice(0, depth) as (string | number)[];
      const node = depth === 0 ? this.doc.contents : this.doc.getIn(keys, true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  }
}
