import { compareStrings } from '#domain/compare';
import { routeKey, type RouteDeclaration } from './route';

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string; greedy: boolean };

interface CompiledRoute<R> {
  route: R;
  key: string;
  segments: Segment[];
}

export interface RouteMatch<R> {
  route: R;
  /** Decoded values of the `{name}` segments, as API Gateway puts them in `pathParameters`. */
  pathParameters: Record<string, string>;
}

const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/** Names of the `{name}` / `{name+}` segments of an API Gateway path template. */
export function pathParameterNames(path: string): string[] {
  return path
    .split('/')
    .map((segment) => PARAM_SEGMENT.exec(segment)?.[1])
    .filter((name): name is string => name !== undefined);
}

function compileSegments(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`Route path must start with "/": ${path}`);
  const parts = path.split('/').slice(1);
  return parts.map((part, index) => {
    if (part.includes('{') || part.includes('}')) {
      const match = PARAM_SEGMENT.exec(part);
      if (!match?.[1]) throw new Error(`Invalid path segment "${part}" in ${path}`);
      const greedy = match[2] === '+';
      if (greedy && index !== parts.length - 1) throw new Error(`Greedy segment must be last: ${path}`);
      return { kind: 'param', name: match[1], greedy };
    }
    return { kind: 'literal', value: part };
  });
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed escape (`%E0%A4%A`) is left as sent: the params schema then rejects it with a 400.
    return raw;
  }
}

function matchSegments(segments: Segment[], rawParts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const part = rawParts[index];
    if (segment === undefined || part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.value !== part) return undefined;
      continue;
    }
    if (segment.greedy) {
      const rest = rawParts.slice(index).join('/');
      if (rest === '') return undefined;
      params[segment.name] = decodeSegment(rest);
      return params;
    }
    if (part === '') return undefined;
    params[segment.name] = decodeSegment(part);
  }
  return rawParts.length === segments.length ? params : undefined;
}

/**
 * Route lookup shared by the Lambda handler (by API Gateway `routeKey`, or by path for a `$default`
 * route) and the local HTTP server (by method and path, the way API Gateway matches). Construction fails
 * on malformed templates and duplicate route keys, so a bad declaration breaks the build, not a request.
 */
export class RouteTable<R extends Pick<RouteDeclaration, 'method' | 'path'>> {
  private readonly byKey = new Map<string, R>();
  private readonly compiled: CompiledRoute<R>[] = [];

  constructor(routes: readonly R[]) {
    for (const route of routes) {
      const key = routeKey(route);
      if (this.byKey.has(key)) throw new Error(`Duplicate route ${key}`);
      this.byKey.set(key, route);
      this.compiled.push({ route, key, segments: compileSegments(route.path) });
    }
    // Literal segments win over parameters, as in API Gateway (`/v1/jobs/mine` before `/v1/jobs/{id}`).
    const weight = (segments: Segment[]): string => segments.map((s) => (s.kind === 'literal' ? '0' : s.greedy ? '2' : '1')).join('');
    this.compiled.sort((a, b) => compareStrings(weight(a.segments), weight(b.segments)));
  }

  get routes(): R[] {
    return this.compiled.map((entry) => entry.route);
  }

  /** Exact lookup by API Gateway `routeKey` (`GET /v1/jobs/{id}`). */
  byRouteKey(key: string): R | undefined {
    return this.byKey.get(key);
  }

  /** Matches a request path as sent (`rawPath`, still percent-encoded) against the templates. */
  match(method: string, rawPath: string): RouteMatch<R> | undefined {
    const rawParts = rawPath.split('/').slice(1);
    for (const entry of this.compiled) {
      if (entry.route.method !== method.toUpperCase()) continue;
      const pathParameters = matchSegments(entry.segments, rawParts);
      if (pathParameters) return { route: entry.route, pathParameters };
    }
    return undefined;
  }

  /** True when some route has this path with another method (API Gateway still answers 404). */
  hasPath(rawPath: string): boolean {
    const rawParts = rawPath.split('/').slice(1);
    return this.compiled.some((entry) => matchSegments(entry.segments, rawParts) !== undefined);
  }
}
