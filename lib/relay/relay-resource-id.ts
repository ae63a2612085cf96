/** A relay namespace's Azure Resource Manager id (namespace names: 6 to 50 letters, digits and hyphens, starting with a letter). */
const NAMESPACE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Relay\/namespaces\/[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]$/i;

export function isRelayNamespaceId(value: string): boolean {
    return NAMESPACE_ID.test(value);
}
