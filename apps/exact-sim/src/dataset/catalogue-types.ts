import type { Audited, Keyed } from './record-base.ts';

/** Plain REST records (no sync endpoint, no Timestamp), in Exact's field names. */

export interface ItemGroupRecord extends Keyed, Audited {
  Code: string;
  Description: string;
  IsDefault: number;
  Notes: string | null;
}

interface UnitRecord extends Keyed {
  Code: string;
  Description: string;
  Active: boolean;
  Main: number;
  Division: number;
}

export interface VatCodeRecord extends Keyed, Audited {
  Code: string;
  Description: string;
  /** The percentage valid today, as a fraction (0.21). */
  Percentage: number;
  /** B 0% (base only), E excluding, I including (prices include VAT), N no VAT. */
  Type: string;
  Charged: boolean;
  IsBlocked: boolean;
  VATTransactionType: string;
}

interface VatPercentageRecord extends Keyed, Audited {
  VATCodeID: string;
  LineNumber: number;
  Percentage: number;
  StartDate: string | null;
  EndDate: string | null;
  Type: number;
}

export interface WarehouseRecord extends Keyed, Audited {
  Code: string;
  Description: string;
  Main: number;
  EMail: string | null;
  UseStorageLocations: number;
}

export interface PriceListRecord extends Keyed, Audited {
  Code: string;
  Description: string;
  Currency: string;
  /** 1 item, 2 item group: what the list's volume discounts name. */
  Entity: number;
  /** 1 customer, 2 standard. */
  Type: number;
  Notes: string | null;
}

export interface PriceListPeriodRecord extends Keyed, Audited {
  PriceList: string;
  StartDate: string | null;
  EndDate: string | null;
  Currency: string;
  /** 1 basic, 2 special offer. */
  Type: number;
}

export interface VolumeDiscountRecord extends Keyed, Audited {
  PriceListCode: string;
  PriceListDescription: string;
  PriceListPeriod: string;
  Item: string | null;
  ItemCode: string | null;
  ItemDescription: string | null;
  ItemGroup: string | null;
  ItemGroupCode: string | null;
  ItemGroupDescription: string | null;
  /** 1 discount, 2 new price. */
  EntryMethod: number;
  /** A fraction: the price is (1 - Discount) × the base price. */
  Discount: number | null;
  NewPrice: number | null;
  BasePriceAmount: number | null;
  /** The quantity break: the row applies from this quantity on. */
  Quantity: number;
  NumberOfItemsPerUnit: number;
  SalesUnit: string | null;
  /** The unit the break and price are in; null (group rows) applies in any unit. */
  Unit: string | null;
  UnitDescription: string | null;
}

export interface RefRecords {
  itemGroups: ItemGroupRecord;
  units: UnitRecord;
  vatCodes: VatCodeRecord;
  vatPercentages: VatPercentageRecord;
  warehouses: WarehouseRecord;
  priceLists: PriceListRecord;
  priceListPeriods: PriceListPeriodRecord;
  volumeDiscounts: VolumeDiscountRecord;
}

/** The entities served by plain REST lists only. */
export type RefEntityName = keyof RefRecords;
