/**
 * The one error type kubexam throws on purpose. `code` is stable and machine-readable; the
 * message says what went wrong and what to do. The CLI prints `code: message`; the HTTP layer
 * maps codes to statuses at the edge.
 */
export class KubexamError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubexamError';
    this.code = code;
  }
}

export function isKubexamError(error: unknown): error is KubexamError {
  return error instanceof KubexamError;
}

/** The message of anything thrown, for reports that must never crash on a weird value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
