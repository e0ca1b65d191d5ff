/**
 * Workload images a lab may use. On kind (no registry on our machines) these are the images
 * kubexam builds and loads into every node; on kwok they are the images that "pull": a pod
 * naming any other image goes to ErrImagePull / ImagePullBackOff, exactly as it would on an
 * offline kind cluster. Labs pin tags from this list and never use `:latest`.
 */
export const workloadImages = [
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
 * whose `nc -w` and `timeout` make the TCP probe. Built and loaded into kind nodes with the
 * workload images.
 */
export const probeImage = 'busybox:1.35';
