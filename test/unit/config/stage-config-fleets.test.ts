import { describe, expect, it } from 'vitest';
import { DEFAULT_GPU_HARDWARE } from '#domain/catalog/default-catalog';
import type { HardwareType } from '#domain/catalog/hardware.schema';
import { resolveStageConfig, type StageConfigInput } from '#lib/config/stage-config';

const a10g = DEFAULT_GPU_HARDWARE.find((hardware) => hardware.id === 'gpu-a10g-1x')!;
const withHardware = (...hardwareTypes: HardwareType[]): StageConfigInput => ({ stage: 'dev', hardwareTypes });
/** The synth-time error of `input`, as `cdk synth` prints it. */
const refusal = (input: StageConfigInput): string => {
  try {
    resolveStageConfig(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the stage config was accepted');
};

describe('stage config: fleets and the hardware catalog (synth-time checks)', () => {
  it('accepts the defaults: the demo catalog on one fleet per GPU family', () => {
    const config = resolveStageConfig({ stage: 'dev' });
    expect(config.fleets.map((fleet) => [fleet.name, fleet.purchase, fleet.instanceTypes])).toEqual([
      ['g5', 'spot-with-on-demand-fallback', ['g5.xlarge']],
      ['g6e', 'spot-with-on-demand-fallback', ['g6e.xlarge']],
      ['p4d', 'on-demand', ['p4d.24xlarge']],
    ]);
    expect(config.hardwareTypes.map((hardware) => [hardware.id, hardware.ecs?.fleet])).toEqual([
      ['gpu-a10g-1x', 'g5'],
      ['gpu-l40s-1x', 'g6e'],
      ['gpu-a100-8x', 'p4d'],
    ]);
  });

  it('refuses a hardware type that names a fleet the stage does not deploy', () => {
    expect(refusal(withHardware({ ...a10g, ecs: { fleet: 'h100' } }))).toContain(
      'hardware type "gpu-a10g-1x" names fleet "h100", which this stage does not deploy (fleets: g5, g6e, p4d)',
    );
  });

  it('refuses a hardware type whose instance type has too few GPUs, vCPUs or too little memory', () => {
    const message = refusal(withHardware({ ...a10g, id: 'gpu-a10g-4x', gpuCount: 4, vcpu: 8, memoryMiB: 16_384, pricePerHourUsd: 4 }));
    expect(message).toContain('hardware type "gpu-a10g-4x" asks for 4 GPUs; g5.xlarge has 1');
    expect(message).toContain('asks for 8 vCPUs; g5.xlarge has 4');
    expect(message).toContain('asks for 16384 MiB of memory; g5.xlarge offers tasks at most 15360 MiB');
  });

  it('refuses a GPU model that is not the instance type’s', () => {
    expect(refusal(withHardware({ ...a10g, gpuModel: 'NVIDIA H100' }))).toContain(
      'hardware type "gpu-a10g-1x" says its GPU is "NVIDIA H100"; g5.xlarge has "NVIDIA A10G"',
    );
  });

  it('refuses an instance type outside the fleet, and one missing from the price list', () => {
    expect(refusal(withHardware({ ...a10g, ecs: { fleet: 'g5', instanceType: 'g5.2xlarge' } }))).toContain(
      'names instance type g5.2xlarge, which fleet "g5" does not have (g5.xlarge)',
    );
    expect(refusal({ stage: 'dev', fleets: [{ name: 'g4', instanceTypes: ['g4dn.xlarge'] }], hardwareTypes: [] })).toContain(
      'fleet "g4": instance type g4dn.xlarge is not in the price list; add it under instancePrices',
    );
  });

  it('refuses a fleet that mixes families, and duplicate fleets or hardware types', () => {
    const message = refusal({
      stage: 'dev',
      fleets: [
        { name: 'mixed', instanceTypes: ['g5.xlarge', 'g6e.xlarge'] },
        { name: 'mixed', instanceTypes: ['g5.xlarge'] },
      ],
      hardwareTypes: [],
    });
    expect(message).toContain('fleet "mixed" mixes instance families (g5, g6e)');
    expect(message).toContain('fleet "mixed" is declared twice');
    expect(refusal({ stage: 'dev', hardwareTypes: [a10g, a10g] })).toContain('hardware type "gpu-a10g-1x" is declared twice');
  });

  it('refuses a price outside what the fleet costs, and accepts one inside after an instancePrices override', () => {
    expect(refusal(withHardware({ ...a10g, pricePerHourUsd: 0.2 }))).toContain(
      'hardware type "gpu-a10g-1x" costs $0.2/h, but its share of g5.xlarge on fleet "g5" (spot-with-on-demand-fallback) costs $0.45-$1.006/h',
    );
    const a100 = DEFAULT_GPU_HARDWARE.find((hardware) => hardware.id === 'gpu-a100-8x')!;
    // On-Demand fleets are priced at On-Demand: a Spot-level price would hide the real cost.
    expect(refusal(withHardware({ ...a100, pricePerHourUsd: 15 }))).toMatch(/costs \$32\.773-\$32\.773\/h \(On-Demand, ±10 % allowed\)/);
    const frankfurt = { ...a10g, pricePerHourUsd: 1.2 };
    expect(() =>
      resolveStageConfig({
        stage: 'dev',
        hardwareTypes: [frankfurt],
        instancePrices: {
          'g5.xlarge': { gpuModel: 'NVIDIA A10G', gpus: 1, vcpu: 4, memoryMiB: 16_384, onDemandUsd: 1.258, spotUsd: 0.5 },
        },
      }),
    ).not.toThrow();
  });

  it('asks for a pinned size when an unpinned hardware type does not fit every size of a mixed fleet', () => {
    const message = refusal({
      stage: 'dev',
      fleets: [{ name: 'g5', instanceTypes: ['g5.xlarge', 'g5.12xlarge'], purchase: 'spot' }],
      hardwareTypes: [{ ...a10g, id: 'gpu-a10g-4x', gpuCount: 4, vcpu: 48, memoryMiB: 180_000, pricePerHourUsd: 4, ecs: { fleet: 'g5' } }],
    });
    expect(message).toContain('asks for 4 GPUs; g5.xlarge has 1');
    expect(message).toContain('pin it to one size with ecs.instanceType, or make it fit every size of fleet "g5"');
  });

  it('names every problem at once, one per line, and points old keys to their replacement', () => {
    const message = refusal({
      stage: 'dev',
      gpuInstanceType: 'g5.xlarge',
      hardwareTypes: [{ ...a10g, ecs: { fleet: 'nope' } }],
    } as StageConfigInput);
    expect(message.split('\n')).toEqual([
      'Invalid stage config:',
      '  - gpuInstanceType: replaced by `fleets` (instance types per fleet)',
      '  - hardware type "gpu-a10g-1x" names fleet "nope", which this stage does not deploy (fleets: g5, g6e, p4d)',
    ]);
  });

  it('refuses bad fleet fields with the field named', () => {
    expect(refusal({ stage: 'dev', fleets: [{ name: 'G5', instanceTypes: [], maxInstances: 0 }] })).toMatch(
      /fleets\.0\.name: lower-case letters[\s\S]*fleets\.0\.instanceTypes[\s\S]*fleets\.0\.maxInstances/,
    );
  });
});
