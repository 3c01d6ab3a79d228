import { MutationError } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import {
  asRow,
  countUsers,
  type EditSpec,
  freeCode,
  oneOf,
  parent,
  type Row,
  uniqueCode,
} from './edit-spec.ts';

const audit = (store: DivisionStore, modified: string) => ({
  Created: modified,
  Modified: modified,
  Division: store.division,
});

/** A changed description (and Modified, where the entity has it). */
const describe = (record: Row, modified?: string): Row => ({
  ...record,
  Description: `${String(record.Description ?? '').split(' (')[0]} (revised)`,
  ...(modified === undefined ? {} : { Modified: modified }),
});

export const vatCodeSpec: EditSpec = {
  schemaPath: 'vat/VATCodes',
  make: (store, _input, modified) => {
    const Code = freeCode(store.refs.vatCodes.values(), (n) => String(n));
    return asRow({
      ID: store.prng.guid(),
      Code,
      Description: `VAT code ${Code}`,
      Percentage: 0.21,
      Type: 'E',
      Charged: false,
      IsBlocked: false,
      VATTransactionType: 'S',
      ...audit(store, modified),
    });
  },
  settle: (store, record) => {
    oneOf(record.Type, ['B', 'E', 'I', 'N'], 'Type');
    uniqueCode(store.refs.vatCodes.values(), record);
    return { ...record, Division: store.division };
  },
  change: (_prng, record, modified) => describe(record, modified),
  inUse: (store, record) =>
    countUsers('item', store.tables.items.values(), (i) => i.SalesVatCode === record.Code) ??
    countUsers('account', store.tables.accounts.values(), (a) => a.SalesVATCode === record.Code),
};

export const vatPercentageSpec: EditSpec = {
  schemaPath: 'vat/VatPercentages',
  make: (store, input, modified) => {
    const code = parent(
      store.prng,
      input.VATCodeID,
      (id) => store.ref('vatCodes', id),
      () => store.refs.vatCodes.values(),
      'VATCodeID: no such VAT code in this division',
    );
    return asRow({
      ID: store.prng.guid(),
      VATCodeID: code.ID,
      LineNumber: store.links.children('vatPercentages', 'VATCodeID', code.ID).length + 1,
      Percentage: code.Percentage,
      StartDate: modified,
      EndDate: null,
      Type: 0,
      ...audit(store, modified),
    });
  },
  settle: (store, record) => {
    if (!store.ref('vatCodes', String(record.VATCodeID)))
      throw new MutationError('VATCodeID: no such VAT code in this division');
    const pct = record.Percentage;
    if (typeof pct !== 'number' || pct < 0 || pct > 1)
      throw new MutationError('Percentage: a fraction from 0 to 1 (0.21 is 21 %)');
    return { ...record, Division: store.division };
  },
  change: (_prng, record, modified) => ({
    ...record,
    Percentage: Math.round((Number(record.Percentage) + 0.01) * 100) / 100,
    Modified: modified,
  }),
};

export const itemGroupSpec: EditSpec = {
  schemaPath: 'logistics/ItemGroups',
  make: (store, _input, modified) => {
    const Code = freeCode(store.refs.itemGroups.values(), (n) => `G${n}`);
    return asRow({
      ID: store.prng.guid(),
      Code,
      Description: `Item group ${Code}`,
      IsDefault: 0,
      Notes: null,
      ...audit(store, modified),
    });
  },
  settle: (store, record) => {
    uniqueCode(store.refs.itemGroups.values(), record);
    return { ...record, Division: store.division };
  },
  change: (_prng, record, modified) => describe(record, modified),
  inUse: (store, record) =>
    countUsers('item', store.tables.items.values(), (i) => i.ItemGroup === record.ID) ??
    countUsers('volume discount', store.refs.volumeDiscounts.values(), (v) => v.ItemGroup === record.ID),
};

export const unitSpec: EditSpec = {
  schemaPath: 'logistics/Units',
  make: (store) => {
    const Code = freeCode(store.refs.units.values(), (n) => `u${n}`);
    return asRow({
      ID: store.prng.guid(),
      Code,
      Description: `Unit ${Code}`,
      Active: true,
      Main: 0,
      Division: store.division,
    });
  },
  settle: (store, record) => {
    uniqueCode(store.refs.units.values(), record);
    return { ...record, Division: store.division };
  },
  change: (_prng, record) => describe(record),
  inUse: (store, record) =>
    countUsers('item', store.tables.items.values(), (i) => i.Unit === record.Code) ??
    countUsers('sales item price', store.tables.prices.values(), (p) => p.Unit === record.Code),
};

export const warehouseSpec: EditSpec = {
  schemaPath: 'inventory/Warehouses',
  make: (store, _input, modified) => {
    const Code = freeCode(store.refs.warehouses.values(), (n) => String(n));
    return asRow({
      ID: store.prng.guid(),
      Code,
      Description: `Warehouse ${Code}`,
      Main: 0,
      EMail: null,
      UseStorageLocations: 0,
      ...audit(store, modified),
    });
  },
  settle: (store, record) => {
    uniqueCode(store.refs.warehouses.values(), record);
    return { ...record, Division: store.division };
  },
  change: (_prng, record, modified) => describe(record, modified),
  inUse: (store, record) =>
    countUsers('stock position', store.tables.stock.values(), (s) => s.Warehouse === record.ID),
};
