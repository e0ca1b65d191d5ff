/**
 * A plausible typo of `word` (two neighbouring letters swapped near the middle), the kind a
 * candidate finds by reading carefully: `nginx` -> `ngnix`, `web` -> `wbe`.
 */
export function typo(word: string): string {
  const chars = [...word];
  const start = Math.max(0, Math.floor(chars.length / 2) - 1);
  for (let offset = 0; offset < chars.length - 1; offset++) {
    const i = (start + offset) % (chars.length - 1);
    const a = chars[i] as string;
    const b = chars[i + 1] as string;
    if (a !== b && /[a-z]/i.test(a) && /[a-z]/i.test(b)) {
      chars[i] = b;
      chars[i + 1] = a;
      return chars.join('');
    }
  }
  return `${word}x`;
}

/** `nginx:1.27` -> `ngnix:1.27`: the repository misspelt, registry and tag kept. */
export function imageTypo(image: string): string {
  const at = image.lastIndexOf('/');
  const prefix = image.slice(0, at + 1);
  const rest = image.slice(at + 1);
  const [repo = rest, ...tag] = rest.split(':');
  return `${prefix}${typo(repo)}${tag.length ? `:${tag.join(':')}` : ''}`;
}
