import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bytesByPackage, packageOf, topInputs } from '#scripts/bench/bundle';
import { DynamoRequestCounter } from '#scripts/bench/request-counter';
import { median, percentile, ratio, summarize } from '#scripts/bench/stats';

describe('bench stats', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses nearest-rank percentiles, so p95 of a few samples is an observed value', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 0)).toBe(10);
    expect(summarize(values)).toEqual({ n: 10, p50: 50, p95: 100, max: 100, min: 10 });
  });

  it('refuses empty input and a non-positive floor', () => {
    expect(() => median([])).toThrow();
    expect(() => percentile([], 50)).toThrow();
    expect(() => ratio(1, 0)).toThrow();
    expect(ratio(3, 2)).toBe(1.5);
  });
});

describe('bundle breakdown', () => {
  const metafile = {
    inputs: {},
    outputs: {
      'out/index.mjs': {
        bytes: 0,
        imports: [],
        exports: [],
        inputs: {
          'node_modules/zod/v4/core/schemas.js': { bytesInOutput: 500 },
          'node_modules/zod/v4/classic/schemas.js': { bytesInOutput: 300 },
          'node_modules/@smithy/core/dist-es/index.js': { bytesInOutput: 400 },
          'node_modules/a/node_modules/@aws-sdk/core/x.js': { bytesInOutput: 100 },
          'shared/http/api-handler.ts': { bytesInOutput: 50 },
        },
      },
    },
  } as unknown as Metafile;

  it('names the package of an input, innermost node_modules first', () => {
    expect(packageOf('node_modules/a/node_modules/@aws-sdk/core/x.js')).toBe('@aws-sdk/core');
    expect(packageOf('node_modules/zod/index.js')).toBe('zod');
    expect(packageOf('functions/api/jobs/jobs.app.ts')).toBe('(quartermaster)');
  });

  it('lists the largest inputs and packages', () => {
    expect(topInputs(metafile, 2).map((i) => i.path)).toEqual([
      'node_modules/zod/v4/core/schemas.js',
      'node_modules/@smithy/core/dist-es/index.js',
    ]);
    expect(bytesByPackage(metafile)).toEqual([
      { path: 'zod', bytes: 800 },
      { path: '@smithy/core', bytes: 400 },
      { path: '@aws-sdk/core', bytes: 100 },
      { path: '(quartermaster)', bytes: 50 },
    ]);
  });
});

describe('DynamoRequestCounter', () => {
  /** A client whose "network" answers every request with `{}` after `delayMs`, so no emulator is needed. */
  const fakeClient = (delayMs: number) =>
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestHandler: {
        handle: async () => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) } };
        },
      },
    });

  it('counts requests by command, and overlapping ones as one sequential round trip', async () => {
    const client = fakeClient(20);
    const counter = new DynamoRequestCounter().attach(client);
    const get = () => client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    const put = () => client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } }));

    const { tally } = await counter.measure(async () => {
      await get();
      await Promise.all([get(), put()]);
    });
    expect(tally).toEqual({ roundTrips: 3, sequential: 2, commands: { GetItemCommand: 2, PutItemCommand: 1 } });
    expect(counter.allCommands).toEqual({ GetItemCommand: 2, PutItemCommand: 1 });
  });
});
