// The console's view of the API: the types of the zod schemas the API itself answers with (type-only
// imports: nothing of zod or the app reaches the bundle).
import type { z } from 'zod';
import type { runStartedSchema, runViewSchema, signedInCallerSchema, tenantDetailSchema, tenantListSchema, tenantViewSchema } from '../../functions/http/api-schemas';
import type { errorBodySchema } from '../../lib/contracts/api-view-schemas';
import type { onboardRequestSchema } from '../../lib/contracts/onboarding';
import type { OnboardDryRun, PlannedStep } from '../../lib/contracts/onboarding-result';

export type TenantView = z.output<typeof tenantViewSchema>;
export type TenantList = z.output<typeof tenantListSchema>;
export type TenantDetail = z.output<typeof tenantDetailSchema>;
export type RunView = z.output<typeof runViewSchema>;
export type RunStarted = z.output<typeof runStartedSchema>;
export type SignedInCaller = z.output<typeof signedInCallerSchema>;
export type ErrorBody = z.output<typeof errorBodySchema>;
export type OnboardRequestBody = z.input<typeof onboardRequestSchema>;
export type Step = RunView['steps'][number];
export type Check = NonNullable<TenantView['lastVerification']>['checks'][number];
export type { OnboardDryRun, PlannedStep };
