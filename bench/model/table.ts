import type { Figure, FigureTarget } from './results';

const SYMBOL: Record<FigureTarget['comparison'], string> = { atMost: '≤', below: '<', atLeast: '≥' };

export function formatValue(value: number | null, unit: Figure['unit']): string {
    if (value === null) return 'n/a';
    if (unit === 'ratio') return `${value.toFixed(3)}×`;
    if (unit === 'count') return String(Math.round(value));
    if (unit === 'bytes') return value >= 10_240 ? `${(value / 1024).toFixed(1)} KB` : `${Math.round(value)} B`;
    return value >= 1000 ? `${Math.round(value).toLocaleString('en-US')} ms` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function formatTarget(figure: Figure): string {
    if (figure.target === null) return '';
    const value = figure.unit === 'ratio' ? `${figure.target.value}×` : formatValue(figure.target.value, figure.unit);
    return `${SYMBOL[figure.target.comparison]} ${value}`;
}

function verdict(figure: Figure): string {
    if (figure.met === null) return figure.target === null ? '' : 'not measured';
    return figure.met ? 'pass' : 'MISS';
}

/** The figures as a fixed-width text table, one row per figure. */
export function renderTable(figures: readonly Figure[]): string {
    const header = ['', 'figure', 'value', 'target', 'result'];
    const rows = figures.map((f) => [f.benchmark, f.label, formatValue(f.value, f.unit), formatTarget(f), verdict(f)]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
    const line = (cells: readonly string[]): string =>
        cells
            .map((cell, column) => (column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
            .join('  ')
            .trimEnd();
    const rule = widths.map((width) => '-'.repeat(width)).join('  ');
    return [line(header), rule, ...rows.map(line)].join('\n');
}
