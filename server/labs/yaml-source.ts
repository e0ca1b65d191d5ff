import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
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

  static async read(path: string): Promise<YamlSource> {
    const display = path;
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

  /**
   * An issue at `path`, located at the deepest node of the path that exists in the file;
   * with `atKey`, at the last key itself rather than its value (for unknown fields).
   */
  issueAt(path: readonly PropertyKey[], message: string, atKey = false): LabIssue {
    const pos = (atKey && this.keyPosition(path)) || this.position(path);
    return { file: this.file, line: pos.line, column: pos.col, path: formatPath(path), message };
  }

  private keyPosition(path: readonly PropertyKey[]): { line: number; col: number } | undefined {
    const parent = path.length > 1 ? this.doc.getIn(path.slice(0, -1) as (string | number)[], true) : this.doc.contents;
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
    return isNode(pair?.key) && pair.key.range ? this.lines.linePos(pair.key.range[0]) : undefined;
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
