import { appServices } from '../lib/app-services';
import type { KeyChangeOutcome, KeyChangeResult } from '../lib/contracts/key-writer';
import type { KeyCredentialChangeResult } from '../lib/graph';
import { assertAllowedKeyTarget, resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

function toOutcome(result: KeyCredentialChangeResult): KeyChangeOutcome {
    switch (result.kind) {
        case 'refused':
            return { ok: false, error: { code: result.error.code, message: result.error.message, ...(result.error.remedy === undefined ? {} : { remedy: result.error.remedy }) } };
        case 'register': {
            const { keyId, status, keptKeyIds, keyIdsBefore } = result.result;
            const added = status === 'added';
            // Before and after name the same certificates: a write re-creates kept credentials under new keyIds.
            return { ok: true, value: { kind: 'register', result: { keyId, added, before: keyIdsBefore, after: added ? [...keptKeyIds, keyId] : keptKeyIds } } };
        }
        case 'remove':
            return { ok: true, value: { kind: 'remove', result: { removed: result.result.status === 'removed', after: result.result.keptKeyIds } } };
    }
}

/** The key target writer's group commit: idempotent (registration by thumbprint, removal by keyId or thumbprint), so a second delivery changes nothing. */
export const handler: ActivityHandler<'graphApplyKeyChanges'> = ({ keyTarget, objectId, changes, tenantId }) =>
    outcomeOf(async () => {
        assertAllowedKeyTarget(keyTarget, appServices().settings.PPO_KEY_TARGET_APP_IDS);
        const graph = await appServices().graph(tenantId);
        const applied = await graph.applyChanges(
            resolvedTarget(keyTarget, { objectId }),
            changes.map(({ change }) => (change.kind === 'register' ? { kind: 'register', cerBase64: change.certificate.derBase64 } : { kind: 'remove', keyId: change.keyId, thumbprint: change.thumbprint, owned: change.owned })),
        );
        const results: KeyChangeResult[] = changes.map((request, index) => ({ requestId: request.requestId, outcome: toOutcome(applied[index] as KeyCredentialChangeResult) }));
        return { results };
    });
