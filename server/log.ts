/**
 * Debug log for command lines and internal steps, off unless enabled at start (KUBEXAM_DEBUG=1).
 * Never log file contents, kubeconfigs or tokens here: only commands, paths and timings.
 */
let enabled = false;

export function enableDebugLog(on: boolean): void {
  enabled = on;
}

export function debug(message: string): void {
  if (enabled) process.stderr.write(`[kubexam] ${message}\n`);
}
