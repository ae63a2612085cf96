import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { entraScenarioSchema } from './entra-schema';
import { exchangeScenarioSchema } from './exchange-schema';
import { faultsScenarioSchema } from './faults-schema';
import { providerScenarioSchema } from './provider-schema';

/** A simulated world for the demo and the tests (DESIGN.md section 6). */
export const scenarioSchema = z.object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().default(''),
    tenant: z.object({
        domain: z.string().min(1).describe('The Microsoft 365 tenant domain to onboard, e.g. contoso.onmicrosoft.com or contoso.com.'),
        cloud: z.enum(['global', 'usGovHigh', 'usGovDoD', 'china']).default('global'),
    }),
    agent: z
        .object({ hybridConnection: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,49}$/, 'letters, digits and hyphens').default('contoso-exchange') })
        .prefault({})
        .describe('The hybrid connection the organization\'s agent listens on.'),
    exchange: exchangeScenarioSchema,
    entra: entraScenarioSchema,
    faults: faultsScenarioSchema,
    provider: providerScenarioSchema.optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;

export function parseScenario(raw: unknown): Scenario {
    const result = scenarioSchema.safeParse(raw);
    if (!result.success) {
        throw new ValidationError(
            result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', reason: issue.message })),
        );
    }
    return result.data;
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
    const text = await readFile(path, 'utf8');
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new ValidationError([{ field: '(file)', reason: `${path} is not valid JSON: ${(error as Error).message}` }]);
    }
    return parseScenario(raw);
}
