/**
 * Routing by path with the history API. A page is a function that fills the outlet and returns
 * its cleanup (timers, streams, terminals), called before the next page renders.
 */
export type Cleanup = () => void;
export type Page = (outlet: HTMLElement, params: Record<string, string>) => Cleanup | void;

interface Route {
  pattern: RegExp;
  keys: string[];
  page: Page;
}

export class Router {
  private readonly routes: Route[] = [];
  private cleanup: Cleanup | undefined;

  constructor(
    private readonly outlet: HTMLElement,
    private readonly notFound: Page,
  ) {}

  /** `/exam/:sessionId` style patterns; parameters match one path segment. */
  add(path: string, page: Page): this {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ pattern: new RegExp(`^${source}/?$`), keys, page });
    return this;
  }

  start(): void {
    window.addEventListener('popstate', () => this.render());
    document.addEventListener('click', (event) => this.interceptLink(event));
    this.render();
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.render();
  }

  private render(): void {
    this.cleanup?.();
    this.cleanup = undefined;
    this.outlet.replaceChildren();
    window.scrollTo(0, 0);
    const path = location.pathname;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1] ?? '')));
      this.cleanup = route.page(this.outlet, params) ?? undefined;
      return;
    }
    this.cleanup = this.notFound(this.outlet, {}) ?? undefined;
  }

  private interceptLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    if (url.pathname + url.search + url.hash !== location.pathname + location.search + location.hash) {
      this.navigate(url.pathname + url.search + url.hash);
    }
  }
}

let current: Router | undefined;

export function setRouter(router: Router): void {
  current = router;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (current) current.navigate(path, options);
  else location.assign(path);
}

/** A page whose code loads on first use, so a candidate never downloads the admin's player. */
export function lazyPage(load: () => Promise<Page>): Page {
  return (outlet, params) => {
    let cleanup: Cleanup | void;
    let cancelled = false;
    load().then(
      (page) => {
        if (!cancelled) cleanup = page(outlet, params);
      },
      (error: unknown) => {
        if (cancelled) return;
        const message = document.createElement('p');
        message.className = 'form-error';
        message.setAttribute('role', 'alert');
        message.textContent = `This page failed to load (${error instanceof Error ? error.message : String(error)}). Reload to try again.`;
        outlet.append(message);
      },
    );
    return () => {
      cancelled = true;
      cleanup?.();
    };
  };
}
