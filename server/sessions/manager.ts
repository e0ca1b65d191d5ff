import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeClient } from '../../graders/kube.ts';
import type { GradeReport } from '../../graders/types.ts';
import { createHash } from 'node:crypto';
import type { NodeAccess } from '../clusters/node-access.ts';
import type { ClusterInfo, ClusterProvider, ProviderName } from '../clusters/provider.ts';
import { KubexamError, describeError } from '../errors.ts';
import type { CreateSessionRequest, SessionState } from '../http/contract.ts';
import { gradeExamReport, gradeLabReport } from '../labs/grade.ts';
import { prepareLab, requireCapabilities, setupLab, type PreparedLab } from '../labs/lab-run.ts';
import type { Library } from '../labs/library.ts';
import type { LoadedLab } from '../labs/load.ts';
import { newSeed } from '../labs/params.ts';
import type { ProgressEvent } from '../progress.ts';
import type { EventHub } from './event-hub.ts';
import { SessionStore, liveStates, type SessionRow } from './store.ts';
import { hashToken, newId, newToken } from './tokens.ts';

export interface SessionManagerOptions {
  store: SessionStore;
  library: Library;
  hub: EventHub;
  /** Where sessions run by default (kwok). */
  provider: ClusterProvider;
  /**
   * Real nodes (kind), for sessions whose labs require what `provider` lacks (node-shell,
   * pod-logs, network-traffic); absent when the server runs without Docker.
   */
  nodeProvider?: ClusterProvider | undefined;
  kubectlBinary: string;
  dataDir: string;
  /** Overall grading time limit. */
  gradeBudgetSeconds: number;
}

const alertMinutes = [30, 15, 5] as const;

/**
 * The session lifecycle of DESIGN.md: provisioning -> ready -> running -> submitted ->
 * grading -> graded -> closed (or failed). The deadline lives here, on the server: at the
 * deadline the session is graded as it stands, whatever the browser does. Everything that
 * must survive a restart is in the store; timers are re-armed by `resume()`.
 */
export class SessionManager {
  private readonly o: SessionManagerOptions;
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly grading = new Map<string, Promise<SessionRow>>();
  private readonly endListeners: ((id: string) => Promise<void>)[] = [];

  /** Marks this data dir's session clusters, so a server never reaps another server's (see `reap`). */
  readonly clusterPrefix: string;

  constructor(options: SessionManagerOptions) {
    this.o = options;
    this.clusterPrefix = `s-${createHash('sha256').update(options.dataDir).digest('hex').slice(0, 6)}-`;
  }

  /** Called when a session stops running for good (submitted, closed, failed): shells end there. */
  onSessionEnd(listener: (id: string) => Promise<void>): void {
    this.endListeners.push(listener);
  }

  private async ended(id: string): Promise<void> {
    for (const listener of this.endListeners) await listener(id).catch(() => undefined);
  }

  get store(): SessionStore {
    return this.o.store;
  }

  /** Creates a session and starts provisioning its cluster in the background. */
  create(request: CreateSessionRequest): { row: SessionRow; token: string } {
    const target = this.resolveTarget(request);
    const provider = this.chooseProvider(target);
    const token = newToken();
    const id = newId();
    const now = new Date().toISOString();
    this.o.store.insert({
      id,
      kind: target.kind,
      targetId: target.id,
      title: target.title,
      candidate: request.candidate,
      mode: request.mode ?? 'exam',
      tokenHash: hashToken(token),
      state: 'provisioning',
      seed: request.seed ?? newSeed(),
      provider: provider.name,
      clusterName: `${this.clusterPrefix}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 40),
      durationMinutes: request.durationMinutes ?? target.durationMinutes,
      createdAt: now,
    });
    this.o.store.addEvent(id, 'state', 'session created', { candidate: request.candidate, target: target.id });
    void this.provision(id);
    return { row: this.o.store.get(id) as SessionRow, token };
  }

  get(id: string): SessionRow {
    const row = this.o.store.get(id);
    if (!row) throw new KubexamError('SESSION_NOT_FOUND', `no session ${id}`);
    return row;
  }

  /** The labs of a session, in task order. */
  labs(row: Pick<SessionRow, 'id' | 'kind' | 'targetId'>): LoadedLab[] {
    const ids = row.kind === 'exam' ? (this.o.library.exams.get(row.targetId)?.value.tasks ?? []) : [row.targetId];
    return ids.map((id) => {
      const lab = this.o.library.labs.get(id);
      if (!lab) throw new KubexamError('LAB_NOT_FOUND', `session ${row.id}: lab ${id} is no longer in the library`);
      return lab;
    });
  }

  /** The session's labs with its params drawn: what the candidate reads. */
  async prepared(row: SessionRow): Promise<PreparedLab[]> {
    const cluster = await this.cluster(row);
    const nodes = cluster?.nodes ?? { controlPlanes: [], workers: [] };
    return this.labs(row).map((l) => prepareLab(l, row.seed, nodes));
  }

  async cluster(row: SessionRow): Promise<ClusterInfo | undefined> {
    return row.clusterName ? this.providerOf(row).get(row.clusterName) : undefined;
  }

  /** A shell on the session's nodes, when its provider has real ones (kind). */
  async nodeAccess(row: SessionRow): Promise<NodeAccess | undefined> {
    const provider = this.providerOf(row);
    if (!row.clusterName || !provider.nodeAccess || !(await provider.get(row.clusterName))) return undefined;
    return provider.nodeAccess(row.clusterName);
  }

  /** The terminal tabs of a session: the workstation `shell`, and a root shell per node where nodes are real. */
  async terminals(row: SessionRow): Promise<string[]> {
    const provider = this.providerOf(row);
    const cluster = provider.capabilities.has('node-shell') ? await this.cluster(row) : undefined;
    return ['shell', ...(cluster ? [...cluster.nodes.controlPlanes, ...cluster.nodes.workers] : [])];
  }

  /** Starts the clock. Idempotent: a running session keeps its deadline. */
  start(id: string): SessionRow {
    const row = this.get(id);
    if (row.state === 'running') return row;
    if (row.state !== 'ready') throw new KubexamError('SESSION_STATE', `session is ${row.state}; it can start only when ready`);
    const now = Date.now();
    const updated = this.transition(id, 'running', {
      startedAt: new Date(now).toISOString(),
      deadlineAt: new Date(now + row.durationMinutes * 60_000).toISOString(),
    });
    this.armTimers(updated);
    return updated;
  }

  setNotes(id: string, text: string): void {
    const row = this.get(id);
    this.requireOpen(row);
    this.o.store.update(id, { notes: text });
  }

  setFlag(id: string, labId: string, flagged: boolean): void {
    const row = this.get(id);
    this.requireOpen(row);
    if (!this.labs(row).some((l) => l.value.metadata.id === labId)) throw new KubexamError('TASK_NOT_FOUND', `session ${id} has no task ${labId}`);
    this.o.store.setFlag(id, labId, flagged);
  }

  /** Submits and grades; resolves when the report is stored. Grading twice at once is one grading. */
  submit(id: string, reason: 'candidate' | 'deadline' | 'resume' = 'candidate'): Promise<SessionRow> {
    const pending = this.grading.get(id);
    if (pending) return pending;
    const row = this.get(id);
    if (row.state === 'graded') return Promise.resolve(row);
    if (!['running', 'submitted', 'grading', 'ready'].includes(row.state)) {
      return Promise.reject(new KubexamError('SESSION_STATE', `session is ${row.state}; there is nothing to submit`));
    }
    const job = this.grade(row, reason).finally(() => this.grading.delete(id));
    this.grading.set(id, job);
    return job;
  }

  /** The report, with expected/actual/path removed for a candidate in exam mode. */
  result(id: string, candidate: boolean): GradeReport {
    const row = this.get(id);
    if (row.state !== 'graded' || !row.report) throw new KubexamError('RESULT_NOT_READY', `session is ${row.state}; the result exists once it is graded`);
    const report = row.report as GradeReport;
    if (!candidate || row.mode === 'practice') return report;
    return {
      ...report,
      tasks: report.tasks.map((t) => ({ ...t, checks: t.checks.map(({ expected: _e, actual: _a, path: _p, ...rest }) => rest) })),
    };
  }

  /** Closes a session and deletes its cluster. */
  async close(id: string): Promise<SessionRow> {
    const row = this.get(id);
    this.clearTimers(id);
    await this.ended(id);
    await this.deleteCluster(row);
    return this.transition(id, 'closed');
  }

  /**
   * After a restart: re-arm the timers of running sessions (grading those whose deadline
   * passed while the server was down), finish interrupted gradings, fail interrupted
   * provisioning, and delete clusters that no live session owns.
   */
  async resume(): Promise<void> {
    for (const row of this.o.store.live()) {
      if (row.state === 'provisioning') {
        await this.deleteCluster(row);
        this.fail(row.id, 'the server restarted while this session was being provisioned; start a new session');
        continue;
      }
      const cluster = await this.cluster(row);
      if (!cluster) {
        this.fail(row.id, `cluster ${row.clusterName} is gone`);
        continue;
      }
      if (row.state === 'running' && row.deadlineAt && Date.parse(row.deadlineAt) > Date.now()) this.armTimers(row);
      else if (row.state !== 'ready') void this.submit(row.id, 'resume').catch(() => undefined);
    }
    await this.reap();
  }

  /**
   * Deletes session clusters (named `s-<this data dir's mark>-...`) that no live session owns:
   * those with a record, and on a provider that can find clusters without one (kind, by its
   * container label) also those whose record was lost. Other servers' clusters on the same Docker
   * engine carry another mark and are left alone.
   */
  async reap(): Promise<string[]> {
    const owned = new Set(this.o.store.live().map((r) => r.clusterName));
    const reaped: string[] = [];
    for (const provider of this.providers()) {
      const names = new Set((await provider.list()).map((c) => c.name));
      for (const name of (await provider.orphans?.()) ?? []) names.add(name);
      for (const name of names) {
        if (!name.startsWith(this.clusterPrefix) || owned.has(name)) continue;
        await provider.delete(name).catch(() => undefined);
        reaped.push(name);
      }
    }
    return reaped;
  }

  shutdown(): void {
    for (const id of this.timers.keys()) this.clearTimers(id);
  }

  private providers(): ClusterProvider[] {
    return this.o.nodeProvider ? [this.o.provider, this.o.nodeProvider] : [this.o.provider];
  }

  private providerOf(row: Pick<SessionRow, 'provider'>): ClusterProvider {
    return this.providers().find((p) => p.name === row.provider) ?? this.o.provider;
  }

  /** The default provider if it has every capability the labs require, else the node provider; refused up front otherwise. */
  private chooseProvider(target: { kind: 'exam' | 'lab'; id: string }): ClusterProvider {
    const labs = this.labs({ id: 'new', kind: target.kind, targetId: target.id });
    const fits = (p: ClusterProvider) => labs.every((l) => l.value.cluster.requires.every((c) => p.capabilities.has(c)));
    const provider = this.providers().find(fits);
    if (provider) return provider;
    const needed = [...new Set(labs.flatMap((l) => l.value.cluster.requires))].filter((c) => !this.o.provider.capabilities.has(c));
    const why = this.o.nodeProvider
      ? `the ${this.o.nodeProvider.name} provider lacks some of them too`
      : 'this server runs without a provider of real nodes: start it where Docker runs (kubexam serve --node-provider kind)';
    throw new KubexamError('CAPABILITY_MISSING', `${target.kind} ${target.id} requires ${needed.join(', ')}, which the ${this.o.provider.name} provider lacks; ${why}`);
  }

  private resolveTarget(request: CreateSessionRequest): { kind: 'exam' | 'lab'; id: string; title: string; durationMinutes: number } {
    if (Boolean(request.examId) === Boolean(request.labId)) throw new KubexamError('REQUEST_INVALID', 'give exactly one of examId or labId');
    if (request.examId) {
      const exam = this.o.library.exams.get(request.examId);
      if (!exam) throw new KubexamError('EXAM_NOT_FOUND', `no exam ${request.examId}; GET /api/exams lists them`);
      return { kind: 'exam', id: request.examId, title: exam.value.metadata.title, durationMinutes: exam.value.metadata.durationMinutes };
    }
    const lab = this.o.library.labs.get(request.labId as string);
    if (!lab) throw new KubexamError('LAB_NOT_FOUND', `no lab ${request.labId}; GET /api/labs lists them`);
    return { kind: 'lab', id: lab.value.metadata.id, title: lab.value.metadata.title, durationMinutes: Math.max(5, Math.ceil(lab.value.metadata.minutes * 2)) };
  }

  private progress(id: string, event: ProgressEvent): void {
    this.o.store.addEvent(id, 'provisioning', `[${event.scope}] ${event.message}`, event);
    this.o.hub.publish(id, { type: 'progress', data: event });
  }

  private async provision(id: string): Promise<void> {
    const row = this.get(id);
    try {
      const labs = this.labs(row);
      const provider = this.providerOf(row);
      for (const l of labs) requireCapabilities(l.value, provider, l.file);
      const workers = Math.max(...labs.map((l) => l.value.cluster.workers));
      const progress = (e: ProgressEvent) => this.progress(id, e);
      const cluster = await provider.create({ name: row.clusterName as string, controlPlanes: 1, workers }, progress);
      const kube = new KubeClient(cluster.kubeconfig);
      const nodes = await this.nodeAccess(row);
      for (const l of labs) {
        const prepared = prepareLab(l, row.seed, cluster.nodes);
        await setupLab(prepared, { cluster, kube, kubectlBinary: this.o.kubectlBinary, progress, nodes });
      }
      await mkdir(this.homeDir(id), { recursive: true, mode: 0o700 });
      this.progress(id, { scope: 'session', message: 'your cluster is ready', state: 'done' });
      if (this.get(id).state === 'provisioning') this.transition(id, 'ready');
    } catch (error) {
      await this.deleteCluster(row);
      this.fail(id, describeError(error));
    }
  }

  /** The candidate's scratch home, kept with the session. */
  homeDir(id: string): string {
    return join(this.o.dataDir, 'sessions', id, 'home');
  }

  private async grade(row: SessionRow, reason: string): Promise<SessionRow> {
    this.clearTimers(row.id);
    if (row.state !== 'submitted' && row.state !== 'grading') {
      this.transition(row.id, 'submitted', { submittedAt: new Date().toISOString() });
      this.o.store.addEvent(row.id, 'submit', `submitted (${reason})`);
    }
    // Graded as it stands: the candidate's shells end before the checks read the cluster.
    await this.ended(row.id);
    this.transition(row.id, 'grading');
    try {
      const cluster = await this.cluster(row);
      if (!cluster) throw new KubexamError('CLUSTER_NOT_FOUND', `cluster ${row.clusterName} is gone`);
      const nodes = await this.nodeAccess(row);
      const options = {
        kubeconfigs: new Map([['*', cluster.kubeconfig]]),
        ...(nodes ? { nodes: new Map([['*', nodes]]) } : {}),
        seed: row.seed,
        budgetSeconds: this.o.gradeBudgetSeconds,
        progress: (e: ProgressEvent) => this.progress(row.id, e),
      };
      const report =
        row.kind === 'exam'
          ? await gradeExamReport(this.o.library, this.o.library.exams.get(row.targetId) as NonNullable<ReturnType<Library['exams']['get']>>, options)
          : await gradeLabReport(this.o.library, this.labs(row)[0] as LoadedLab, { ...options, passPercent: 66 });
      const graded = this.o.store.saveReport(row.id, report, new Date().toISOString());
      this.o.store.addEvent(row.id, 'grade', `graded: ${report.scorePercent}% (${report.passed ? 'passed' : 'failed'})`);
      this.publishState(graded);
      await this.deleteCluster(graded);
      return graded;
    } catch (error) {
      this.fail(row.id, `grading failed: ${describeError(error)}`);
      throw error;
    }
  }

  private armTimers(row: SessionRow): void {
    this.clearTimers(row.id);
    if (!row.deadlineAt) return;
    const deadline = Date.parse(row.deadlineAt);
    const timers: NodeJS.Timeout[] = [];
    for (const minutes of alertMinutes) {
      const at = deadline - minutes * 60_000;
      if (at > Date.now()) {
        timers.push(
          setTimeout(() => {
            this.o.store.addEvent(row.id, 'alert', `${minutes} minutes left`);
            this.o.hub.publish(row.id, { type: 'alert', data: { minutesLeft: minutes } });
          }, at - Date.now()),
        );
      }
    }
    timers.push(setTimeout(() => void this.submit(row.id, 'deadline').catch(() => undefined), Math.max(0, deadline - Date.now())));
    for (const t of timers) t.unref();
    this.timers.set(row.id, timers);
  }

  private clearTimers(id: string): void {
    for (const t of this.timers.get(id) ?? []) clearTimeout(t);
    this.timers.delete(id);
  }

  private requireOpen(row: SessionRow): void {
    if (!['provisioning', 'ready', 'running'].includes(row.state)) throw new KubexamError('SESSION_STATE', `session is ${row.state}; it can no longer change`);
  }

  private transition(id: string, state: SessionState, patch: Partial<SessionRow> = {}): SessionRow {
    const row = this.o.store.update(id, { ...patch, state });
    this.o.store.addEvent(id, 'state', state);
    this.publishState(row);
    return row;
  }

  private publishState(row: SessionRow): void {
    this.o.hub.publish(row.id, { type: 'state', data: { state: row.state, deadlineAt: row.deadlineAt, error: row.error } });
  }

  private fail(id: string, error: string): void {
    this.clearTimers(id);
    void this.ended(id);
    this.transition(id, 'failed', { error });
  }

  private async deleteCluster(row: SessionRow): Promise<void> {
    const provider = this.providerOf(row);
    if (row.clusterName && (await provider.get(row.clusterName))) await provider.delete(row.clusterName).catch(() => undefined);
  }

  /** For tests and the admin API: the provider sessions run on by default. */
  get providerName(): ProviderName {
    return this.o.provider.name;
  }
}

export { liveStates };
