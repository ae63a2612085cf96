import { z } from 'zod';

/** The Microsoft clouds the product knows; endpoints per cloud live in lib/clouds.ts. */
export const cloudNameSchema = z.enum(['global', 'usGovHigh', 'usGovDoD', 'china']);
export type CloudName = z.infer<typeof cloudNameSchema>;

/** The Exchange Online first-party application whose service principal the article writes to. */
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export const keyTargetSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('firstPartyServicePrincipal') }).strict(),
    z
        .object({
            kind: z.literal('application'),
            appId: z.uuid('must be the application (client) id, a GUID'),
        })
        .strict(),
]);
export type KeyTarget = z.infer<typeof keyTargetSchema>;
