import { workloadImageTags } from '../node-image/workload-images.ts';

/**
 * Workload images on kind: built from Debian packages and baked into the node image (containerd
 * stores them as `docker.io/library/busybox:1.35`), so every pod naming them starts with no pull.
 * Tags name the Debian package's upstream version honestly: busybox-static 1.35.0, nginx 1.22.1.
 */
export const kindWorkloadImages: readonly string[] = workloadImageTags;

/**
 * Workload images a lab may use. On kind (no registry on our machines) only `kindWorkloadImages`
 * exist; on kwok these are the images that "pull": a pod naming any other image goes to
 * ErrImagePull / ImagePullBackOff, exactly as it would on an offline kind cluster. Labs pin tags
 * from this list and never use `:latest`.
 */
export const workloadImages = [
  ...kindWorkloadImages,
  'busybox:1.36',
  'nginx:1.27',
  'nginx:1.27-alpine',
  'nginx:1.28',
  'httpd:2.4',
  'redis:7.4',
  'postgres:17',
  'registry.k8s.io/pause:3.10.1',
  'registry.k8s.io/coredns/coredns:v1.12.1',
] as const;

/** The same images as written fully qualified (`docker.io/library/nginx:1.27`). */
export function imageAliases(image: string): string[] {
  if (image.includes('/')) return [image];
  return [image, `docker.io/library/${image}`, `library/${image}`];
}

export const pullableImages: readonly string[] = workloadImages.flatMap(imageAliases);

/**
 * The image of the network checks' probe Pods (graders/probe-pod.ts): Debian's busybox-static,
 * whose `nc -w` and `timeout` make the TCP probe. Baked into the kind node image with the
 * workload images. Its `wget -T N` segfaults (exit 139): bound wget with `timeout N wget` instead.
 */
export const probeImage = 'busybox:1.35';
