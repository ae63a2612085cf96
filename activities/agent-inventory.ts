import { appServices } from '../lib/app-services';
import { summarizeInventory } from './inventory-summary';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'agentInventory'> = ({ hybridConnection, operationId, keepCertificates }) =>
    outcomeOf(async () => summarizeInventory(await appServices().agents().call('inventory', {}, { hybridConnection, operationId }), Date.now(), keepCertificates));
