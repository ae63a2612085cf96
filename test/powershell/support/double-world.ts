import { afterAll } from 'vitest';
import { type PowerShellDouble, type PowerShellDoubleOptions, startPowerShellDouble } from '../../../local/exchange/powershell/powershell-double';
import type { Scenario } from '../../../local/scenario/schema';
import { createWorld, type TestWorld } from '../../agent/support/world';

export interface DoubleWorld extends TestWorld {
    readonly double: PowerShellDouble;
}

const open: PowerShellDouble[] = [];
afterAll(async () => {
    await Promise.all(open.splice(0).map((double) => double.close()));
});

/** A simulated organization and the agent's real PowerShell shell running host.ps1 against the double over it. */
export async function doubleWorld(scenario?: Scenario, options: PowerShellDoubleOptions = {}, world: TestWorld = createWorld(scenario)): Promise<DoubleWorld> {
    const double = await startPowerShellDouble(world.exchange, options);
    open.push(double);
    return { ...world, double };
}
