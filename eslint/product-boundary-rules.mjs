/**
 * The product (the Function App, the agent, the ppo CLI and the library they share) never imports
 * local/: the local host, its stand-ins and the simulated agent import the product, never the other
 * way round, and the shipped agent bundle carries none of them (DESIGN.md section 2; issue 15).
 * Shared by eslint.config.mjs and the test that proves the rule bites.
 */
export const PRODUCT_FOLDERS = ['agent', 'functions', 'orchestrators', 'activities', 'lib', 'cli'];

/** Type imports too: a type from local/ ties the product to the harness as much as a value does. */
export const noLocalImportPattern = {
    regex: '^(\\.\\./)+local(/|$)',
    message: 'Product code never imports local/ (the local host, stand-ins and simulation); local/ may import the product instead.',
};

export const productBoundaryRules = {
    'no-restricted-imports': ['error', { patterns: [noLocalImportPattern] }],
};
