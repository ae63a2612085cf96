import { z } from 'zod';
import { hybridConnectionNameSchema } from '../../lib/contracts/onboarding';

/** One customer of a service provider: its own directory, its own Exchange organization, its own agent. */
export const customerScenarioSchema = z.object({
    organization: hybridConnectionNameSchema.describe('The name the provider enrolls the organization under (POST /api/organizations): its hybrid connection.'),
    domain: z.string().min(1).describe("The customer's Microsoft 365 tenant domain; its directory is discovered from it."),
    tenantId: z.uuid().describe("The customer's Entra ID directory."),
    consented: z.boolean().default(true).describe("Whether the customer's administrator granted the provider's application its permission."),
    exchangeOrganization: z.object({ name: z.string().min(1), guid: z.uuid() }).describe("The customer's Exchange organization; otherwise a copy of the scenario's `exchange`."),
});

/** A service provider's deployment: its own directory and the customers it enrolls and onboards at run time. */
export const providerScenarioSchema = z
    .object({
        tenantId: z.uuid().describe("The provider's own directory, home of its multi-tenant application."),
        customers: z.array(customerScenarioSchema).min(1),
    })
    .describe('A service provider deployment (issue 20). With it, `npm run demo` enrolls each customer through POST /api/organizations and onboards it.');

export type CustomerScenario = z.infer<typeof customerScenarioSchema>;
export type ProviderScenario = z.infer<typeof providerScenarioSchema>;
