import { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { enableDebugLog } from '../log.ts';

/** The root command and its global options; commands read the resulting config through `globalConfig`. */
export const program = new Command('kubexam')
  .description('CKA/CKAD/CKS-style hands-on labs on real Kubernetes, graded by TypeScript graders')
  .option('--cache-dir <dir>', 'where assets are cached (default ~/.cache/kubexam, env KUBEXAM_CACHE_DIR)')
  .option('--data-dir <dir>', 'where cluster state lives (default ~/.local/share/kubexam, env KUBEXAM_DATA_DIR)')
  .option('--debug', 'log every external command line to stderr')
  .exitOverride();

export function globalConfig(): Config {
  const opts = program.opts<{ cacheDir?: string; dataDir?: string; debug?: boolean }>();
  enableDebugLog(Boolean(opts.debug) || process.env['KUBEXAM_DEBUG'] === '1');
  return loadConfig(process.env, {
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
}
