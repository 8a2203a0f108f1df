/**
 * `callback_data` of the bulk preview's buttons: `b1|c|<backup id>` (Confirm) and `b1|x|<backup id>` (Cancel). A
 * prefix of their own keeps them apart from alert buttons (`v1|…`), whose decoder refuses them.
 */
export const bulkCallbackVersion = 'b1';
export const bulkOperationIdPattern = /^\d{8}-[0-9a-f]{6}$/;

export type BulkDecision = 'confirm' | 'cancel';
const codes: Record<BulkDecision, string> = { confirm: 'c', cancel: 'x' };

export function encodeBulkCallback(decision: BulkDecision, operationId: string): string {
  if (!bulkOperationIdPattern.test(operationId)) throw new RangeError(`not a bulk operation id: "${operationId}"`);
  return `${bulkCallbackVersion}|${codes[decision]}|${operationId}`;
}

export function isBulkCallback(data: string): boolean {
  return data.startsWith(`${bulkCallbackVersion}|`);
}

export function decodeBulkCallback(data: string): { decision: BulkDecision; operationId: string } | { error: string } {
  const parts = data.split('|');
  if (parts.length !== 3 || parts[0] !== bulkCallbackVersion) return { error: 'not a bulk button' };
  const decision = parts[1] === 'c' ? 'confirm' : parts[1] === 'x' ? 'cancel' : undefined;
  if (!decision) return { error: `unknown bulk decision "${parts[1] ?? ''}"` };
  if (!bulkOperationIdPattern.test(parts[2]!)) return { error: 'invalid bulk operation id' };
  return { decision, operationId: parts[2]! };
}
