/** One DER element: its tag byte and the bytes of its contents. */
export interface DerElement {
    readonly tag: number;
    readonly contents: Buffer;
}

const SEQUENCE = 0x30;

/** Reads the element at `offset`; undefined when the bytes are not DER there. */
function readElement(bytes: Buffer, offset: number): { element: DerElement; next: number } | undefined {
    if (offset + 2 > bytes.length) return undefined;
    const tag = bytes[offset] as number;
    let lengthByte = bytes[offset + 1] as number;
    let cursor = offset + 2;
    let length = lengthByte;
    if (lengthByte & 0x80) {
        const count = lengthByte & 0x7f;
        if (count === 0 || count > 4 || cursor + count > bytes.length) return undefined;
        length = 0;
        for (let index = 0; index < count; index += 1) {
            lengthByte = bytes[cursor + index] as number;
            length = length * 256 + lengthByte;
        }
        cursor += count;
    }
    if (cursor + length > bytes.length) return undefined;
    return { element: { tag, contents: bytes.subarray(cursor, cursor + length) }, next: cursor + length };
}

/** The children of a constructed element (a SEQUENCE, a context tag); undefined when they do not parse exactly. */
export function children(contents: Buffer): DerElement[] | undefined {
    const out: DerElement[] = [];
    let offset = 0;
    while (offset < contents.length) {
        const read = readElement(contents, offset);
        if (read === undefined) return undefined;
        out.push(read.element);
        offset = read.next;
    }
    return out;
}

/** The elements of `bytes` when they are exactly one SEQUENCE (trailing bytes allowed: base64 runs may continue). */
export function topSequence(bytes: Buffer): DerElement[] | undefined {
    const read = readElement(bytes, 0);
    if (read?.element.tag !== SEQUENCE) return undefined;
    return children(read.element.contents);
}

/** The value of a small INTEGER element, or undefined. */
export function smallInteger(element: DerElement | undefined): number | undefined {
    if (element?.tag !== 0x02 || element.contents.length === 0 || element.contents.length > 2) return undefined;
    return element.contents.readUIntBE(0, element.contents.length);
}

/** Dotted text of an OBJECT IDENTIFIER element, or undefined. */
export function objectIdentifier(element: DerElement | undefined): string | undefined {
    if (element?.tag !== 0x06 || element.contents.length === 0) return undefined;
    const bytes = element.contents;
    const first = bytes[0] as number;
    const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
    let value = 0;
    for (let index = 1; index < bytes.length; index += 1) {
        const byte = bytes[index] as number;
        value = value * 128 + (byte & 0x7f);
        if ((byte & 0x80) === 0) {
            parts.push(value);
            value = 0;
        }
    }
    return parts.join('.');
}
