/** The OData (v2) types Exact documents for its properties, as they appear in its metadata. */
export type EdmType =
  | 'Edm.Guid'
  | 'Edm.String'
  | 'Edm.Byte'
  | 'Edm.Int16'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double'
  | 'Edm.Boolean'
  | 'Edm.DateTime'
  /** A navigation collection (e.g. a sales order's lines): POSTed inline, answered as a `__deferred` link. */
  | 'Collection';

/** One public client of Exact's API that an entry was checked against: repository and file. */
export interface SchemaSource {
  readonly repo: string;
  readonly path: string;
}

/**
 * One endpoint of Exact as data. Every field is in at least two independent sources, unless `fieldsChecked` is
 * `'one-source'`: then the endpoint's existence is confirmed by two sources but its field list only by one, and the
 * client must not select from it until a second source confirms the fields.
 */
export interface EndpointSchema {
  /** Below `/api/v1/{division}/` (or `/api/v1/` for `current/Me`). */
  readonly path: string;
  readonly kind: 'sync' | 'crud' | 'function';
  /** The field that identifies a record (`Timestamp` is the sync cursor, not the key). */
  readonly key: string;
  readonly fields: { readonly [field: string]: EdmType };
  /** Fields a `$filter` may use. On sync endpoints only `Timestamp` (and `EntityType` on `sync/Deleted`). */
  readonly filterable: readonly string[];
  /** Fields a POST body may carry, and those it must carry. */
  readonly postable: readonly string[];
  readonly requiredOnPost: readonly string[];
  /** Records per page (sync 1,000, CRUD 60). */
  readonly pageSize: number;
  readonly sources: readonly SchemaSource[];
  readonly fieldsChecked: 'two-sources' | 'one-source';
  /** For the sync entities this service stores: the fields it cannot do without (key, cursor, joins). */
  readonly essential?: readonly string[];
  readonly notes?: readonly string[];
}
