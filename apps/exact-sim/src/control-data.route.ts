import { z } from 'zod';
import { type ControlRoute, ok, parseBody } from './control-types.ts';
import { type ChangeSet, MutationError } from './dataset/changes.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import { isRefEntity, isStoreEntity, STORE_ENTITY_NAMES, type StoreEntity } from './dataset/entities.ts';
import { applyMutation } from './dataset/mutations.ts';
import { controlError, type Reply } from './http.ts';
import type { SimState } from './state.ts';

const count = z.number().int().min(0).max(1_000_000).optional();
const mutateSchema = z.strictObject({
  entity: z.enum(STORE_ENTITY_NAMES as [StoreEntity, ...StoreEntity[]]),
  create: count,
  update: count,
  delete: count,
  records: z.array(z.unknown()).max(1_000_000).optional(),
  deleteIds: z.array(z.string()).max(1_000_000).optional(),
});

function withStore(state: SimState, param: string | undefined, run: (store: DivisionStore) => Reply): Reply {
  const store = state.divisions.get(Number(param));
  return store ? run(store) : controlError(404, 'unknown_division', `No division '${param}'.`);
}

function mutate(state: SimState, store: DivisionStore, body: unknown): Reply {
  const parsed = parseBody(mutateSchema, body);
  if (!parsed.ok) return parsed.reply;
  const { entity, records, deleteIds: ids } = parsed.value;
  const counts = {
    create: parsed.value.create ?? 0,
    update: parsed.value.update ?? 0,
    delete: parsed.value.delete ?? 0,
  };
  let changes: ChangeSet;
  try {
    changes = applyMutation(store, { entity, records, counts, deleteIds: ids }, state.clock.now());
  } catch (error) {
    if (error instanceof MutationError) return controlError(400, 'invalid_mutation', error.message);
    throw error;
  }
  state.orders.forgetDeleted(store.division, changes.events);
  state.notifyChanges(store.division, changes);
  return ok({ created: changes.created, updated: changes.updated, deleted: changes.deleted });
}

/** The live dataset, mutations, division moves and HR (un)links, and the orders received. */
export const controlDataRoutes: ControlRoute[] = [
  {
    method: 'GET',
    pattern: /^\/_sim\/divisions\/([^/]+)\/entities\/([^/]+)$/,
    handler: (state, req) =>
      withStore(state, req.params[0], (store) => {
        const entity = req.params[1] ?? '';
        if (!isStoreEntity(entity))
          return controlError(404, 'unknown_entity', `Entities: ${STORE_ENTITY_NAMES.join(', ')}.`);
        const table = isRefEntity(entity) ? store.refs[entity] : store.tables[entity];
        return ok({ data: [...table.values()] });
      }),
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/divisions\/([^/]+)\/mutate$/,
    handler: (state, req) => withStore(state, req.params[0], (store) => mutate(state, store, req.body)),
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/divisions\/([^/]+)\/move$/,
    handler: (state, req) =>
      withStore(state, req.params[0], (store) => {
        store.move(state.clock.now());
        return ok({ division: store.division, moveDate: store.moveDate, lastTimestamp: store.lastTimestamp });
      }),
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/divisions\/([^/]+)\/hr-link$/,
    handler: (state, req) =>
      withStore(state, req.params[0], (store) => {
        store.relinkHr(state.clock.now());
        return ok({
          division: store.division,
          hrLinkDate: store.hrLinkDate,
          lastTimestamp: store.lastTimestamp,
        });
      }),
  },
  {
    method: 'GET',
    pattern: /^\/_sim\/orders$/,
    handler: (state, req) => {
      const param = req.query.get('division');
      const division = param === null || param === '' ? undefined : Number(param);
      const data = state.orders.list(division).map((o) => ({
        OrderID: o.OrderID,
        OrderNumber: o.OrderNumber,
        Division: o.Division,
        YourRef: o.YourRef,
        OrderedBy: o.OrderedBy,
        Description: o.Description,
        Remarks: o.Remarks,
        WarehouseID: o.WarehouseID,
        DeliveryAddress: o.DeliveryAddress,
        OrderedByContactPerson: o.OrderedByContactPerson,
        OrderDate: new Date(o.OrderDate).toISOString(),
        Status: o.Status,
        DeliveryStatus: o.DeliveryStatus,
        InvoiceStatus: o.InvoiceStatus,
        AmountDC: o.AmountDC,
        AmountFCExclVat: o.AmountFCExclVat,
        lines: o.lines.map((l) => ({
          ID: l.ID,
          Item: l.Item,
          Quantity: l.Quantity,
          UnitCode: l.UnitCode,
          NetPrice: l.NetPrice,
          UnitPrice: l.UnitPrice,
          Discount: l.Discount,
          VATCode: l.VATCode,
          VATPercentage: l.VATPercentage,
          VATAmount: l.VATAmount,
          AmountDC: l.AmountDC,
          QuantityDelivered: l.QuantityDelivered,
          QuantityInvoiced: l.QuantityInvoiced,
          priceSource: l.priceSource,
        })),
        receivedAt: new Date(o.receivedAt).toISOString(),
      }));
      return ok({ data, postsByYourRef: state.orders.postsByYourRef(division) });
    },
  },
];
