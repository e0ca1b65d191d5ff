import type { SessionSummary, SessionView } from '../http/contract.ts';
import type { Library } from '../labs/library.ts';
import type { SessionManager } from './manager.ts';
import type { SessionRow } from './store.ts';

export function summary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    candidate: row.candidate,
    title: row.title,
    kind: row.kind,
    mode: row.mode,
    state: row.state,
    createdAt: row.createdAt,
    deadlineAt: row.deadlineAt,
    scorePercent: row.scorePercent,
    passed: row.passed,
  };
}

/** What the exam page shows: tasks with params drawn, flags, notes, the clock. */
export async function sessionView(manager: SessionManager, library: Library, row: SessionRow): Promise<SessionView> {
  const prepared = await manager.prepared(row);
  const curriculumId = row.kind === 'exam' ? library.exams.get(row.targetId)?.value.metadata.curriculum : prepared[0]?.lab.metadata.curriculum;
  const curriculum = library.curricula.get(curriculumId ?? '')?.value;
  const flags = manager.store.flags(row.id);
  const passPercent = row.kind === 'exam' ? (library.exams.get(row.targetId)?.value.metadata.passPercent ?? 66) : 66;
  return {
    ...summary(row),
    curriculum: { id: curriculum?.metadata.id ?? '', title: curriculum?.metadata.title ?? '', version: curriculum?.metadata.version ?? '' },
    durationMinutes: row.durationMinutes,
    passPercent,
    tasks: prepared.map((p, index) => {
      const m = p.lab.metadata;
      return {
        index,
        labId: m.id,
        title: m.title,
        domain: m.domain,
        domainTitle: curriculum?.domains.find((d) => d.id === m.domain)?.title ?? m.domain,
        points: m.points,
        task: p.lab.task,
        hints: row.mode === 'practice' ? p.lab.hints : [],
        flagged: flags.get(m.id) ?? false,
      };
    }),
    notes: row.notes,
    serverNow: new Date().toISOString(),
    terminals: await manager.terminals(row),
    error: row.error,
  };
}
