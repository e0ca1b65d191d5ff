import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile, chmod, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { silentProgress } from '../progress.ts';
import { findAsset } from './catalog.ts';
import { downloadVerified } from './download.ts';
import { ensureAssets, verifyInstalled } from './install.ts';
import { AssetStore } from './store.ts';

/** A stand-in kubectl: prints the pinned version, as the real one would. */
const fakeKubectl = '#!/bin/sh\necho "Client Version: v1.34.4"\n';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

let server: Server;
let base: string;
const files = new Map<string, string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('release downloads', () => {
  it('install a file whose sha256 matches the published checksum', async () => {
    files.set('/ok/kubectl', fakeKubectl);
    files.set('/ok/kubectl.sha256', `${sha(fakeKubectl)}  kubectl\n`);
    const dest = join(await mkdtemp(join(tmpdir(), 'kubexam-dl-')), 'kubectl');
    await downloadVerified(`${base}/ok/kubectl`, dest, 5000, silentProgress, 'test');
    expect(await readFile(dest, 'utf8')).toBe(fakeKubectl);
  });

  it('refuse a file whose checksum does not match, leaving nothing behind', async () => {
    files.set('/bad/kubectl', `${fakeKubectl}# tampered\n`);
    files.set('/bad/kubectl.sha256', sha(fakeKubectl));
    const dest = join(await mkdtemp(join(tmpdir(), 'kubexam-dl-')), 'kubectl');
    await expect(downloadVerified(`${base}/bad/kubectl`, dest, 5000, silentProgress, 'test')).rejects.toMatchObject({ code: 'ASSET_CHECKSUM_MISMATCH' });
    await expect(readFile(dest)).rejects.toThrow(/ENOENT/);
  });

  it('report an unreachable host or a missing file as a download failure', async () => {
    const dest = join(tmpdir(), 'never');
    await expect(downloadVerified(`${base}/missing/kubectl`, dest, 5000, silentProgress, 'test')).rejects.toMatchObject({ code: 'ASSET_DOWNLOAD_FAILED' });
    await expect(downloadVerified('http://127.0.0.1:1/kubectl', dest, 2000, silentProgress, 'test')).rejects.toMatchObject({ code: 'ASSET_DOWNLOAD_FAILED' });
  });
});

describe('installed assets', () => {
  it('are accepted only at the pinned version', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'kubexam-cache-'));
    const store = new AssetStore(cacheDir);
    const spec = findAsset('kubectl')!;
    await mkdir(store.dirFor(spec), { recursive: true });
    await writeFile(store.pathFor(spec), fakeKubectl);
    await chmod(store.pathFor(spec), 0o755);
    await expect(verifyInstalled(store, spec, 'present')).resolves.toMatchObject({ version: '1.34.4', sha256: sha(fakeKubectl) });
    await writeFile(store.pathFor(spec), '#!/bin/sh\necho "Client Version: v1.33.0"\n');
    await expect(verifyInstalled(store, spec, 'present')).rejects.toMatchObject({ code: 'ASSET_VERSION_MISMATCH' });
  });

  it('without Go and without a reachable release, the error says what to install', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'kubexam-nogo-'));
    const config = loadConfig({}, { cacheDir, releaseBaseUrl: `${base}/nothing-here`, downloadTimeoutSeconds: 2 });
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await expect(ensureAssets({ config, sets: ['kwok'], progress: silentProgress })).rejects.toMatchObject({
        code: 'GO_MISSING',
        message: expect.stringMatching(/Install Go 1\.24 or newer/),
      });
    } finally {
      process.env['PATH'] = path;
    }
  });
});
