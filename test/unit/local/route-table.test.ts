import { describe, expect, it } from 'vitest';
import { compileRouteTable } from '#local/http/route-table';

const table = (...routeKeys: string[]) => compileRouteTable(routeKeys.map((routeKey) => ({ routeKey, target: routeKey })));

describe('local route table (API Gateway HTTP API route selection)', () => {
  it('matches a literal route exactly', () => {
    // GIVEN
    const routes = table('GET /health', 'POST /v1/campaigns');
    // WHEN
    const match = routes('POST', '/v1/campaigns');
    // THEN
    expect(match).toEqual({ routeKey: 'POST /v1/campaigns', target: 'POST /v1/campaigns', pathParameters: {} });
  });

  it('binds {param} segments and URL-decodes their values', () => {
    const match = table('GET /v1/campaigns/{id}/score')('GET', '/v1/campaigns/a%20b/score');
    expect(match?.pathParameters).toEqual({ id: 'a b' });
  });

  it('prefers a literal segment over a parameter, whatever the declaration order', () => {
    const routes = table('GET /items/{id}', 'GET /items/special');
    expect(routes('GET', '/items/special')?.routeKey).toBe('GET /items/special');
    expect(routes('GET', '/items/42')?.routeKey).toBe('GET /items/{id}');
  });

  it('prefers the route that is specific earlier in the path', () => {
    const routes = table('GET /{a}/b/c', 'GET /a/{b}/c');
    expect(routes('GET', '/a/b/c')?.routeKey).toBe('GET /a/{b}/c');
  });

  it('prefers a parameter over a greedy parameter, and a greedy one catches the rest', () => {
    const routes = table('GET /files/{proxy+}', 'GET /files/{name}');
    expect(routes('GET', '/files/report.csv')?.routeKey).toBe('GET /files/{name}');
    expect(routes('GET', '/files/2024/report.csv')).toMatchObject({
      routeKey: 'GET /files/{proxy+}',
      pathParameters: { proxy: '2024/report.csv' },
    });
  });

  it('prefers an exact method over ANY', () => {
    const routes = table('ANY /things', 'GET /things');
    expect(routes('GET', '/things')?.routeKey).toBe('GET /things');
    expect(routes('DELETE', '/things')?.routeKey).toBe('ANY /things');
  });

  it.each([
    ['another method', 'POST', '/items/1'],
    ['a missing segment', 'GET', '/items'],
    ['an extra segment', 'GET', '/items/1/extra'],
    ['an empty parameter', 'GET', '/items/'],
    ['a trailing slash', 'GET', '/health/'],
  ])('does not match %s', (_, method, path) => {
    expect(table('GET /items/{id}', 'GET /health')(method, path)).toBeUndefined();
  });

  it.each([['GET health'], ['FETCH /x'], ['GET /a/{b'], ['GET /{rest+}/tail']])('rejects the malformed route key %s', (routeKey) => {
    expect(() => table(routeKey)).toThrow(/Malformed|Greedy/);
  });

  it('rejects a route declared twice', () => {
    expect(() => table('GET /health', 'GET /health')).toThrow(/Duplicate route GET \/health/);
  });
});
