/**
 * A uniform number in [0, 1) determined by a seed and a key: the same activity execution gets the
 * same draw whatever order work happens to finish in. FNV-1a for the key, one Mulberry32 step.
 */
export function keyedRandom(seed: number, key: string): number {
    let hash = 0x811c9dc5 ^ (seed >>> 0);
    for (let index = 0; index < key.length; index += 1) {
        hash ^= key.charCodeAt(index);
        hash = Math.imul(hash, 0x01000193);
    }
    let t = (hash + 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
