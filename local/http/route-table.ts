/**
 * Route selection as API Gateway HTTP API does it. A route key is `METHOD /path` where a
 * segment is a literal, a `{param}` (one non-empty segment) or a final greedy `{proxy+}`
 * (one or more segments). When several routes match, the most specific wins: segment by
 * segment from the left, a literal beats a parameter and a parameter beats a greedy parameter;
 * an exact method beats `ANY`. Parameter values are URL-decoded.
 */

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute<T> {
  readonly routeKey: string;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly target: T;
}

export interface RouteMatch<T> {
  readonly routeKey: string;
  readonly target: T;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export type RouteTable<T> = (method: string, rawPath: string) => RouteMatch<T> | undefined;

const routeKeyPattern = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (\/\S*)$/;
const specificity: Record<Segment['kind'], number> = { literal: 0, param: 1, greedy: 2 };

/** Compiles route keys once; throws on a malformed or duplicate key so wiring mistakes surface at start. */
export function compileRouteTable<T>(entries: readonly { routeKey: string; target: T }[]): RouteTable<T> {
  const routes = entries.map(({ routeKey, target }) => compileRoute(routeKey, target));
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.routeKey)) throw new Error(`Duplicate route ${route.routeKey}`);
    seen.add(route.routeKey);
  }
  return (method, rawPath) => {
    const pathSegments = splitPath(rawPath);
    let best: { route: CompiledRoute<T>; pathParameters: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const pathParameters = matchSegments(route.segments, pathSegments);
      if (pathParameters === undefined) continue;
      if (best === undefined || isMoreSpecific(route, best.route)) best = { route, pathParameters };
    }
    return best && { routeKey: best.route.routeKey, target: best.route.target, pathParameters: best.pathParameters };
  };
}

function compileRoute<T>(routeKey: string, target: T): CompiledRoute<T> {
  const parsed = routeKeyPattern.exec(routeKey);
  const method = parsed?.[1];
  const path = parsed?.[2];
  if (method === undefined || path === undefined) throw new Error(`Malformed route key "${routeKey}"`);
  const segments = splitPath(path).map((text, index, all): Segment => {
    const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(text);
    if (param?.[1] === undefined) {
      if (text.includes('{') || text.includes('}')) throw new Error(`Malformed path segment "${text}" in "${routeKey}"`);
      return { kind: 'literal', text };
    }
    if (param[2] !== '+') return { kind: 'param', name: param[1] };
    if (index !== all.length - 1) throw new Error(`Greedy parameter must be last in "${routeKey}"`);
    return { kind: 'greedy', name: param[1] };
  });
  return { routeKey, method, segments, target };
}

/** `/` has no segments; `/a/` has two, the second empty (API Gateway does not strip it). */
const splitPath = (path: string): string[] => (path === '/' || path === '' ? [] : path.slice(1).split('/'));

function matchSegments(route: readonly Segment[], path: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of route.entries()) {
    if (segment.kind === 'greedy') {
      const rest = path.slice(index);
      if (rest.length === 0 || rest.every((part) => part === '')) return undefined;
      parameters[segment.name] = decode(rest.join('/'));
      return parameters;
    }
    const part = path[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return route.length === path.length ? parameters : undefined;
}

function isMoreSpecific<T>(candidate: CompiledRoute<T>, current: CompiledRoute<T>): boolean {
  for (const [index, a] of candidate.segments.entries()) {
    const b = current.segments[index];
    if (b === undefined) break;
    const difference = specificity[a.kind] - specificity[b.kind];
    if (difference !== 0) return difference < 0;
  }
  return current.method === 'ANY' && candidate.method !== 'ANY';
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // API Gateway passes a malformed escape through rather than failing the request
  }
}
