import { describe, expect, it } from 'vitest';
import { parseQuantity, quantitiesEqual } from './quantity.ts';

describe('parseQuantity', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['1024Mi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['100m', 0.1],
    ['0.1', 0.1],
    ['.5', 0.5],
    ['2', 2],
    ['1k', 1000],
    ['1M', 1e6],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1E', 1e18],
    ['250u', 250e-6],
    ['-2', -2],
    [' 3 ', 3],
    [3, 3],
  ] as const)('%s is %d', (input, value) => {
    expect(parseQuantity(input)).toBeCloseTo(value, 12);
  });

  it.each(['', 'abc', '1GB', '1gi', 'Gi', '1 Gi', 'nginx:1.27', '1.2.3'])('%j is not a quantity', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it('is not fooled by non-strings and non-finite numbers', () => {
    expect(parseQuantity(true)).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(parseQuantity({})).toBeUndefined();
    expect(parseQuantity(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseQuantity(Number.NaN)).toBeUndefined();
  });
});

describe('quantitiesEqual', () => {
  it('compares by value across suffixes', () => {
    expect(quantitiesEqual('1Gi', '1024Mi')).toBe(true);
    expect(quantitiesEqual('100m', '0.1')).toBe(true);
    expect(quantitiesEqual('3', 3)).toBe(true);
    expect(quantitiesEqual('1000m', 1)).toBe(true);
    expect(quantitiesEqual('1k', '1e3')).toBe(true);
  });

  it('tolerates float rounding but not a real difference', () => {
    expect(quantitiesEqual('300m', 0.1 + 0.2)).toBe(true);
    expect(quantitiesEqual('1G', '1Gi')).toBe(false);
    expect(quantitiesEqual('100m', '101m')).toBe(false);
    expect(quantitiesEqual('1Ei', '1.0000001Ei')).toBe(false);
  });

  it('is false when either side is not a quantity', () => {
    expect(quantitiesEqual('web', 'web')).toBe(false);
    expect(quantitiesEqual(undefined, '1')).toBe(false);
  });
});
