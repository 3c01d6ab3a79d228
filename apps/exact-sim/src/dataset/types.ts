import type { AddressRecord, ContactRecord } from './crm-types.ts';
import type { Stamped } from './record-base.ts';
import type {
  DeliveryLineRecord,
  DeliveryRecord,
  InvoiceLineRecord,
  OrderHeaderRecord,
  OrderLineRecord,
} from './sales-types.ts';

export type { Keyed, Stamped } from './record-base.ts';

/** Records are stored in Exact's JSON shape (dates as "/Date(ms)/"), so the API only has to pick fields. */
export interface ItemRecord extends Stamped {
  Code: string;
  Description: string;
  ExtraDescription: string | null;
  IsSalesItem: boolean;
  IsStockItem: boolean;
  IsFractionAllowedItem: boolean;
  SalesVatCode: string | null;
  SalesVatCodeDescription: string | null;
  Unit: string;
  UnitDescription: string | null;
  ItemGroup: string | null;
  ItemGroupCode: string | null;
  ItemGroupDescription: string | null;
  CostPriceStandard: number;
  Barcode: string | null;
  IsWebshopItem: number;
  PictureName: string | null;
  PictureUrl: string | null;
  PictureThumbnailUrl: string | null;
  StartDate: string | null;
  EndDate: string | null;
  Modified: string;
}

export interface StockRecord extends Stamped {
  ItemId: string;
  ItemCode: string;
  Warehouse: string;
  WarehouseCode: string;
  WarehouseDescription: string;
  CurrentStock: number;
  FreeStock: number;
  PlanningIn: number;
  PlanningOut: number;
  ProjectedStock: number;
  ReservedStock: number;
  Modified: string;
}

export interface PriceRecord extends Stamped {
  Item: string;
  ItemCode: string;
  Account: string | null;
  Currency: string;
  /** The price of one `Unit`, which holds NumberOfItemsPerUnit of the item's DefaultItemUnit. */
  Price: number;
  Quantity: number;
  Unit: string;
  UnitDescription: string | null;
  NumberOfItemsPerUnit: number;
  DefaultItemUnit: string;
  DefaultItemUnitDescription: string | null;
  StartDate: string | null;
  EndDate: string | null;
  Modified: string;
}

export interface AccountRecord extends Stamped {
  Code: string;
  Name: string;
  Email: string | null;
  Phone: string | null;
  AddressLine1: string | null;
  Postcode: string | null;
  City: string | null;
  Country: string;
  Status: string;
  IsSales: boolean;
  Blocked: boolean;
  PriceList: string | null;
  /** A fraction (0.055 is 5.5 %), as Exact stores it. */
  DiscountSales: number | null;
  SalesVATCode: string | null;
  VATNumber: string | null;
  PaymentConditionSales: string | null;
  SalesCurrency: string;
  Language: string | null;
  MainContact: string | null;
  Modified: string;
}

export interface DeletedRecord extends Stamped {
  EntityKey: string;
  EntityType: number;
  DeletedBy: string;
  DeletedDate: string;
  Division: number;
}

/** The entities with a sync endpoint, each under one Timestamp counter per division. */
export interface EntityRecords {
  items: ItemRecord;
  stock: StockRecord;
  prices: PriceRecord;
  accounts: AccountRecord;
  addresses: AddressRecord;
  contacts: ContactRecord;
  orderHeaders: OrderHeaderRecord;
  orderLines: OrderLineRecord;
  deliveries: DeliveryRecord;
  deliveryLines: DeliveryLineRecord;
  invoices: InvoiceLineRecord;
}

export type EntityName = keyof EntityRecords;
export type AnyRecord = EntityRecords[EntityName];

export interface Warehouse {
  ID: string;
  Code: string;
  Description: string;
}
