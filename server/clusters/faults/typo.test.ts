import { describe, expect, it } from 'vitest';
import { imageTypo, typo } from './typo.ts';

describe('typo', () => {
  it('swaps two neighbouring letters near the middle', () => {
    expect(typo('nginx')).toBe('ngnix');
    expect(typo('web')).toBe('wbe');
    expect(typo('redis')).toBe('reids');
    expect(typo('ab')).toBe('ba');
  });

  it('skips pairs of equal letters and non-letters', () => {
    expect(typo('app')).toBe('pap');
    expect(typo('ab-cd')).toBe('ab-dc');
    // No swappable pair from the middle on, so it wraps to the start.
    expect(typo('web-1')).toBe('ewb-1');
  });

  it('keeps the letters, only their order changes', () => {
    for (const word of ['nginx', 'frontend', 'kube-proxy', 'busybox']) {
      const wrong = typo(word);
      expect(wrong).not.toBe(word);
      expect([...wrong].sort()).toEqual([...word].sort());
    }
  });

  it('appends an x when there is nothing to swap', () => {
    expect(typo('a')).toBe('ax');
    expect(typo('aa')).toBe('aax');
    expect(typo('v1-2')).toBe('v1-2x');
    expect(typo('')).toBe('x');
  });
});

describe('imageTypo', () => {
  it('misspells the repository and keeps the tag', () => {
    expect(imageTypo('nginx:1.27')).toBe('ngnix:1.27');
    expect(imageTypo('nginx')).toBe('ngnix');
  });

  it('keeps the registry, including one with a port', () => {
    expect(imageTypo('registry.k8s.io/pause:3.10')).toBe('registry.k8s.io/pasue:3.10');
    expect(imageTypo('localhost:5000/team/nginx:1.27')).toBe('localhost:5000/team/ngnix:1.27');
    expect(imageTypo('localhost:5000/nginx')).toBe('localhost:5000/ngnix');
  });

  it('keeps a digest', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(imageTypo(`nginx@${digest}`)).toBe(`ngnix@${digest}`);
    expect(imageTypo(`docker.io/library/nginx:1.27@${digest}`)).toBe(`docker.io/library/ngnix:1.27@${digest}`);
  });
});
