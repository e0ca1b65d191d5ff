import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  type ResponseContext,
  type V1SubjectAccessReviewSpec,
} from '@kubernetes/client-node';
import { KubexamError } from '../server/errors.ts';

/** The object was not there: a fact about the cluster, graded as such. */
export class NotFound extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFound';
  }
}

/**
 * The API server answered that there are no such logs (the container is still waiting, a
 * `previous` instance never existed, no container by that name): a fact, graded as `fail`.
 */
export class LogsUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogsUnavailable';
  }
}

/** We could not talk to the API (down, refused, timed out, 5xx): a check becomes `error`. */
export class KubeUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeUnavailable';
  }
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type KubeObject = KubernetesObject & Record<string, unknown>;

/**
 * client-node's generic object API, minus its model mapping: it turns objects into its own
 * classes, renaming fields that clash with JavaScript words (NetworkPolicy `from` becomes
 * `_from`, LimitRange `default` becomes `_default`) and timestamps into Dates. Graders compare
 * against the YAML an author wrote, so they get the API server's JSON as it is.
 */
class RawObjectApi extends KubernetesObjectApi {
  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(text) as T;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A non-JSON error body (a proxy's HTML page) is kept as text.
    }
    throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', body, response.headers);
  }
}

/**
 * Access to one cluster for graders, which read and never change what the candidate made. Two
 * writes exist: the SubjectAccessReview, which asks a question and stores nothing, and the
 * network checks' probe Pods, created and deleted again by `runProbePod` (graders/probe-pod.ts).
 */
export class KubeClient {
  private readonly objects: RawObjectApi;
  private readonly authz: AuthorizationV1Api;
  private readonly core: CoreV1Api;
  private readonly requestTimeoutMs: number;

  constructor(kubeconfigPath: string, requestTimeoutMs = 10_000) {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(kubeconfigPath);
    } catch (error) {
      throw new KubexamError('KUBECONFIG_UNREADABLE', `cannot load kubeconfig ${kubeconfigPath}: ${(error as Error).message}; pass the file of a reachable cluster (kubexam cluster list shows kubexam's own)`, { cause: error });
    }
    if (!kc.getCurrentCluster()) {
      throw new KubexamError('KUBECONFIG_UNREADABLE', `kubeconfig ${kubeconfigPath} has no current context with a cluster`);
    }
    this.objects = kc.makeApiClient(RawObjectApi);
    this.authz = kc.makeApiClient(AuthorizationV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
    this.requestTimeoutMs = requestTimeoutMs;
  }

  async get(ref: ObjectRef): Promise<KubeObject> {
    const what = describeRef(ref);
    return this.call(what, () =>
      this.objects.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } }),
    ) as Promise<KubeObject>;
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
    const what = `${kind} list${namespace ? ` in namespace ${namespace}` : ''}`;
    const result = await this.call(what, () =>
      this.objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector),
    );
    return (result.items ?? []) as KubeObject[];
  }

  /** Asks the API server whether `spec`'s subject may do what it describes. */
  async canI(spec: V1SubjectAccessReviewSpec): Promise<{ allowed: boolean; reason?: string }> {
    const review = await this.call('SubjectAccessReview', () =>
      this.authz.createSubjectAccessReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec } }),
    );
    return { allowed: review.status?.allowed === true, ...(review.status?.reason ? { reason: review.status.reason } : {}) };
  }

  /**
   * A container's log (the previous instance's with `previous`), at most `limitBytes` from its
   * start. Throws LogsUnavailable when the API server says there is none to read.
   */
  async podLogs(namespace: string, name: string, options: { container?: string | undefined; previous?: boolean; limitBytes?: number } = {}): Promise<string> {
    const what = `logs of Pod ${namespace}/${name}${options.container ? ` container ${options.container}` : ''}${options.previous ? ' (previous)' : ''}`;
    try {
      return await this.call(what, () =>
        this.core.readNamespacedPodLog({
          namespace,
          name,
          ...(options.container ? { container: options.container } : {}),
          ...(options.previous ? { previous: true } : {}),
          ...(options.limitBytes ? { limitBytes: options.limitBytes } : {}),
        }),
      );
    } catch (error) {
      // 400 is how the API server says "no such logs" (waiting container, no previous instance).
      const cause = (error as { cause?: unknown }).cause;
      if (error instanceof KubeUnavailable && cause instanceof ApiException && cause.code === 400) throw new LogsUnavailable(apiMessage(cause) ?? `no ${what}`);
      throw error;
    }
  }

  /** Creates an object (the network checks' probe Pod) and returns it as the API server stored it. */
  async create(object: KubeObject): Promise<KubeObject> {
    return this.call(`creating ${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? object.metadata?.generateName ?? ''}`, () =>
      this.objects.create(object),
    ) as Promise<KubeObject>;
  }

  /** Deletes an object at once (grace period 0); an object already gone is fine. */
  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.call(`deleting ${describeRef(ref)}`, () =>
        this.objects.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } }, undefined, undefined, 0),
      );
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KubeUnavailable(`no answer from the API server within ${this.requestTimeoutMs} ms for ${what}`)), this.requestTimeoutMs);
    });
    try {
      return await Promise.race([request(), timeout]);
    } catch (error) {
      throw classify(error, what);
    } finally {
      clearTimeout(timer);
    }
  }
}

function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The `message` of a Kubernetes Status body, when the error carries one. */
export function apiMessage(error: ApiException<unknown>): string | undefined {
  const body = error.body;
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  if (typeof body === 'string' && body.trim() !== '') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      return body.trim().slice(0, 500);
    }
  }
  return undefined;
}

function classify(error: unknown, what: string): Error {
  if (error instanceof NotFound || error instanceof KubeUnavailable) return error;
  if (error instanceof ApiException) {
    if (error.code === 404) return new NotFound(what);
    const said = apiMessage(error);
    return new KubeUnavailable(`API server answered ${error.code} for ${what}${said ? `: ${said}` : ''}`, { cause: error });
  }
  // Discovery of an unknown kind surfaces as a plain Error naming the resource.
  if (error instanceof Error && /Unrecognized API version and kind/i.test(error.message)) return new NotFound(`${what} (no such kind in this cluster)`);
  const message = error instanceof Error ? error.message : String(error);
  return new KubeUnavailable(`cannot reach the API server for ${what}: ${message}`, { cause: error });
}
