import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { KUBERNETES_ADAPTERS } from '#lib/constructs/bundling-options';
import { synthQuartermaster } from './quartermaster-app.fixture';

// The full app as `cdk synth` builds it: cdk-nag registered and every function bundled by esbuild.
// With a verified email sender, so the SES grants are checked too.
const { app, assembly, allStacks, template } = synthQuartermaster({
  nag: true,
  bundle: true,
  config: { notificationSender: { identity: 'example.com', from: 'qm@example.com' } },
});

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, error or warning', () => {
    const reportFile = join(assembly.directory, 'validation-report.json');
    expect(existsSync(reportFile)).toBe(true);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName} at ${violation.violatingConstructs.map((c) => c.constructPath).join(', ')}`,
      ),
    );
    expect(findings).toEqual([]);
  });

  it('justifies every acknowledgement', () => {
    const acknowledgements: [string, string, string][] = [];
    const visit = (construct: IConstruct): void => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          acknowledgements.push([construct.node.path, id, reason]);
      }
      construct.node.children.forEach(visit);
    };
    visit(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acknowledgements) expect(reason.length, `${path} ${id}`).toBeGreaterThan(40);
  });
});

describe('function bundles', () => {
  const bundles = readdirSync(assembly.directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('asset.'))
    .map((entry) => join(assembly.directory, entry.name, 'index.mjs'))
    .filter((file) => existsSync(file));

  it('are one ESM index.mjs per function', () => {
    // One per route group, plus the authorizer, scheduler, dispatcher, status, reconciler, approval-step, notifier,
    // email-sender, approval-redrive, approval-bridge and relay functions.
    expect(bundles).toHaveLength(API_ROUTE_GROUPS.length + 11);
  });

  it('carry the AWS SDK inside instead of importing the runtime copy', () => {
    for (const bundle of bundles) {
      const code = readFileSync(bundle, 'utf8');
      expect(code, bundle).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code, bundle).not.toMatch(/import\(\s*["']@aws-sdk\//);
    }
  });

  /** A path template of the generated BatchV1Api: in every bundle that holds @kubernetes/client-node. */
  const CLIENT_MARK = '/apis/batch/v1/namespaces/{namespace}/jobs';
  /** Function construct ids (without CDK's hash suffix) by asset directory, from each function's S3 key. */
  const functionsByAsset = new Map<string, string[]>();
  for (const stack of allStacks) {
    const resources = template(stack).findResources('AWS::Lambda::Function') as Record<
      string,
      { Properties: { Code?: { S3Key?: unknown } } }
    >;
    for (const [id, fn] of Object.entries(resources)) {
      const key = fn.Properties.Code?.S3Key;
      if (typeof key !== 'string' || !key.endsWith('.zip')) continue;
      const dir = join(assembly.directory, `asset.${key.slice(0, -'.zip'.length)}`);
      functionsByAsset.set(dir, [...(functionsByAsset.get(dir) ?? []), id.replace(/[A-F0-9]{8}$/, '')]);
    }
  }

  it('ship the Kubernetes adapters as their own file beside index.mjs wherever index.mjs imports them', () => {
    const withFile: string[] = [];
    for (const bundle of bundles) {
      const dir = join(bundle, '..');
      const code = readFileSync(bundle, 'utf8');
      const lazy = join(dir, KUBERNETES_ADAPTERS.file);
      expect(existsSync(lazy), dir).toBe(code.includes(`import("./${KUBERNETES_ADAPTERS.file}")`));
      // This stage has no kube-poller (the one function that keeps the client in its cold start): no index.mjs holds it.
      expect(code.includes(CLIENT_MARK), bundle).toBe(false);
      if (existsSync(lazy)) {
        expect(readFileSync(lazy, 'utf8'), lazy).toContain(CLIENT_MARK);
        withFile.push(...(functionsByAsset.get(dir) ?? [dir]));
      }
    }
    expect(withFile.sort()).toEqual(['Dispatcher', 'FunctionsClusters', 'FunctionsHealthDeep', 'FunctionsLogs']);
  });
});
