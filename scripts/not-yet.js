// Placeholder for scripts whose issues have not landed yet.
process.stdout.write(`npm run ${process.argv[2]}: not yet\n`);
