import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_COMPOSITIONS } from '#functions/api/api.compositions';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { REPO_ROOT } from '#lib/constructs/qm-function';

const source = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const composeNameOf = (group: string) =>
  `compose${group
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;

/**
 * Every API function has one composition (`compose<Fn>` in its `<fn>.app.ts`): Lambda's entry calls it with the
 * deployed clients, and the local stack and the test fixtures reach it through `API_COMPOSITIONS`. A route
 * reachable locally can therefore not run without the access gate and the audit middleware it has in Lambda.
 */
describe('one composition per API function', () => {
  for (const group of API_ROUTE_GROUPS) {
    const compose = composeNameOf(group.name);
    const appModule = group.entry.replace(/\.handler\.ts$/, '.app.ts');

    it(`${group.name}: Lambda's entry exports the handler its composition builds`, () => {
      const entry = source(group.entry);
      expect(entry).toMatch(new RegExp(`import \\{ ${compose} \\} from '\\./${group.name}\\.app';`));
      expect(entry).toMatch(new RegExp(`export const handler = ${compose}\\(`));
      expect(entry).not.toMatch(/create\w+Handler\(/);
    });

    it(`${group.name}: the local stack and the fixtures build it through the same composition`, async () => {
      const module = (await import(join(REPO_ROOT, appModule))) as Record<string, unknown>;
      expect(typeof module[compose]).toBe('function');
      expect(API_COMPOSITIONS[group.name]).toBe(module[compose]);
    });
  }

  it('the local stack builds no route handler of its own', () => {
    for (const file of ['scripts/local/local-stack.ts', 'scripts/local/local-identity.ts']) {
      const text = source(file);
      expect(text, file).not.toMatch(/create(?!Authorizer|Logger|Dispatcher|Scheduler|DocumentClient)\w+Handler\(/);
      expect(text, file).not.toMatch(/from '#functions\/api\/(?!api\.)[\w-]+\//);
    }
    expect(source('scripts/local/local-stack.ts')).toMatch(/composeApiFunction\(group, /);
  });

  it('has a composition for every route group and no other', () => {
    expect(Object.keys(API_COMPOSITIONS).sort()).toEqual(API_ROUTE_GROUPS.map((group) => group.name).sort());
  });
});
