import { ENTITY_NAMES, type EntityName, EXACT_ENTITIES } from './entities.ts';
import { LIST_NAMES, type ListName } from './lists.ts';

/**
 * The `sync/Deleted` chains a connection may follow, each with its own cursor: `deleted` reads every entity type in
 * one chain; `deleted_<entity>` reads one synced type (`and EntityType eq N`). Which ones run is the connection's
 * deletions strategy: `all` (the one unfiltered chain) or `per_type` (one chain per synced type).
 */
export type DeletionChain = 'deleted' | `deleted_${EntityName}`;
export const DELETION_CHAINS: readonly DeletionChain[] = [
  'deleted',
  ...ENTITY_NAMES.map((e): DeletionChain => `deleted_${e}`),
];

export const DELETION_STRATEGIES = ['all', 'per_type'] as const;
export type DeletionStrategy = (typeof DELETION_STRATEGIES)[number];

/** Every dataset that has a sync state: the entities, the deletion chains and the REST lists. */
export const SYNC_DATASETS = [...ENTITY_NAMES, ...DELETION_CHAINS, ...LIST_NAMES] as unknown as readonly [
  EntityName | DeletionChain | ListName,
  ...(EntityName | DeletionChain | ListName)[],
];

/** The chain that reads only this entity's deletions. */
export const typedChainOf = (entity: EntityName): DeletionChain => `deleted_${entity}`;

/** The entities whose deletions a chain reads. */
export function entitiesOfChain(chain: DeletionChain): readonly EntityName[] {
  return chain === 'deleted' ? ENTITY_NAMES : ENTITY_NAMES.filter((e) => typedChainOf(e) === chain);
}

/** The `EntityType` a chain filters on; undefined for the unfiltered chain. */
export function entityTypeOfChain(chain: DeletionChain): number | undefined {
  const [entity] = entitiesOfChain(chain);
  return chain === 'deleted' || !entity ? undefined : EXACT_ENTITIES[entity].deletedType;
}

/** The chains a strategy follows every round: per type, one for each entity the connection syncs. */
export function chainsOf(
  strategy: DeletionStrategy,
  entities: readonly EntityName[] = ENTITY_NAMES,
): readonly DeletionChain[] {
  return strategy === 'all' ? ['deleted'] : entities.map(typedChainOf);
}
