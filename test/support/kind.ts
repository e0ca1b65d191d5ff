import { requireDocker } from '../../server/exec/docker.ts';

const dockerAvailable = await requireDocker().then(
  () => true,
  () => false,
);

/**
 * Whether the kind tests are left out: only on a developer machine without Docker. In CI
 * (`CI=true`) they always run, and fail if Docker is missing, so a broken engine cannot pass as
 * skipped tests. Use as `describe.skipIf(skipKindTests)(...)`.
 */
export const skipKindTests = !dockerAvailable && process.env['CI'] !== 'true';
