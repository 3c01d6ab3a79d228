import type { SchemaSource } from './edm.ts';

const pi = (path: string): SchemaSource => ({ repo: 'Pi-Systems/exact-online', path: `src/Entity/${path}` });
const picqer = (file: string): SchemaSource => ({
  repo: 'picqer/exact-php-client',
  path: `src/Picqer/Financials/Exact/${file}`,
});
const leapforce = (path: string): SchemaSource => ({ repo: 'leapforce-libraries/go_exactonline_new', path });

/** The files each endpoint was checked against (see the README for what each kind of source is). */
export const SOURCES = {
  syncItems: [pi('Sync/Logistics/Items.php'), picqer('SyncItem.php'), leapforce('sync/LogisticsItem.go')],
  syncStock: [
    pi('Sync/Inventory/StockPositions.php'),
    picqer('SyncInventoryStockPosition.php'),
    leapforce('sync/InventoryStockPosition.go'),
  ],
  syncPrices: [
    pi('Sync/Logistics/SalesItemPrices.php'),
    picqer('SyncSalesItemPrice.php'),
    leapforce('sync/LogisticsSalesItemPrice.go'),
  ],
  syncAccounts: [pi('Sync/CRM/Accounts.php'), picqer('SyncAccount.php'), leapforce('sync/CRMAccount.go')],
  syncDeleted: [pi('Sync/Deleted.php'), picqer('SyncDeleted.php'), leapforce('sync/Deleted.go')],
  syncAddresses: [picqer('SyncAddress.php'), leapforce('sync/CRMAddress.go')],
  syncContacts: [picqer('SyncContact.php'), leapforce('sync/CRMContact.go')],
  syncOrderHeaders: [picqer('SyncSalesOrderHeader.php'), leapforce('sync/SalesOrderSalesOrderHeader.go')],
  syncOrderLines: [picqer('SyncSalesOrderLine.php'), leapforce('sync/SalesOrderSalesOrderLine.go')],
  syncDeliveries: [picqer('SyncGoodsDelivery.php'), leapforce('sync/SalesOrderGoodsDelivery.go')],
  syncDeliveryLines: [
    leapforce('sync/SalesOrderGoodsDeliveryLine.go'),
    pi('Sync/SalesOrder/GoodsDeliveryLines.php'),
  ],
  syncInvoices: [picqer('SyncSalesInvoice.php'), leapforce('sync/SalesInvoiceSalesInvoice.go')],
  items: [leapforce('logistics/Item.go'), picqer('SyncItem.php'), pi('Logistics/Items.php')],
  accounts: [leapforce('crm/Account.go'), picqer('SyncAccount.php'), pi('CRM/Accounts.php')],
  salesOrders: [pi('SalesOrder/SalesOrders.php'), picqer('SalesOrder.php')],
  salesOrderLines: [
    pi('SalesOrder/SalesOrderLines.php'),
    picqer('SalesOrderLine.php'),
    leapforce('salesorder/SalesOrderLine.go'),
  ],
  webhooks: [pi('Webhooks/WebhookSubscriptions.php'), picqer('WebhookSubscription.php')],
  divisions: [
    pi('System/Divisions.php'),
    picqer('SystemDivision.php'),
    picqer('GetMostRecentlyUsedDivision.php'),
  ],
  me: [picqer('Me.php'), leapforce('http/Me.go')],
  volumeDiscounts: [
    pi('Sales/SalesPriceListVolumeDiscounts.php'),
    picqer('SalesPriceListVolumeDiscount.php'),
  ],
  priceLists: [pi('Sales/SalesPriceLists.php'), picqer('SalesPriceList.php')],
  priceListPeriods: [pi('Sales/SalesPriceListPeriods.php'), picqer('SalesPriceListPeriod.php')],
  vatCodes: [picqer('VatCode.php'), pi('VAT/VATCodes.php')],
  vatPercentages: [pi('VAT/VatPercentages.php'), picqer('VatPercentage.php')],
  itemGroups: [leapforce('logistics/ItemGroup.go'), pi('Logistics/ItemGroups.php')],
  units: [pi('Logistics/Units.php'), picqer('Unit.php')],
  warehouses: [picqer('Warehouse.php'), pi('Inventory/Warehouses.php')],
} as const satisfies Record<string, readonly SchemaSource[]>;
