/**
 * A plausible typo of `word` (two neighbouring letters swapped near the middle), the kind a
 * candidate finds by reading carefully: `nginx` -> `ngnix`, `web` -> `wbe`.
 */
export function typo(word: string): string {
  const chars = [...word];
  const start = Math.floor(chars.length / 2);
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

/** `nginx:1.27` -> `ngnix:1.27`: the repository misspelt, registry, tag and digest kept. */
export function imageTypo(image: string): string {
  const digestAt = image.indexOf('@');
  const name = digestAt < 0 ? image : image.slice(0, digestAt);
  const digest = digestAt < 0 ? '' : image.slice(digestAt);
  const at = name.lastIndexOf('/');
  const prefix = name.slice(0, at + 1);
  const rest = name.slice(at + 1);
  const [repo = rest, ...tag] = rest.split(':');
  return `${prefix}${typo(repo)}${tag.length ? `:${tag.join(':')}` : ''}${digest}`;
}
