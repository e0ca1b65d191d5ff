import { describe, expect, it } from 'vitest';
import { containerdName } from './node.ts';
import { upstreamVersion, workloadImageTags } from './workload-images.ts';

describe('node image names and versions', () => {
  it('names images as containerd stores them after ctr images import', () => {
    expect(containerdName('busybox:1.35')).toBe('docker.io/library/busybox:1.35');
    expect(containerdName('kubexam/tool:v1')).toBe('docker.io/kubexam/tool:v1');
    expect(containerdName('docker.io/kubexam/local-path-provisioner:v0.0.30')).toBe('docker.io/kubexam/local-path-provisioner:v0.0.30');
    expect(containerdName('registry.k8s.io/pause:3.10.1')).toBe('registry.k8s.io/pause:3.10.1');
    expect(containerdName('localhost/x:1')).toBe('localhost/x:1');
  });

  it('reads the upstream version out of a Debian version, for the tag check', () => {
    expect(upstreamVersion('1:1.35.0-4+deb12u1+b1')).toBe('1.35.0');
    expect(upstreamVersion('1.22.1-9+deb12u9')).toBe('1.22.1');
    expect(workloadImageTags).toEqual(['busybox:1.35', 'nginx:1.22']);
  });
});
