/** Records are stored in Exact's JSON shape (dates as "/Date(ms)/"), so the API only has to pick fields. */
export interface Stamped {
  ID: string;
  Timestamp: number;
}

export interface ItemRecord extends Stamped {
  Code: string;
  Description: string;
  IsSalesItem: boolean;
  SalesVatCode: string | null;
  Unit: string;
  UnitDescription: string | null;
  CostPriceStandard: number;
  Barcode: string | null;
  IsWebshopItem: number;
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
  Price: number;
  Quantity: number;
  Unit: string;
  StartDate: string | null;
  EndDate: string | null;
  Modified: string;
}

export interface AccountRecord extends Stamped {
  Code: string;
  Name: string;
  Email: string | null;
  City: string | null;
  Country: string;
  Status: string;
  IsSales: boolean;
  Blocked: boolean;
  Modified: string;
}

export interface DeletedRecord extends Stamped {
  EntityKey: string;
  EntityType: number;
  DeletedBy: string;
  DeletedDate: string;
  Division: number;
}

export interface EntityRecords {
  items: ItemRecord;
  stock: StockRecord;
  prices: PriceRecord;
  accounts: AccountRecord;
}

export type EntityName = keyof EntityRecords;
export type AnyRecord = EntityRecords[EntityName];

export interface Warehouse {
  ID: string;
  Code: string;
  Description: string;
}
