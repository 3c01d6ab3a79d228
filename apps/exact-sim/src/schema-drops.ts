import { exactError, type Reply } from './http.ts';

/**
 * Fields removed from an endpoint at runtime, as when Exact retires a property: a `$select` naming one gets Exact's
 * 400 "Property 'X' does not exist." (counted in the error budget like any 400). Keys are canonical endpoint names.
 */
export class SchemaDrops {
  private readonly dropped = new Map<string, Set<string>>();

  drop(endpoint: string, field: string): string[] {
    const fields = this.dropped.get(endpoint) ?? new Set<string>();
    fields.add(field);
    this.dropped.set(endpoint, fields);
    return [...fields];
  }

  /** Puts one field back, every field of an endpoint, or everything. */
  restore(endpoint?: string, field?: string): void {
    if (endpoint === undefined) this.dropped.clear();
    else if (field === undefined) this.dropped.delete(endpoint);
    else this.dropped.get(endpoint)?.delete(field);
  }

  snapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.dropped].map(([endpoint, fields]) => [endpoint, [...fields]]));
  }

  /** Exact's refusal when the query selects a dropped field of the endpoint, else undefined. */
  refusal(endpoint: string, query: URLSearchParams): Reply | undefined {
    const fields = this.dropped.get(endpoint);
    if (!fields || fields.size === 0) return undefined;
    const selected = (query.get('$select') ?? '').split(',').map((f) => f.trim());
    const gone = selected.find((f) => fields.has(f));
    return gone === undefined ? undefined : exactError(400, `Property '${gone}' does not exist.`);
  }
}
