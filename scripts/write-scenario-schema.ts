// Writes scenario.schema.json from the zod scenario schema: `npm run scenario-schema`.
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchemaText, scenarioSchemaFile } from '../local/cli/scenario-json-schema';

const file = scenarioSchemaFile();
writeFileSync(file, scenarioJsonSchemaText());
process.stdout.write(`wrote ${file}\n`);
