/**
 * `{{ name }}` substitution. Deliberately not a template engine (no expressions, helpers or
 * property access): a lab may reach only the params it declares, so nothing an author writes
 * can read the environment, the file system or the cluster through a template.
 */
const placeholder = /\{\{\s*(.*?)\s*\}\}/g;
const identifier = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type ParamValue = string | number | boolean;
export type ParamValues = Readonly<Record<string, ParamValue>>;

export interface TemplateRef {
  /** Field path of the string holding the reference. */
  path: (string | number)[];
  name: string;
  /** Set when the placeholder is not a plain identifier. */
  invalid?: boolean;
}

/** Every `{{ }}` reference in a value, with where it is; used by validation. */
export function findTemplateRefs(value: unknown, path: (string | number)[] = []): TemplateRef[] {
  if (typeof value === 'string') {
    return [...value.matchAll(placeholder)].map((m) => {
      const name = m[1] ?? '';
      return identifier.test(name) ? { path, name } : { path, name, invalid: true };
    });
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findTemplateRefs(v, [...path, i]));
  if (value && typeof value === 'object') {
    // Keys are templates too: `containers[name={{ c }}]` is how a keyed match names a param.
    return Object.entries(value).flatMap(([k, v]) => [...findTemplateRefs(k, [...path, k]), ...findTemplateRefs(v, [...path, k])]);
  }
  return [];
}

/**
 * Substitutes params into every string of `value`. A string that is exactly one placeholder
 * takes the param's own type, so `replicas: "{{ n }}"` yields a number.
 */
export function render<T>(value: T, params: ParamValues): T {
  return renderValue(value, params) as T;
}

function renderValue(value: unknown, params: ParamValues): unknown {
  if (typeof value === 'string') return renderString(value, params);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, params));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [String(renderString(k, params)), renderValue(v, params)]));
  }
  return value;
}

export function renderString(text: string, params: ParamValues): string | ParamValue {
  const whole = /^\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}$/.exec(text);
  if (whole?.[1] !== undefined && Object.hasOwn(params, whole[1])) return params[whole[1]] as ParamValue;
  return text.replace(placeholder, (match, name: string) => {
    if (!identifier.test(name) || !Object.hasOwn(params, name)) {
      throw new Error(`template ${match} names no declared param`);
    }
    return String(params[name]);
  });
}
