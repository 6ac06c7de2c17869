import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { generateOpenApiText, isCurrent, OPENAPI_PATH } from '#scripts/openapi/generate';
import { BEARER_SCHEME } from '#http/openapi';

const generated = generateOpenApiText();
const document = JSON.parse(generated) as {
  openapi: string;
  info: { title: string };
  security: unknown[];
  paths: Record<string, Record<string, { operationId: string; security?: unknown[]; 'x-quartermaster-access': string }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
};

describe('docs/openapi.json', () => {
  it('is the document generated from the route declarations', () => {
    const onDisk = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as unknown;
    expect(onDisk, 'docs/openapi.json is stale: run `npm run openapi` and commit the result').toEqual(JSON.parse(generated));
  });

  it('is deterministic, and its staleness check ignores formatting only', () => {
    expect(generateOpenApiText()).toBe(generated);
    expect(generated.endsWith('}\n')).toBe(true);
    expect(isCurrent(JSON.stringify(JSON.parse(generated)), generated)).toBe(true);
    expect(isCurrent(generated.replace('"Quartermaster"', '"Other"'), generated)).toBe(false);
    expect(isCurrent(undefined, generated)).toBe(false);
    expect(isCurrent('{not json', generated)).toBe(false);
  });

  it('is OpenAPI 3.1 with a bearer scheme (JWT or API key) required by default', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Quartermaster');
    expect(document.components.securitySchemes[BEARER_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ [BEARER_SCHEME]: [] }]);
  });

  it('lists every declared route with its operationId and access; public routes opt out of security', () => {
    for (const route of API_ROUTE_GROUPS.flatMap((group) => group.routes)) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path} missing from the document`).toBeDefined();
      expect(operation?.operationId).toBe(route.operationId);
      expect(operation?.['x-quartermaster-access']).toBe(route.access);
      if (route.access === 'public') expect(operation?.security).toEqual([]);
      else expect(operation?.security).toBeUndefined();
    }
  });
});
