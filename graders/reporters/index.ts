import type { GradeReport } from '../types.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderText, type TextOptions } from './text.ts';

export type ReportFormat = 'text' | 'json' | 'junit';

/** A report in one of the formats; `options` concern the text format only. */
export function renderReport(report: GradeReport, format: ReportFormat, options: TextOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(report, options);
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
  }
}

export type { TextOptions } from './text.ts';
