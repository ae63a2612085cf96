/**
 * The parts of a compiled ARM template (JSON) the infrastructure checks read. Bicep emits language
 * version 2.0 here (user-defined types), where `resources` is an object keyed by symbolic name; an
 * older template has an array. Modules are nested `Microsoft.Resources/deployments` with an inline
 * template and their parameter values.
 */
export interface ArmResource {
    readonly type: string;
    readonly name: string;
    readonly apiVersion?: string;
    readonly existing?: boolean;
    readonly scope?: string;
    readonly condition?: string | boolean;
    readonly location?: string;
    readonly copy?: { readonly name: string; readonly count: string | number };
    readonly properties?: Record<string, unknown>;
    readonly [key: string]: unknown;
}

export interface ArmParameter {
    readonly type: string;
    readonly defaultValue?: unknown;
    readonly allowedValues?: readonly unknown[];
    readonly minLength?: number;
    readonly minValue?: number;
}

export interface ArmTemplate {
    readonly languageVersion?: string;
    readonly parameters?: Record<string, ArmParameter>;
    readonly variables?: Record<string, unknown>;
    readonly resources: Record<string, ArmResource> | readonly ArmResource[];
    readonly outputs?: Record<string, { readonly type: string; readonly value: unknown }>;
}

/** A resource and where it sits: the chain of module symbols from main.bicep down to its template. */
export interface PlacedResource {
    readonly symbol: string;
    readonly resource: ArmResource;
    /** The template that declares the resource. */
    readonly template: ArmTemplate;
    /** The module deployment whose template this is (undefined for main.bicep's own resources). */
    readonly module?: PlacedResource;
}

export function resourcesOf(template: ArmTemplate): [string, ArmResource][] {
    return Array.isArray(template.resources)
        ? (template.resources as readonly ArmResource[]).map((r, i): [string, ArmResource] => [String(i), r])
        : Object.entries(template.resources);
}

/** Every resource of the template and of its modules, depth first. */
export function allResources(template: ArmTemplate, module?: PlacedResource): PlacedResource[] {
    return resourcesOf(template).flatMap(([symbol, resource]) => {
        const placed: PlacedResource = { symbol, resource, template, ...(module === undefined ? {} : { module }) };
        const inner = resource.type === 'Microsoft.Resources/deployments' ? (resource.properties?.template as ArmTemplate | undefined) : undefined;
        return [placed, ...(inner === undefined ? [] : allResources(inner, placed))];
    });
}

/** The value a module deployment passes for one of its parameters (undefined when it passes none). */
export function moduleParameter(module: PlacedResource | undefined, name: string): unknown {
    const parameters = module?.resource.properties?.parameters as Record<string, { value?: unknown }> | undefined;
    return parameters?.[name]?.value;
}

/** A module's resource by its symbolic name. */
export function symbolIn(template: ArmTemplate, symbol: string): ArmResource | undefined {
    return resourcesOf(template).find(([s]) => s === symbol)?.[1];
}

/** A template expression `[...]` without its brackets, or undefined for a literal. */
export function expressionOf(value: unknown): string | undefined {
    return typeof value === 'string' && value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[') ? value.slice(1, -1) : undefined;
}

/** Every string anywhere in a JSON value, for checks that look for a function call wherever it hides. */
export function stringsIn(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(stringsIn);
    if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
    return [];
}

/**
 * Resolves `variables('name')` against the template's variables, following a variable that is itself
 * a bare reference to another (loadJsonContent compiles to such a pair), and `.a.b` member access.
 */
export function resolveVariablePath(template: ArmTemplate, expression: string): unknown {
    const match = /^variables\('([^']+)'\)((?:\.[A-Za-z0-9_$]+)*)$/.exec(expression);
    if (!match) return undefined;
    let value: unknown = template.variables?.[match[1]!];
    const inner = expressionOf(value);
    if (inner !== undefined && /^variables\('[^']+'\)$/.test(inner)) value = resolveVariablePath(template, inner);
    for (const member of match[2]!.split('.').filter(Boolean)) {
        value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[member] : undefined;
    }
    return value;
}
