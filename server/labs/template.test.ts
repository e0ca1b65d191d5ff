import { describe, expect, it } from 'vitest';
import { findTemplateRefs, render, renderString } from './template.ts';

const params = { name: 'web', replicas: 3, debug: false };

describe('renderString', () => {
  it('keeps the param type when the string is exactly one placeholder', () => {
    expect(renderString('{{ replicas }}', params)).toBe(3);
    expect(renderString('{{replicas}}', params)).toBe(3);
    expect(renderString('{{ debug }}', params)).toBe(false);
  });

  it('substitutes into surrounding text as strings', () => {
    expect(renderString('deploy/{{ name }} x{{ replicas }}', params)).toBe('deploy/web x3');
    expect(renderString('{{ name }}-{{ name }}', params)).toBe('web-web');
    expect(renderString('no placeholders', params)).toBe('no placeholders');
  });

  it('throws on a param that is not declared', () => {
    expect(() => renderString('{{ image }}', params)).toThrow('template {{ image }} names no declared param');
    expect(() => renderString('x-{{ image }}', params)).toThrow(/names no declared param/);
  });

  it('does not reach inherited properties', () => {
    expect(() => renderString('{{ constructor }}', params)).toThrow(/names no declared param/);
    expect(() => renderString('{{ toString }}', params)).toThrow(/names no declared param/);
  });

  it('throws on anything that is not a plain identifier', () => {
    for (const text of ['{{ process.env.HOME }}', 'home={{ process.env.HOME }}', '{{ name | upper }}', '{{ }}', '{{ 1 + 1 }}']) {
      expect(() => renderString(text, params), text).toThrow(/names no declared param/);
    }
  });
});

describe('render', () => {
  it('renders nested objects and arrays, leaving other values alone', () => {
    const manifest = {
      metadata: { name: '{{ name }}', labels: { app: '{{ name }}' } },
      spec: {
        replicas: '{{ replicas }}',
        paused: true,
        template: { spec: { containers: [{ name: '{{ name }}', args: ['--debug={{ debug }}', 7, null] }] } },
      },
    };
    expect(render(manifest, params)).toEqual({
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        paused: true,
        template: { spec: { containers: [{ name: 'web', args: ['--debug=false', 7, null] }] } },
      },
    });
  });

  it('does not change its input', () => {
    const input = { a: ['{{ name }}'] };
    render(input, params);
    expect(input).toEqual({ a: ['{{ name }}'] });
  });

  it('throws from deep inside a value', () => {
    expect(() => render({ a: [{ b: '{{ process.env.HOME }}' }] }, params)).toThrow(/process\.env\.HOME/);
  });
});

describe('findTemplateRefs', () => {
  it('finds references with their field paths', () => {
    const refs = findTemplateRefs({ metadata: { name: '{{ name }}' }, args: ['x', '{{ a }} and {{b}}'] });
    expect(refs).toEqual([
      { path: ['metadata', 'name'], name: 'name' },
      { path: ['args', 1], name: 'a' },
      { path: ['args', 1], name: 'b' },
    ]);
  });

  it('marks expressions that are not identifiers invalid', () => {
    expect(findTemplateRefs({ home: '{{ process.env.HOME }}' })).toEqual([{ path: ['home'], name: 'process.env.HOME', invalid: true }]);
    expect(findTemplateRefs('{{ }}')).toEqual([{ path: [], name: '', invalid: true }]);
  });

  it('finds nothing in values without placeholders', () => {
    expect(findTemplateRefs({ a: 1, b: [true, null], c: 'text { not } one' })).toEqual([]);
  });

  it('finds placeholders in keys, as keyed matches use them', () => {
    expect(findTemplateRefs({ spec: { 'containers[name={{ c }}]': { image: 'x' } } })).toEqual([{ path: ['spec', 'containers[name={{ c }}]'], name: 'c' }]);
  });
});

describe('render of keys', () => {
  it('substitutes params in keys too', () => {
    expect(render({ 'containers[name={{ c }}]': { image: '{{ img }}' } }, { c: 'web', img: 'nginx:1.27' })).toEqual({ 'containers[name=web]': { image: 'nginx:1.27' } });
  });
});
