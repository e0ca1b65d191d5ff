import { summarize, type Summary } from './stats.ts';
import { renderTable } from './table.ts';
import type { TerminalBenchResult } from './terminal-bench.ts';

const s = (ms: number) => (ms / 1000).toFixed(2);
const mib = (kib: number) => (kib / 1024).toFixed(1);
const cells = (m: Summary) => [s(m.median), s(m.min), s(m.max)];

export function promptTable(r: TerminalBenchResult): string {
  const p = r.prompt;
  return renderTable({
    title: `4a. start an exam session to a shell prompt in the browser terminal: Chromium, kwok, ${r.exam}, ${p.runs.length} sessions`,
    headers: ['step', 'median s', 'min', 'max'],
    rows: [
      ['provisioning: POST /api/sessions until the exam page shows Start exam', ...cells(p.provisionMs)],
      ['Start exam clicked until candidate@controlplane shows in xterm', ...cells(p.startToPromptMs)],
      ['total: POST /api/sessions until the prompt', ...cells(p.totalMs)],
    ],
    right: [1, 2, 3],
    notes: [
      `provisioning runs (s): ${p.runs.map((x) => s(x.provisionMs)).join(', ')}; start-to-prompt runs (s): ${p.runs.map((x) => s(x.startToPromptMs)).join(', ')}`,
      'Each run: an instructor POST creates a session (REST, as the admin page does), the candidate\'s exam page opens at once;',
      '  provisioning = kwok cluster create + setup of every task of the exam, seen as the Start exam button.',
      '  Start-to-prompt is timed inside the page (click to the MutationObserver seeing the prompt in .xterm-rows): POST /start,',
      '  the workspace, a terminal ticket, the WebSocket, the bubblewrap sandbox and its API relay, bash reading .bashrc',
      '  (which loads kubectl completion), the prompt rendered. The server is `kubexam serve`, a child process.',
    ],
  });
}

export function wireTable(r: TerminalBenchResult): string {
  const mb = r.bulkBytes / 1e6;
  const rows = r.wire.map((w) => {
    const rate = summarize(w.bulk.map((b) => b.mbPerSecond));
    const secs = summarize(w.bulk.map((b) => b.ms));
    const before = summarize(w.bulk.map((b) => b.rssBeforeKiB));
    const peak = Math.max(...w.bulk.map((b) => b.rssPeakKiB));
    const growth = Math.max(...w.bulk.map((b) => b.rssPeakKiB - b.rssBeforeKiB));
    return [w.server, w.echoMs.median.toFixed(2), w.echoMs.p95.toFixed(2), s(secs.median), rate.median.toFixed(1), `${rate.min.toFixed(1)}-${rate.max.toFixed(1)}`, mib(before.median), mib(peak), `${growth >= 0 ? '+' : ''}${mib(growth)}`];
  });
  const ttyd = 'unavailable' in r.ttyd
    ? [`ttyd: NOT MEASURED, unavailable here (${r.ttyd.unavailable}); the bare node-pty + ws row is the only comparison.`]
    : [
        `ttyd: ${r.ttyd.version}, ${r.ttyd.source}.`,
        '  Not Debian\'s package: Debian bookworm has no ttyd. Same upstream program; upstream\'s own static build (libwebsockets 4.3.3, MbedTLS).',
      ];
  return renderTable({
    title: `4b. terminal servers side by side on the same shell: keystroke echo, ${mb} MB of output, server RSS (Node ws client)`,
    headers: ['server', 'echo ms median', 'p95', `${mb} MB s`, 'MB/s median', 'MB/s range', 'RSS before MiB', 'RSS peak MiB', 'growth MiB'],
    rows,
    right: [1, 2, 3, 4, 5, 6, 7, 8],
    notes: [
      ...ttyd,
      'Same shell for all: the bubblewrap sandbox command kubexam runs for the session (server/terminal/sandbox.ts, its network',
      '  namespace and API relay, the same .bashrc and kubeconfig), started by ttyd and the baseline through a one-line sh exec wrapper.',
      `Client: a Node ws client in the bench process, not a browser: it renders nothing, so no server is slowed by rendering;`,
      '  it ACKs every kubexam OUTPUT frame on arrival; it never sends ttyd a PAUSE. 80x24 for all.',
      `Echo: type "x" at the prompt, time to the first output frame (its echo); then DEL, untimed; ${r.keystrokes} strokes after 20 untimed, per server.`,
      `Bulk: \`head -c ${r.bulkBytes} /dev/zero | tr '\\0' a; echo; echo <marker>\`, timed from Enter to the marker, ${r.wire[0]?.bulk.length ?? 0} runs per server,`,
      '  rounds interleaved across the servers. No newlines, so exactly that many bytes cross the pty.',
      'RSS: VmRSS of the server process only (/proc/<pid>/status every 20 ms; shells and kwok clusters are other processes);',
      '  before = just before Enter (median over runs); peak = highest sample of all runs; growth = largest peak - before of a run.',
      '  The client reads as fast as it can (the bare server, which never waits, barely grows): this is memory with a reader',
      '  that keeps up. A slow reader (a browser busy rendering) is what kubexam\'s flow control is for; not measured here.',
      'Per output byte, kubexam feeds a headless xterm mirror (for reconnect snapshots), appends to the asciicast recording, and',
      `  pauses the pty above 256 KiB unacknowledged. The recording is per shell and stops at its 64 MiB limit${r.bulkBytes > 64 * 1024 * 1024 ? ', which the first' : ''}`,
      `  ${r.bulkBytes > 64 * 1024 * 1024 ? 'run reaches: later runs do not record. ' : ''}ttyd sends each pty read as one frame and reads the pty again once it is written.`,
      '  The bare baseline has none of it: no flow control, no mirror, no recording.',
      `runs in order: ${r.wire.map((w) => `${w.server}: ${w.bulk.map((b) => `${b.mbPerSecond.toFixed(1)} MB/s ${mib(b.rssBeforeKiB)}->${mib(b.rssPeakKiB)} MiB`).join(', ')}`).join('; ')}`,
    ],
  });
}
