import { z } from 'zod';

export const TARGET_COMPARISONS = ['atMost', 'below', 'atLeast'] as const;
export type TargetComparison = (typeof TARGET_COMPARISONS)[number];

const targetSchema = z.object({ comparison: z.enum(TARGET_COMPARISONS), value: z.number() });

const figureSchema = z.object({
    /** Stable key, e.g. "B1.ratio". */
    id: z.string().regex(/^B[1-8]\.[A-Za-z0-9]+$/),
    benchmark: z.enum(['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8']),
    label: z.string().min(1),
    value: z.number().nullable(),
    unit: z.enum(['ratio', 'ms', 'count', 'bytes']),
    target: targetSchema.nullable(),
    /** null when the figure has no target (a component of a ratio) or could not be measured. */
    met: z.boolean().nullable(),
});

export const benchResultsSchema = z.object({
    schemaVersion: z.literal(1),
    startedAt: z.iso.datetime(),
    durationMs: z.number().min(0),
    machine: z.object({ node: z.string(), platform: z.string(), cpus: z.number().int().min(1), loadAverage: z.array(z.number()) }),
    figures: z.array(figureSchema).min(1),
    /** How each benchmark measured, with its raw numbers. */
    notes: z.record(z.string(), z.array(z.string())),
    /** Benchmarks that could not run, with the reason. */
    errors: z.array(z.object({ benchmark: z.string(), message: z.string() })),
});

export type Figure = z.infer<typeof figureSchema>;
export type FigureTarget = z.infer<typeof targetSchema>;
export type BenchResults = z.infer<typeof benchResultsSchema>;
export type BenchmarkId = Figure['benchmark'];

/** Whether a value meets its target; null without a target or a value. */
export function meetsTarget(value: number | null, target: FigureTarget | null): boolean | null {
    if (target === null || value === null || Number.isNaN(value)) return null;
    switch (target.comparison) {
        case 'atMost':
            return value <= target.value;
        case 'below':
            return value < target.value;
        case 'atLeast':
            return value >= target.value;
    }
}

export function figure(id: `${BenchmarkId}.${string}`, label: string, value: number | null, unit: Figure['unit'], target: FigureTarget | null = null): Figure {
    const measured = value === null || Number.isNaN(value) ? null : value;
    return { id, benchmark: id.slice(0, 2) as BenchmarkId, label, value: measured, unit, target, met: meetsTarget(measured, target) };
}

export const atMost = (value: number): FigureTarget => ({ comparison: 'atMost', value });
export const below = (value: number): FigureTarget => ({ comparison: 'below', value });
export const atLeast = (value: number): FigureTarget => ({ comparison: 'atLeast', value });

/** Problems with a results document, one line each; none when it has the expected shape. */
export function resultsShapeProblems(value: unknown): string[] {
    const parsed = benchResultsSchema.safeParse(value);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** What one benchmark hands back: its figures and how it measured them, in words with the raw numbers. */
export interface BenchmarkReport {
    readonly figures: readonly Figure[];
    readonly notes: readonly string[];
}
