import type { ProgressEvent, ProgressSink } from '../progress.ts';

/**
 * Renders progress events on stderr: one rewritten status line on a terminal, plain lines
 * otherwise (CI logs), so that long work (builds, cluster creation, grading) is never silent.
 */
export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let lastPlain = '';
  return (event: ProgressEvent) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    const pct = event.fraction === undefined ? '' : ` ${Math.round(event.fraction * 100)}%`;
    const mark = event.state === 'done' ? '✓' : event.state === 'fail' ? '✗' : '…';
    const line = `${seconds}s ${mark} [${event.scope}] ${event.message}${pct}`;
    if (tty) {
      const width = stream.columns ?? 100;
      stream.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      if (event.state === 'done' || event.state === 'fail') stream.write('\n');
      return;
    }
    // In logs, repeat a line only when it says something new (not just a new percentage).
    const key = `${event.scope} ${event.message}`;
    if (key === lastPlain && event.state === 'update') return;
    lastPlain = key;
    stream.write(`${line}\n`);
  };
}
