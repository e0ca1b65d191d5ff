/** A plain-text table: a title line, a header row, a rule, and rows padded to the widest cell. */
export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  /** Columns (by index) aligned right, usually the numbers. */
  right?: readonly number[];
  notes?: string[];
}

export function renderTable(table: Table): string {
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (table.right?.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('   ');
  const notes = (table.notes ?? []).map((n) => `  ${n}`);
  return [`== ${table.title}`, '', `  ${line(table.headers)}`, `  ${rule}`, ...table.rows.map((r) => `  ${line(r)}`), ...(notes.length ? ['', ...notes] : []), ''].join('\n');
}
