import { describe, expect, it } from 'vitest';
import { pathParameterNames, RouteTable } from '#http/route-matcher';

const table = new RouteTable([
  { method: 'GET', path: '/v1/jobs/{id}' },
  { method: 'GET', path: '/v1/jobs/mine' },
  { method: 'GET', path: '/v1/files/{path+}' },
  { method: 'POST', path: '/v1/jobs/{id}/cancel' },
] as const);

describe('RouteTable', () => {
  it('prefers literal segments over parameters, as API Gateway does', () => {
    expect(table.match('GET', '/v1/jobs/mine')?.route.path).toBe('/v1/jobs/mine');
    expect(table.match('GET', '/v1/jobs/01H')?.pathParameters).toEqual({ id: '01H' });
  });

  it('decodes parameters, keeps malformed escapes as sent, and never matches empty segments', () => {
    expect(table.match('get', '/v1/jobs/a%2Fb')?.pathParameters).toEqual({ id: 'a/b' });
    expect(table.match('GET', '/v1/jobs/%E0%A4%A')?.pathParameters).toEqual({ id: '%E0%A4%A' });
    expect(table.match('GET', '/v1/jobs/')).toBeUndefined();
    expect(table.match('GET', '/v1/jobs/x/')).toBeUndefined();
    expect(table.match('POST', '/v1/jobs/x')).toBeUndefined();
    expect(table.hasPath('/v1/jobs/x')).toBe(true);
  });

  it('supports a greedy last segment', () => {
    expect(table.match('GET', '/v1/files/a/b/c')?.pathParameters).toEqual({ path: 'a/b/c' });
    expect(table.match('GET', '/v1/files/')).toBeUndefined();
  });

  it('looks up by routeKey', () => {
    expect(table.byRouteKey('POST /v1/jobs/{id}/cancel')?.path).toBe('/v1/jobs/{id}/cancel');
    expect(table.byRouteKey('POST /v1/jobs/{id}')).toBeUndefined();
  });

  it('rejects malformed templates and duplicates at construction', () => {
    expect(() => new RouteTable([{ method: 'GET', path: 'v1/x' }])).toThrow(/must start with/);
    expect(() => new RouteTable([{ method: 'GET', path: '/v1/{a-b}' }])).toThrow(/Invalid path segment/);
    expect(() => new RouteTable([{ method: 'GET', path: '/v1/{a+}/x' }])).toThrow(/Greedy/);
    expect(
      () =>
        new RouteTable([
          { method: 'GET', path: '/v1/x' },
          { method: 'GET', path: '/v1/x' },
        ]),
    ).toThrow(/Duplicate/);
  });

  it('names path parameters', () => {
    expect(pathParameterNames('/v1/orgs/{orgId}/teams/{teamId}')).toEqual(['orgId', 'teamId']);
  });
});
