ALTER TABLE "accounts" ADD COLUMN "address_line1" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "address_line2" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "address_line3" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "postcode" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "state" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "price_list_id" uuid;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "discount_sales" numeric;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "sales_vat_code" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "vat_number" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "vat_liability" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "payment_condition_sales" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "sales_currency" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "extra_description" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "unit_description" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "sales_vat_code" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "item_group_id" uuid;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "item_group_code" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "item_group_description" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "picture_url" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "picture_thumbnail_url" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "start_date" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "end_date" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "is_stock_item" boolean;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "is_fraction_allowed_item" boolean;--> statement-breakpoint
ALTER TABLE "sales_item_prices" ADD COLUMN "number_of_items_per_unit" numeric;--> statement-breakpoint
ALTER TABLE "sales_item_prices" ADD COLUMN "default_item_unit" text;--> statement-breakpoint
ALTER TABLE "stock_positions" ADD COLUMN "warehouse_description" text;--> statement-breakpoint
-- Rows synced before these columns existed get them from one full re-read of their entity.
UPDATE "sync_state" SET "full_resync_requested" = "full_resync_requested" + 1 WHERE "entity" IN ('items', 'stock', 'prices', 'accounts') AND "phase" = 'incremental';
