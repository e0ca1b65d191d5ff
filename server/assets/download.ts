import { createHash } from 'node:crypto';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { KubexamError, describeError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';

/**
 * Downloads `url` into `dest`, checking it against the published `<url>.sha256`. Any failure
 * (unreachable host, HTTP error, checksum mismatch) throws; the caller falls back to a build.
 */
export async function downloadVerified(
  url: string,
  dest: string,
  timeoutMs: number,
  progress: ProgressSink,
  scope: string,
): Promise<void> {
  const expected = (await fetchText(`${url}.sha256`, timeoutMs)).trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new KubexamError('ASSET_CHECKSUM_INVALID', `${url}.sha256 does not hold a sha256 checksum`);
  }
  const response = await fetchOk(url, timeoutMs);
  const total = Number(response.headers.get('content-length') ?? 0);
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let received = 0;
  let lastReport = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    hash.update(chunk);
    received += chunk.length;
    if (total && received - lastReport > total / 20) {
      lastReport = received;
      progress({ scope, message: `downloading ${url}`, fraction: received / total, state: 'update' });
    }
  }
  const actual = hash.digest('hex');
  if (actual !== expected) {
    throw new KubexamError('ASSET_CHECKSUM_MISMATCH', `${url}: sha256 ${actual} does not match the published ${expected}`);
  }
  const tmp = `${dest}.download`;
  await writeFile(tmp, Buffer.concat(chunks));
  await chmod(tmp, 0o755);
  await rename(tmp, dest);
}

async function fetchOk(url: string, timeoutMs: number): Promise<Response> {
  // The timeout bounds reaching the server, not the transfer: a slow link may still finish.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (error) {
    throw new KubexamError('ASSET_DOWNLOAD_FAILED', `cannot reach ${url}: ${describeError(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) {
    throw new KubexamError('ASSET_DOWNLOAD_FAILED', `${url} answered HTTP ${response.status}`);
  }
  return response;
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  return (await fetchOk(url, timeoutMs)).text();
}
