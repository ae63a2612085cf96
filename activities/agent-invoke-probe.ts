import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'agentInvokeProbe'> = ({ hybridConnection, operationId, server }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('invokeProbe', { server }, { hybridConnection, operationId });
        return {
            server: result.server,
            resultType: result.resultType === 'Succeeded' ? 'Succeeded' : 'Failed',
            error: result.error,
            exception: result.exception,
        } as const;
    });
