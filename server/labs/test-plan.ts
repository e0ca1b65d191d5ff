import { KubexamError, describeError } from '../errors.ts';
import type { ProviderName } from '../clusters/provider.ts';
import type { LoadedLab } from './load.ts';
import type { Capability } from './schema.ts';

/** One author test to run: a lab on a provider, with the params the command line forced. */
export interface PlannedTest {
  loaded: LoadedLab;
  /** The provider to test on; undefined when none can run the lab (then `problem` says why). */
  provider?: ProviderName;
  params: Record<string, string>;
  /** Set when the lab cannot be tested as asked: it is reported as failed, never skipped. */
  problem?: string;
}

export interface TestPlanOptions {
  /** Providers from the lightest to the heaviest. */
  providers: readonly ProviderName[];
  /** The capabilities of a provider; may open it (and fail, e.g. without Docker). */
  capabilitiesOf(provider: ProviderName): Promise<ReadonlySet<Capability>>;
  /** `--provider`: every lab on this one; a lab it cannot run fails (testLab says why). */
  forced?: ProviderName | undefined;
  /** `--only`: keep only the labs whose lightest capable provider is this one. */
  only?: ProviderName | undefined;
  /** `--param name=value`, repeatable; several values of one name test the lab once per value. */
  params: ReadonlyMap<string, readonly string[]>;
}

export interface TestPlan {
  tests: PlannedTest[];
  /** Labs left out by `--only`, with the reason, listed by the command. */
  leftOut: { labId: string; reason: string }[];
}

/**
 * Which labs `kubexam test` runs where. Without `--provider` each lab goes to the lightest
 * provider that has every capability it requires (kwok before kind), so one `kubexam test labs/`
 * covers every lab. A lab no provider can run is planned as a failure naming what is missing.
 */
export async function planTests(labs: readonly LoadedLab[], options: TestPlanOptions): Promise<TestPlan> {
  const declared = new Set(labs.flatMap((l) => Object.keys(l.value.params)));
  const unknown = [...options.params.keys()].filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw new KubexamError('PARAM_UNKNOWN', `--param ${unknown.join(', ')}: no lab under test declares ${unknown.length === 1 ? 'this param' : 'these params'}`);
  }
  const tests: PlannedTest[] = [];
  const leftOut: TestPlan['leftOut'] = [];
  for (const loaded of labs) {
    // `--only` filters by the lightest provider even when `--provider` then forces another.
    const lightest = options.only !== undefined || options.forced === undefined ? await lightestProvider(loaded, options) : undefined;
    if (lightest?.beyondOnly) {
      leftOut.push({ labId: loaded.value.metadata.id, reason: `needs more than ${options.only} (${loaded.value.cluster.requires.join(', ')})` });
      continue;
    }
    if (options.only !== undefined && lightest?.provider !== undefined && lightest.provider !== options.only) {
      leftOut.push({ labId: loaded.value.metadata.id, reason: `runs on ${lightest.provider}` });
      continue;
    }
    const choice = options.forced !== undefined ? { provider: options.forced } : { provider: lightest?.provider, problem: lightest?.problem };
    for (const params of paramMatrix(loaded, options.params)) tests.push({ loaded, params, ...withoutUndefined(choice) });
  }
  return { tests, leftOut };
}

async function lightestProvider(loaded: LoadedLab, options: TestPlanOptions): Promise<{ provider?: ProviderName; problem?: string; beyondOnly: boolean }> {
  const requires = loaded.value.cluster.requires;
  const lacking: string[] = [];
  for (const provider of options.providers) {
    let capabilities: ReadonlySet<Capability>;
    try {
      capabilities = await options.capabilitiesOf(provider);
    } catch (error) {
      return { problem: `${loaded.file}: needs the ${provider} provider (${requires.join(', ')}), which cannot be opened here: ${describeError(error)}`, beyondOnly: false };
    }
    const missing = requires.filter((c) => !capabilities.has(c));
    if (missing.length === 0) return { provider, beyondOnly: false };
    lacking.push(`${provider} lacks ${missing.join(', ')}`);
    // A lab that needs more than the `--only` provider is left out without opening heavier ones;
    // past the heaviest provider it is a failure below instead.
    if (provider === options.only && provider !== options.providers.at(-1)) return { beyondOnly: true };
  }
  return { problem: `${loaded.file}: lab ${loaded.value.metadata.id} requires ${requires.join(', ')}, which no provider offers (${lacking.join('; ')})`, beyondOnly: false };
}

function withoutUndefined(choice: { provider?: ProviderName | undefined; problem?: string | undefined }): Pick<PlannedTest, 'provider' | 'problem'> {
  return { ...(choice.provider !== undefined && { provider: choice.provider }), ...(choice.problem !== undefined && { problem: choice.problem }) };
}

/** Every combination of the forced values of the params this lab declares (one empty set when none). */
function paramMatrix(loaded: LoadedLab, params: ReadonlyMap<string, readonly string[]>): Record<string, string>[] {
  let combinations: Record<string, string>[] = [{}];
  for (const [name, values] of params) {
    if (!Object.hasOwn(loaded.value.params, name)) continue;
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combinations;
}

/** Parses repeated `--param name=value` flags into values per name, in the order given. */
export function parseParamFlags(flags: readonly string[]): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const flag of flags) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(flag);
    if (!match) throw new KubexamError('PARAM_FLAG_INVALID', `--param ${flag}: write it as name=value, e.g. --param cause=kubelet-stopped`);
    const [, name = '', value = ''] = match;
    const values = params.get(name) ?? [];
    if (!values.includes(value)) values.push(value);
    params.set(name, values);
  }
  return params;
}
