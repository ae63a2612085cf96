import { appServices } from '../lib/app-services';
import { summarizeInventory } from './inventory-summary';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('agentInventory', ({ hybridConnection, operationId }) =>
    outcomeOf(async () => summarizeInventory(await appServices().agents().call('inventory', {}, { hybridConnection, operationId }))),
);
