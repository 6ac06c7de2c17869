import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Ports live in port files (docs/architecture.md#ports-and-adapters): each domain folder has at most one port
 * module, `<folder>.port.ts`, and every domain interface an adapter implements is declared there, so a reader
 * finds a folder's whole outside world in one file.
 */

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DOMAIN = join(REPO, 'shared/domain');
/** Where adapters live: the deployed ones and the local stand-ins. */
const ADAPTER_ROOTS = ['shared/adapters', 'scripts/local'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Local name → import specifier, for the named imports of a module. */
function namedImports(source: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const match of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
    for (const part of match[1]!.split(',')) {
      const local = part.replace(/\btype\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (local) imports.set(local, match[2]!);
    }
  }
  return imports;
}

/** Every `implements A, B` of a module's classes, one name each (type arguments dropped). */
function implementedNames(source: string): string[] {
  return [...source.matchAll(/\bimplements\s+([^{]+)\{/g)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((name) => name.replace(/<.*$/s, '').trim())
      .filter(Boolean),
  );
}

const domainFolders = readdirSync(DOMAIN).filter((name) => statSync(join(DOMAIN, name)).isDirectory());

describe('ports in port files', () => {
  it('gives each domain folder at most one port module, named after the folder', () => {
    const misnamed = domainFolders.flatMap((folder) =>
      readdirSync(join(DOMAIN, folder))
        .filter((name) => name.endsWith('.port.ts') && name !== `${folder}.port.ts`)
        .map((name) => `shared/domain/${folder}/${name}`),
    );
    expect(misnamed).toEqual([]);
  });

  it('declares every domain interface an adapter implements in a port module', () => {
    const found: string[] = [];
    const outsidePorts: string[] = [];
    for (const root of ADAPTER_ROOTS) {
      for (const file of tsFiles(join(REPO, root))) {
        const source = readFileSync(file, 'utf8');
        const imports = namedImports(source);
        for (const name of implementedNames(source)) {
          const from = imports.get(name);
          // Interfaces of the adapters themselves (e.g. the Kubernetes credential source) are no domain port.
          if (!from?.startsWith('#domain/')) continue;
          found.push(name);
          const [folder, module] = from.slice('#domain/'.length).split('/');
          if (module !== `${folder}.port`) outsidePorts.push(`${relative(REPO, file)}: ${name} from ${from}`);
        }
      }
    }
    expect(outsidePorts).toEqual([]);
    // Guard against a parser that finds nothing: the DynamoDB job repository implements the jobs port.
    expect(found).toContain('JobRepository');
  });

  it('keeps every port module free of logic: interfaces and types only', () => {
    const withLogic = domainFolders
      .map((folder) => join(DOMAIN, folder, `${folder}.port.ts`))
      .filter((path) => {
        try {
          return /^export (async )?function |^export class /m.test(readFileSync(path, 'utf8'));
        } catch {
          return false;
        }
      })
      .map((path) => relative(REPO, path));
    expect(withLogic).toEqual([]);
  });
});
